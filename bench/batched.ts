/**
 * Section 1b, the batched ceiling: the HubSpot destination (batch read + batch upsert, B = 100
 * contacts a request) through the BUILT bundle against its simulator at HubSpot's own limit (100
 * requests per ten seconds, 429 past it), with the tenant configured at that limit. readModifyWrite
 * spends one batch read and one batch upsert per batch, so the ceiling is R x B / 2 records/s: far
 * above the request rate, and reached only if batches leave full.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '../cli/build/load-bundle';
import { buildTenant } from '../cli/commands/build';
import type { TenantConfig } from '../connector/config/tenant-config.generated';
import { HUBSPOT_TOKEN, hubspotTenSecondly, startHubSpotSimulator } from '../test/sim/hubspot';
import { runBurst, type Hooks } from './burst';
import type { BenchConfig } from './config';
import { round } from './stats';
import { workload } from './workload';

export const BATCHED_PASS_TYPE = 'bench-hubspot';
const TOKEN_SECRET = 'bench-hubspot-token';
/** HubSpot's limit for a private app: 100 requests per rolling ten seconds. */
export const HUBSPOT_LIMIT = { requests: 100, intervalMs: 10_000 };
const BATCH = 100;

export interface BatchedResult {
  calls: number;
  /** Contacts written: inputs of the batch upserts HubSpot accepted (2xx). */
  recordsWritten: number;
  requests: number;
  refused429: number;
  durationMs: number;
  recordsPerSec: number;
  ceilingPerSec: number;
  ratio: number;
  truth: { customers: number; mismatches: number };
  lostEvents: number;
  /** Calls rejected at least once (delivered again), and why. */
  rejectedOnce: number;
  rejectionReasons: Record<string, number>;
  timedOut: boolean;
}

export function batchedTenant(baseUrl: string): TenantConfig {
  return {
    tenantId: 'bench-hubspot',
    joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
    destinations: [
      {
        id: 'hubspot',
        type: 'hubspot',
        baseUrl,
        auth: { scheme: 'bearer', tokenSecret: TOKEN_SECRET },
        idProperty: 'customer_id',
        route: { passTypes: [BATCHED_PASS_TYPE] },
        batch: { maxSize: BATCH, maxWaitMs: 200 },
        rateLimit: { ...HUBSPOT_LIMIT, maxConcurrent: 4 },
      },
    ],
  } as TenantConfig;
}

function upsertInputs(json: unknown): number {
  const inputs = json && typeof json === 'object' ? (json as { inputs?: unknown }).inputs : undefined;
  return Array.isArray(inputs) ? inputs.length : 0;
}

export async function batchedCeiling(cfg: BenchConfig, outDir: string): Promise<BatchedResult> {
  const sim = await startHubSpotSimulator({
    rateLimit: hubspotTenSecondly(HUBSPOT_LIMIT.requests, HUBSPOT_LIMIT.intervalMs),
  });
  try {
    const built = await buildTenant(batchedTenant(sim.server.url), join(outDir, 'batched'));
    const bundle = loadBundle(readFileSync(built.file, 'utf8'), {
      fetch,
      timers: true,
      secrets: { [TOKEN_SECRET]: HUBSPOT_TOKEN },
      console: {},
    });
    const work = workload(cfg.batchedCustomers, cfg.seed, BATCHED_PASS_TYPE);
    const burst = await runBurst(bundle.hooks as Hooks, work.calls, {
      redeliverRounds: cfg.redeliverRounds,
      redeliverDelayMs: cfg.redeliverDelayMs,
      deadlineMs: cfg.scenarioDeadlineMs,
    });
    const requests = sim.server.requests;
    const written = requests
      .filter((r) => r.path.endsWith('/batch/upsert') && r.status !== null && r.status < 300)
      .reduce((n, r) => n + upsertInputs(r.json), 0);
    const ceiling = ((HUBSPOT_LIMIT.requests * 1000) / HUBSPOT_LIMIT.intervalMs) * (BATCH / 2);
    const perSec = burst.durationMs > 0 ? written / (burst.durationMs / 1000) : 0;
    const table = new Map(sim.table().map((row) => [row.key, row]));
    let mismatches = 0;
    for (const [key, want] of Object.entries(work.expected)) {
      const row = table.get(key.toLowerCase()) ?? table.get(key);
      const status = row ? row.walletStatus || 'none' : 'none';
      if (
        status !== want.walletStatus ||
        Boolean(row?.apple) !== want.apple ||
        Boolean(row?.google) !== want.google
      )
        mismatches++;
    }
    return {
      calls: burst.calls,
      recordsWritten: written,
      requests: requests.length,
      refused429: requests.filter((r) => r.refused).length,
      durationMs: round(burst.durationMs),
      recordsPerSec: round(perSec, 1),
      ceilingPerSec: ceiling,
      ratio: round(perSec / ceiling, 3),
      truth: { customers: Object.keys(work.expected).length, mismatches },
      lostEvents: burst.lost,
      rejectedOnce: burst.rejectedOnce,
      rejectionReasons: burst.rejectionReasons,
      timedOut: burst.timedOut,
    };
  } finally {
    await sim.server.close();
  }
}
