/**
 * The generic CRM behind the connector's `http` destination: customer records keyed by join key,
 * read with GET, replaced with PUT, merged with PATCH or POST, all behind an `x-api-key` header.
 * It stores bodies exactly as sent so tests can assert what the connector wrote, field by field.
 */
import type { FaultPlan } from './faults';
import type { RateLimitRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export interface HttpCrmOptions {
  /** The value `x-api-key` must carry; default 'test-api-key'. */
  apiKey?: string;
  /** Replaces the x-api-key check (e.g. bearer tokens from an OAuth server): a refusal, or null to proceed. */
  authorize?: (req: SimRequest) => SimResponse | null;
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
  name?: string;
}

export interface CrmTableRow {
  key: string;
  walletStatus: string;
  appleWalletInstalledAt: string;
  googleWalletInstalledAt: string;
}

export interface HttpCrmSimulator {
  server: SimServer;
  apiKey: string;
  records: Map<string, Record<string, unknown>>;
  /** One row per customer, sorted by key: the demo's final table. */
  table(): CrmTableRow[];
}

export const DEFAULT_API_KEY = 'test-api-key';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing and null read as empty, as the table shows "not installed". */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function startHttpCrmSimulator(options: HttpCrmOptions = {}): Promise<HttpCrmSimulator> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const records = new Map<string, Record<string, unknown>>();

  /** Checks the key, then the body; returns the refusal, or null when the request may proceed. */
  function refuse(req: SimRequest, needsBody: boolean): SimResponse | null {
    if (options.authorize) {
      const refusal = options.authorize(req);
      if (refusal) return refusal;
    } else if (req.headers['x-api-key'] !== apiKey)
      return { status: 401, json: { error: 'invalid_api_key' } };
    if (!needsBody) return null;
    if (req.json === undefined)
      return { status: 400, json: { error: 'invalid_json', message: 'body must be JSON' } };
    if (!isObject(req.json))
      return { status: 400, json: { error: 'invalid_body', message: 'body must be a JSON object' } };
    return null;
  }

  function write(mode: 'replace' | 'merge'): Route['handle'] {
    return (req, params) => {
      const refusal = refuse(req, true);
      if (refusal) return refusal;
      const key = params.key as string;
      const existing = records.get(key);
      const body = req.json as Record<string, unknown>;
      // Shallow merge: the connector sends whole canonical fields, and nulls are kept (they mean "empty").
      const next = mode === 'merge' && existing ? { ...existing, ...body } : { ...body };
      records.set(key, next);
      return { status: existing ? 200 : 201, json: next };
    };
  }

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: '/customers/:key',
      handle(req, params) {
        const refusal = refuse(req, false);
        if (refusal) return refusal;
        const record = records.get(params.key as string);
        return record ? { status: 200, json: record } : { status: 404, json: { error: 'not_found' } };
      },
    },
    { method: 'PUT', pattern: '/customers/:key', handle: write('replace') },
    { method: 'PATCH', pattern: '/customers/:key', handle: write('merge') },
    { method: 'POST', pattern: '/customers/:key', handle: write('merge') },
  ];

  const server = await startSimServer({
    routes,
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock: options.clock,
    name: options.name ?? 'http-crm',
  });

  return {
    server,
    apiKey,
    records,
    table() {
      const keys = [...records.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return keys.map((key) => {
        const record = records.get(key) as Record<string, unknown>;
        return {
          key,
          walletStatus: cell(record.walletStatus),
          appleWalletInstalledAt: cell(record.appleWalletInstalledAt),
          googleWalletInstalledAt: cell(record.googleWalletInstalledAt),
        };
      });
    },
  };
}
