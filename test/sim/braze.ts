/**
 * A stateful Braze workspace on loopback: users by external_id with free-form custom attributes
 * (null removes one), custom events kept as sent (no dedup), `POST /users/track` with the 75-object
 * combined limit and partial success (`{message: 'success', errors: [{type, input_array, index}]}`),
 * `POST /users/export/ids` (50 ids), REST API keys with permissions (401 unknown key, 403 missing
 * permission), and per-endpoint fixed-window limits answering `429` with `X-RateLimit-Limit`,
 * `-Remaining` and `-Reset` (epoch seconds) on every answer, as Braze does.
 */
import { randomBytes } from 'node:crypto';
import type { FaultPlan } from './faults';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export type BrazePermission = 'users.track' | 'users.export.ids';

export interface EndpointLimit {
  requests: number;
  intervalMs: number;
}

export interface BrazeSimOptions {
  apiKey?: string;
  permissions?: BrazePermission[];
  /** Per endpoint; defaults: /users/track 3,000 per 3 s, /users/export/ids 250 per minute. */
  limits?: { track?: EndpointLimit; export?: EndpointLimit };
  /** Refuses one attributes object (a partial-success error), e.g. a blocked user. */
  rejectAttributes?: (attributes: Record<string, unknown>) => string | null;
  faults?: FaultPlan;
  clock?: Clock;
  name?: string;
}

export interface BrazeUser {
  external_id: string;
  custom_attributes: Record<string, unknown>;
  events: Record<string, unknown>[];
}

export interface BrazeTableRow {
  key: string;
  walletStatus: string;
  appleWalletInstalledAt: string;
  googleWalletInstalledAt: string;
}

export interface BrazeSimulator {
  server: SimServer;
  url: string;
  apiKey: string;
  users: Map<string, BrazeUser>;
  table(): BrazeTableRow[];
}

const IDENTIFIED = "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";

function cell(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export async function startBrazeSimulator(options: BrazeSimOptions = {}): Promise<BrazeSimulator> {
  const clock = options.clock ?? Date.now;
  const apiKey = options.apiKey ?? randomBytes(18).toString('hex');
  const permissions = options.permissions ?? ['users.track', 'users.export.ids'];
  const limits = {
    track: options.limits?.track ?? { requests: 3000, intervalMs: 3000 },
    export: options.limits?.export ?? { requests: 250, intervalMs: 60000 },
  };
  const windows: Record<string, { start: number; count: number }> = {};
  const users = new Map<string, BrazeUser>();

  function user(id: string): BrazeUser {
    let u = users.get(id);
    if (!u) users.set(id, (u = { external_id: id, custom_attributes: {}, events: [] }));
    return u;
  }

  /** Key, permission and the endpoint's window, in that order, then the handler. */
  function endpoint(
    name: 'track' | 'export',
    permission: BrazePermission,
    handle: (req: SimRequest) => SimResponse,
  ): Route['handle'] {
    return (req) => {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${apiKey}`)
        return { status: 401, json: { message: 'Invalid API key: unknown or missing REST API key' } };
      if (permissions.indexOf(permission) < 0)
        return {
          status: 403,
          json: { message: `The API key does not have permission to access ${req.path} (${permission})` },
        };
      const limit = limits[name];
      const now = clock();
      const start = Math.floor(now / limit.intervalMs) * limit.intervalMs;
      const w =
        windows[name] && windows[name].start === start
          ? windows[name]
          : (windows[name] = { start, count: 0 });
      const reset = String(Math.ceil((start + limit.intervalMs) / 1000));
      if (w.count >= limit.requests) {
        return {
          status: 429,
          headers: {
            'x-ratelimit-limit': String(limit.requests),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
          },
          json: { message: 'Rate Limit Exceeded' },
        };
      }
      w.count++;
      const response = handle(req);
      return {
        ...response,
        headers: {
          ...response.headers,
          'x-ratelimit-limit': String(limit.requests),
          'x-ratelimit-remaining': String(limit.requests - w.count),
          'x-ratelimit-reset': reset,
        },
      };
    };
  }

  function track(req: SimRequest): SimResponse {
    const body = req.json;
    if (!isObject(body)) return { status: 400, json: { message: 'Invalid request body' } };
    const attributes = Array.isArray(body.attributes) ? body.attributes : [];
    const events = Array.isArray(body.events) ? body.events : [];
    const purchases = Array.isArray(body.purchases) ? body.purchases : [];
    if (attributes.length + events.length + purchases.length > 75)
      return { status: 400, json: { message: 'Max Input Length Exceeded' } };
    const errors: Record<string, unknown>[] = [];
    let attributesProcessed = 0;
    attributes.forEach((a: unknown, index: number) => {
      const id = isObject(a) ? a.external_id : undefined;
      if (!isObject(a) || typeof id !== 'string' || id === '')
        return errors.push({ type: IDENTIFIED, input_array: 'attributes', index });
      const refused = options.rejectAttributes ? options.rejectAttributes(a) : null;
      if (refused) return errors.push({ type: refused, input_array: 'attributes', index });
      const u = user(id);
      for (const name of Object.keys(a)) {
        if (name === 'external_id' || name === '_update_existing_only') continue;
        if (a[name] === null) delete u.custom_attributes[name];
        else u.custom_attributes[name] = a[name];
      }
      attributesProcessed++;
    });
    let eventsProcessed = 0;
    events.forEach((e: unknown, index: number) => {
      if (!isObject(e) || typeof e.external_id !== 'string')
        return errors.push({ type: IDENTIFIED, input_array: 'events', index });
      if (typeof e.name !== 'string' || typeof e.time !== 'string' || isNaN(Date.parse(e.time)))
        return errors.push({
          type: 'Event must have a name and an ISO 8601 time',
          input_array: 'events',
          index,
        });
      user(e.external_id).events.push(e);
      eventsProcessed++;
    });
    const json: Record<string, unknown> = { message: 'success' };
    if (attributes.length) json.attributes_processed = attributesProcessed;
    if (events.length) json.events_processed = eventsProcessed;
    if (errors.length) json.errors = errors;
    return { status: 201, json };
  }

  function exportIds(req: SimRequest): SimResponse {
    const body = req.json;
    const ids = isObject(body) && Array.isArray(body.external_ids) ? (body.external_ids as unknown[]) : null;
    if (!ids || ids.length === 0)
      return { status: 400, json: { message: 'external_ids, user_aliases, ... is required' } };
    if (ids.length > 50)
      return { status: 400, json: { message: "'external_ids' must contain at most 50 ids" } };
    const fields =
      isObject(body) && Array.isArray(body.fields_to_export) ? (body.fields_to_export as string[]) : null;
    const found: Record<string, unknown>[] = [];
    const invalid: string[] = [];
    for (const id of ids) {
      const u = typeof id === 'string' ? users.get(id) : undefined;
      if (!u) {
        invalid.push(String(id));
        continue;
      }
      const out: Record<string, unknown> = { external_id: u.external_id };
      if (!fields || fields.indexOf('custom_attributes') >= 0)
        out.custom_attributes = { ...u.custom_attributes };
      found.push(out);
    }
    const json: Record<string, unknown> = { users: found, message: 'success' };
    if (invalid.length) json.invalid_user_ids = invalid;
    return { status: 201, json };
  }

  const routes: Route[] = [
    { method: 'POST', pattern: '/users/track', handle: endpoint('track', 'users.track', track) },
    {
      method: 'POST',
      pattern: '/users/export/ids',
      handle: endpoint('export', 'users.export.ids', exportIds),
    },
  ];
  const server = await startSimServer({
    routes,
    faults: options.faults,
    clock,
    name: options.name ?? 'braze',
  });

  return {
    server,
    url: server.url,
    apiKey,
    users,
    table() {
      const keys = [...users.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return keys.map((key) => {
        const c = (users.get(key) as BrazeUser).custom_attributes;
        return {
          key,
          walletStatus: cell(c.walletStatus),
          appleWalletInstalledAt: cell(c.appleWalletInstalledAt),
          googleWalletInstalledAt: cell(c.googleWalletInstalledAt),
        };
      });
    },
  };
}
