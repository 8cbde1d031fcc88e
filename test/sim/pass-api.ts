/**
 * The Wallet Crew Pass API on loopback (twc-platform.md §4.2): `GET /api/{tenantId}/passes` with
 * zero-based pageIndex/pageSize, the total in `x-pagination-total`, a passType equals filter, and an
 * `X-API-KEY` check (401). Rate limits and faults come from the simulator core. The body's envelope
 * is not published, so the simulator can answer each shape the backfill accepts.
 */
import type { FaultPlan } from './faults';
import type { RateLimitRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest } from './types';

export interface SimPass {
  id: string;
  passType: string;
  identifiers: Record<string, string>;
  /** Installation date per provider (ISO); absent or null: not installed there. */
  providers: { apple?: string | null; google?: string | null };
  creationDate?: string;
}

export interface PassApiOptions {
  tenantId?: string;
  apiKey?: string;
  passes?: SimPass[];
  envelope?: 'array' | 'items' | 'data';
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
  /** More routes on the same server (the Insights route: one platform base URL serves both). */
  extraRoutes?: Route[];
}

export interface PassApiSimulator {
  server: SimServer;
  url: string;
  tenantId: string;
  apiKey: string;
  passes: SimPass[];
  /** The pageIndex of every answered (2xx) page request, in order. */
  pagesServed(): number[];
}

/** The `filter[i].*` triples of a query string (the core keeps only the first value of each name). */
function filtersOf(req: SimRequest): Array<{ field: string; operator: string; value: string }> {
  const out = [];
  for (let i = 0; req.query[`filter[${i}].field`] !== undefined; i++) {
    out.push({
      field: req.query[`filter[${i}].field`] as string,
      operator: req.query[`filter[${i}].operator`] ?? 'equals',
      value: req.query[`filter[${i}].value`] ?? '',
    });
  }
  return out;
}

function matches(pass: SimPass, filter: { field: string; operator: string; value: string }): boolean {
  const value =
    filter.field === 'passType'
      ? pass.passType
      : filter.field.startsWith('identifiers.')
        ? pass.identifiers[filter.field.slice(12)]
        : undefined;
  if (value === undefined) return false;
  return filter.operator === 'contains' ? value.includes(filter.value) : value === filter.value;
}

function whole(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}

export async function startPassApiSimulator(options: PassApiOptions = {}): Promise<PassApiSimulator> {
  const tenantId = options.tenantId ?? 'acme';
  const apiKey = options.apiKey ?? 'twc-test-api-key';
  const passes = options.passes ?? [];
  const envelope = options.envelope ?? 'array';

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: '/api/:tenant/passes',
      handle(req, params) {
        if (req.headers['x-api-key'] !== apiKey) return { status: 401, json: { error: 'invalid_api_key' } };
        if (params.tenant !== tenantId) return { status: 403, json: { error: 'wrong_tenant' } };
        const pageIndex = whole(req.query.pageIndex, 0);
        const pageSize = whole(req.query.pageSize, 20);
        if (pageIndex === null || pageSize === null || pageSize < 1)
          return { status: 400, json: { error: 'invalid_paging' } };
        const filters = filtersOf(req);
        const found = passes.filter((p) => filters.every((f) => matches(p, f)));
        const page = found.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize);
        const body = envelope === 'array' ? page : { [envelope]: page };
        return { status: 200, headers: { 'x-pagination-total': String(found.length) }, json: body };
      },
    },
  ];
  const server = await startSimServer({
    routes: routes.concat(options.extraRoutes ?? []),
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock: options.clock,
    name: 'pass-api',
  });
  return {
    server,
    url: server.url,
    tenantId,
    apiKey,
    passes,
    pagesServed: () =>
      server.requests
        .filter((r) => r.status !== null && r.status >= 200 && r.status < 300)
        .map((r) => Number(r.query.pageIndex)),
  };
}
