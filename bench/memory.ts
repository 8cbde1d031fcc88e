/**
 * Section 4, parent side: serves the slow CRM (a low rate limit the tenant is configured for, so
 * the backlog waits in the connector's queue instead of bouncing off 429s), forks the backlog
 * process, takes its report and makes sure it is gone, within a deadline.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { buildTenant } from '../cli/commands/build';
import { startHttpCrmSimulator } from '../test/sim/http-crm';
import { FULL, SMOKE, type BenchConfig } from './config';
import { runAsMain } from './main';
import { liveHeapKbPerQueuedEvent } from './report';
import { forkTs, nextMessage, stopChild } from './child';
import type { MemoryReport, MemoryStart } from './memory-child';
import { benchTenant, passTypeOf } from './tenant';

export interface MemoryResult extends Omit<MemoryReport, 'type'> {
  crmRatePerSec: number;
  /** Growth from the last wave before the queue refused anything to the last wave: ~0 when bounded. */
  growthAfterLimitMb: number | null;
  liveHeapGrowthAfterLimitMb: number | null;
  bounded: string;
}

/**
 * The backlog process, compiled ahead to one plain JavaScript file and run by plain `node`. Run under
 * tsx instead (`--import tsx`), the process holds 74 to 90 MB of RSS before the bundle is loaded,
 * against about 40 MB: tsx's loader (its module hooks run in a worker thread of their own, with
 * esbuild) is the harness's memory, not the connector's, and it counted in every peak.
 * docs/benchmarks.md ("Memory per queued event") gives the figures both ways; `tsx: true` runs
 * the child the old way, for that comparison.
 */
function forkBacklogChild(tsx: boolean, dir: string): ChildProcess {
  if (tsx) return forkTs('memory-child.ts', ['--expose-gc']);
  const outfile = join(dir, 'memory-child.js');
  buildSync({
    entryPoints: [join(__dirname, 'memory-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return fork(outfile, [], {
    cwd: join(__dirname, '..'),
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function measureMemory(
  bundleFile: string,
  apiKey: string,
  cfg: BenchConfig,
  options: { tsxChild?: boolean } = {},
): Promise<MemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'twc-bench-memory-child-'));
  let child: ChildProcess | null = null;
  try {
    child = forkBacklogChild(options.tsxChild === true, dir);
    const start: MemoryStart = {
      type: 'start',
      bundleFile,
      apiKey,
      passType: passTypeOf('memory'),
      calls: cfg.memoryCalls,
      wave: cfg.memoryWave,
      pauseMs: cfg.mode === 'smoke' ? 100 : 200,
    };
    child.send(start);
    const report = await nextMessage<MemoryReport>(child, 'report', cfg.mode === 'smoke' ? 20_000 : 120_000);
    const full = report.waves.findIndex((w) => w.refused > 0);
    const before = full > 0 ? report.waves[full - 1] : undefined;
    const last = report.waves[report.waves.length - 1];
    const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
      before && last && typeof a === 'number' && typeof b === 'number' ? Math.round((b - a) * 10) / 10 : null;
    const rest: Partial<MemoryReport> = { ...report };
    delete rest.type;
    return {
      ...(rest as Omit<MemoryReport, 'type'>),
      crmRatePerSec: cfg.memoryRate,
      growthAfterLimitMb: diff(before?.rssMb, last?.rssMb),
      liveHeapGrowthAfterLimitMb: diff(before?.liveHeapMb, last?.liveHeapMb),
      bounded:
        report.refusedQueueFull > 0
          ? `the queue limit: with ${report.queuedAtEnd} events queued, each further call is refused at once with a transient error`
          : 'queue limit not reached at this size',
    };
  } finally {
    if (child) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The slow CRM and a build of the bench tenant with only the backlog's destination, for `run`. */
export async function withSlowCrm<T>(
  cfg: Pick<BenchConfig, 'memoryRate' | 'maxConcurrent'>,
  minify: boolean,
  run: (bundleFile: string, apiKey: string) => Promise<T>,
): Promise<T> {
  const apiKey = randomBytes(16).toString('hex');
  const slow = await startHttpCrmSimulator({
    apiKey,
    rateLimit: { window: 'sliding', requests: cfg.memoryRate, intervalMs: 1000 },
    name: 'slow',
  });
  const outDir = mkdtempSync(join(tmpdir(), 'twc-bench-memory-'));
  try {
    const tenant = benchTenant([
      {
        id: 'memory',
        baseUrl: slow.server.url,
        configuredRate: { requests: cfg.memoryRate, intervalMs: 1000, maxConcurrent: cfg.maxConcurrent },
      },
    ]);
    const built = await buildTenant(tenant, outDir, false, minify);
    return await run(built.file, apiKey);
  } finally {
    await slow.server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * `npx tsx bench/memory.ts [--smoke] [--calls N] [--tsx-child]`: this section alone (a slow CRM, one build of the
 * bench tenant with only the backlog's destination), printed as JSON. Memory figures do not depend
 * on the machine's load, so this is how a change to what a queued call holds is measured.
 */
async function main(): Promise<void> {
  const base = process.argv.includes('--smoke') ? SMOKE : FULL;
  const at = process.argv.indexOf('--calls');
  const cfg = at > 0 ? { ...base, memoryCalls: Number(process.argv[at + 1]) } : base;
  await withSlowCrm(cfg, true, async (bundleFile, apiKey) => {
    const result = await measureMemory(bundleFile, apiKey, cfg, {
      tsxChild: process.argv.includes('--tsx-child'),
    });
    const { waves, ...summary } = result;
    const perEvent = liveHeapKbPerQueuedEvent(result);
    process.stdout.write(
      `${JSON.stringify({ ...summary, liveHeapKbPerQueuedEvent: perEvent, waves }, null, 2)}\n`,
    );
  });
}

if (require.main === module) runAsMain(main);
