/**
 * One ceiling scenario alone, for tuning the limiter on a shared machine:
 * `npx tsx bench/ceiling-run.ts right|unknown|batched [--smoke] [--node]`. Prints the scenario's
 * figures as JSON; `npm run bench` stays the run that writes the report. `--node` runs the http
 * scenarios on the connector's Node entry (createConnector, Node's fetch and timers) instead of the
 * built bundle: the limiter's policy alone, without the bundle's per-call hook drivers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTenant } from '../cli/commands/build';
import { startHttpCrmSimulator } from '../test/sim/http-crm';
import { batchedCeiling } from './batched';
import { createNodeHost } from '../cli/node-host';
import { destinationDefinitions } from '../connector/destinations/registry';
import { createConnector } from '../connector/runtime';
import { runBurst, type Hooks } from './burst';
import { burstOptions, connectorCeiling, summarizeSim } from './ceiling';
import type { BenchConfig } from './config';
import type { Workload } from './workload';
import type { HttpCrmSimulator } from '../test/sim/http-crm';
import type { TenantConfig } from '../connector/config/tenant-config.generated';
import { FULL, SMOKE } from './config';
import { benchTenant, passTypeOf, SECRET_NAME } from './tenant';
import { workload } from './workload';

async function main(): Promise<void> {
  const which = process.argv[2];
  const base = process.argv.includes('--smoke') ? SMOKE : FULL;
  // CEILING_CUSTOMERS=N shrinks or grows the burst (both scenarios) to see how a ratio scales.
  const n = Number(process.env.CEILING_CUSTOMERS) || 0;
  const cfg = n ? { ...base, customers: n, batchedCustomers: n } : base;
  const outDir = mkdtempSync(join(tmpdir(), 'twc-ceiling-'));
  try {
    if (which === 'batched') {
      process.stdout.write(`${JSON.stringify(await batchedCeiling(cfg, outDir))}\n`);
      return;
    }
    if (which !== 'right' && which !== 'unknown')
      throw new Error('usage: ceiling-run.ts right|unknown|batched');
    const apiKey = randomBytes(16).toString('hex');
    const sim = await startHttpCrmSimulator({
      apiKey,
      name: which,
      rateLimit: { window: 'sliding', requests: cfg.rate, intervalMs: cfg.intervalMs },
    });
    try {
      const perSec = (cfg.rate * 1000) / cfg.intervalMs;
      const factor = which === 'right' ? 1 : 2;
      const rate = {
        requests: cfg.rate * factor,
        intervalMs: cfg.intervalMs,
        maxConcurrent: cfg.maxConcurrent,
      };
      const work = workload(cfg.customers, cfg.seed, passTypeOf(which));
      const tenant = benchTenant([{ id: which, baseUrl: sim.server.url, configuredRate: rate }]);
      const result = process.argv.includes('--node')
        ? await nodeCeiling(tenant, apiKey, sim, cfg, which, perSec * factor, work)
        : await connectorCeiling(
            readFileSync((await buildTenant(tenant, outDir)).file, 'utf8'),
            apiKey,
            sim,
            cfg,
            which,
            perSec * factor,
            work,
          );
      const methods: Record<string, number> = {};
      for (const r of sim.server.requests) methods[r.method] = (methods[r.method] || 0) + 1;
      process.stdout.write(`${JSON.stringify({ ...result, methods })}\n`);
    } finally {
      await sim.server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function nodeCeiling(
  tenant: TenantConfig,
  apiKey: string,
  sim: HttpCrmSimulator,
  cfg: BenchConfig,
  config: 'right' | 'unknown',
  configuredRate: number,
  work: Workload,
) {
  const host = createNodeHost({ secrets: { [SECRET_NAME]: apiKey }, log: () => undefined });
  const connector = createConnector({ config: tenant, host, definitions: destinationDefinitions });
  const hooks = {
    OnPassInstalled: (...args: unknown[]) => connector.handle('OnPassInstalled', args),
    OnPassUninstalled: (...args: unknown[]) => connector.handle('OnPassUninstalled', args),
  } as Hooks;
  const use = { sim, from: sim.server.requests.length };
  const burst = await runBurst(hooks, work.calls, burstOptions(cfg));
  connector.stop();
  const extra = { config, configuredRate, recordsPerRequest: 0.5, ceilingRule: 'R x B / 2 (Node entry)' };
  return summarizeSim(use, burst, cfg, extra, work, {});
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
