/**
 * The Wallet Crew Insights API on loopback (twc-platform.md §5): `POST /api/{tenantId}/insights/query`
 * with `{ query, parameters }`, answered `{ rows }`; `X-API-KEY` checked (401); 60 calls per minute
 * (429 with Retry-After) unless told otherwise. It does not run KQL: it answers the rows it is given
 * and records each query so tests can check what was asked.
 */
import type { FaultPlan } from './faults';
import type { RateLimitRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route } from './types';

export interface InsightsApiOptions {
  tenantId?: string;
  apiKey?: string;
  rows?: unknown[][];
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
}

export interface InsightsApiSimulator {
  server: SimServer;
  url: string;
  queries: Array<{ query: string; parameters: unknown }>;
}

export const INSIGHTS_LIMIT: RateLimitRule = { requests: 60, intervalMs: 60000 };

/** The route alone, so a test can serve it beside the Pass API on one platform base URL. */
export function insightsRoute(options: InsightsApiOptions, queries: InsightsApiSimulator['queries']): Route {
  const tenantId = options.tenantId ?? 'acme';
  const apiKey = options.apiKey ?? 'twc-test-api-key';
  return {
    method: 'POST',
    pattern: '/api/:tenant/insights/query',
    handle(req, params) {
      if (req.headers['x-api-key'] !== apiKey) return { status: 401, json: { error: 'invalid_api_key' } };
      if (params.tenant !== tenantId) return { status: 403, json: { error: 'wrong_tenant' } };
      const body = req.json as { query?: unknown; parameters?: unknown } | undefined;
      if (!body || typeof body.query !== 'string' || body.query.trim() === '')
        return { status: 400, json: { error: 'query is required' } };
      queries.push({ query: body.query, parameters: body.parameters });
      return { status: 200, json: { rows: options.rows ?? [] } };
    },
  };
}

export async function startInsightsApiSimulator(
  options: InsightsApiOptions = {},
): Promise<InsightsApiSimulator> {
  const queries: InsightsApiSimulator['queries'] = [];
  const server = await startSimServer({
    routes: [insightsRoute(options, queries)],
    rateLimit: options.rateLimit ?? INSIGHTS_LIMIT,
    faults: options.faults,
    clock: options.clock,
    name: 'insights-api',
  });
  return { server, url: server.url, queries };
}
