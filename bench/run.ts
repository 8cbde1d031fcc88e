/**
 * `npm run bench [-- --smoke]`: every section of issue 5 in one run, side by side, through ONE
 * build of the bench tenant. The full run writes bench/results/latest.{json,md}; the smoke run
 * (CI) writes nothing unless given `--out DIR`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTenant, ROOT } from '../cli/commands/build';
import { loadTenantFile } from '../cli/config/load';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../test/sim/http-crm';
import type { RateLimitRule } from '../test/sim/rate-limit';
import { batchedCeiling, type BatchedResult } from './batched';
import { measureBundle, type BundleResult } from './bundle-metrics';
import { enginesFromArgs, measureEngines, type EngineBenchResult } from './engine';
import { connectorCeiling, summarizeSim, type CeilingResult } from './ceiling';
import { forkTs, nextMessage, stopChild } from './child';
import { FULL, SMOKE, type BenchConfig } from './config';
import { runBurst } from './burst';
import { machine, type Machine } from './machine';
import { measureMemory, type MemoryResult } from './memory';
import { createNaiveConnector } from './naive';
import { measureOverhead, type OverheadResult } from './overhead';
import { renderMarkdown } from './report';
import { benchTenant, passTypeOf } from './tenant';
import { workload } from './workload';

export interface BenchResult {
  mode: 'full' | 'smoke';
  at: string;
  machine: Machine;
  config: BenchConfig;
  wallSeconds: number;
  /** Wall time of each section, s: where the run's time goes. */
  sectionSeconds: Record<string, number>;
  ceiling: CeilingResult[];
  overhead: OverheadResult;
  bundle: BundleResult;
  memory: MemoryResult;
  /** On NiL.JS itself, when engine builds are given (--engine DLL or TWC_ENGINE_DLLS). */
  engine?: EngineBenchResult;
  /**
   * The batched scenario (HubSpot, B = 100, against its simulator at HubSpot's own limit): its
   * records/s over R x B / 2. Absent until that section runs.
   */
  batched?: BatchedResult;
}

type Progress = (line: string) => void;

/** A section that hangs fails the run instead of holding it forever. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the section did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

async function naiveCeiling(sim: HttpCrmSimulator, apiKey: string, cfg: BenchConfig): Promise<CeilingResult> {
  const work = workload(cfg.customers, cfg.seed, passTypeOf('right'));
  const naive = createNaiveConnector({
    baseUrl: sim.server.url,
    apiKey,
    passTypes: [passTypeOf('right')],
    maxInFlight: cfg.maxConcurrent,
  });
  const from = sim.server.requests.length;
  const burst = await runBurst(naive.hooks, work.calls, {
    redeliverRounds: 0,
    redeliverDelayMs: 0,
    deadlineMs: cfg.scenarioDeadlineMs,
  });
  // Its calls always resolve: the events it lost are the writes the CRM refused.
  burst.lost += naive.lost();
  const result = summarizeSim(
    { sim, from },
    burst,
    cfg,
    {
      config: 'naive',
      configuredRate: null,
      recordsPerRequest: 1,
      ceilingRule: 'R x B (one PUT per event, no read, B = 1)',
    },
    work,
    {},
  );
  return result;
}

export async function runBench(cfg: BenchConfig, progress: Progress = () => undefined): Promise<BenchResult> {
  const t0 = performance.now();
  const sectionSeconds: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    progress(`${name}...`);
    const s0 = performance.now();
    try {
      return await work();
    } finally {
      sectionSeconds[name] = Math.round((performance.now() - s0) / 100) / 10;
    }
  };
  // A fresh key per run: it exists only in this process and its children.
  const apiKey = randomBytes(16).toString('hex');
  const limit: RateLimitRule = { window: 'sliding', requests: cfg.rate, intervalMs: cfg.intervalMs };
  const sims: HttpCrmSimulator[] = [];
  const start = async (name: string, rateLimit?: RateLimitRule): Promise<HttpCrmSimulator> => {
    const sim = await startHttpCrmSimulator({ apiKey, rateLimit, name });
    sims.push(sim);
    return sim;
  };
  const host = forkTs('sim-host.ts');
  const outDir = mkdtempSync(join(tmpdir(), 'twc-bench-'));
  try {
    const right = await start('right', limit);
    const unknown = await start('unknown', limit);
    const naiveSim = await start('naive', limit);
    const slow = await start('slow', { window: 'sliding', requests: cfg.memoryRate, intervalMs: 1000 });
    host.send({ type: 'start', apiKey });
    const overheadCrm = await nextMessage<{ url: string }>(host, 'ready', 20_000);
    const rate = { requests: cfg.rate, intervalMs: cfg.intervalMs, maxConcurrent: cfg.maxConcurrent };
    const tenant = benchTenant([
      { id: 'right', baseUrl: right.server.url, configuredRate: rate },
      {
        id: 'unknown',
        baseUrl: unknown.server.url,
        configuredRate: { ...rate, requests: rate.requests * 2 },
      },
      {
        id: 'overhead',
        baseUrl: overheadCrm.url,
        configuredRate: { requests: 1_000_000, intervalMs: 1000, maxConcurrent: cfg.maxConcurrent },
      },
      {
        id: 'memory',
        baseUrl: slow.server.url,
        configuredRate: { ...rate, requests: cfg.memoryRate, intervalMs: 1000 },
      },
    ]);
    const built = await timed('build (one bench tenant for every section)', () =>
      buildTenant(tenant, outDir),
    );
    const code = readFileSync(built.file, 'utf8');
    // Issue #15's size figure is the example tenant's bundle, by module.
    const example = await timed('build tenants/example.json (the bundle size figure)', () =>
      buildTenant(loadTenantFile(join(ROOT, 'tenants', 'example.json')), join(outDir, 'example'), true),
    );

    const bundle = await timed('3. bundle', () => measureBundle(built, code, cfg.loadRepeats, example));
    const perSec = (cfg.rate * 1000) / cfg.intervalMs;
    const ceiling: CeilingResult[] = [];
    const burstOf = (id: 'right' | 'unknown') => workload(cfg.customers, cfg.seed, passTypeOf(id));
    ceiling.push(
      await timed('1. ceiling, limit configured right', () =>
        connectorCeiling(code, apiKey, right, cfg, 'right', perSec, burstOf('right')),
      ),
    );
    ceiling.push(
      await timed('1. ceiling, limit unknown (configured at twice the real limit)', () =>
        connectorCeiling(code, apiKey, unknown, cfg, 'unknown', perSec * 2, burstOf('unknown')),
      ),
    );
    ceiling.push(await timed('1. ceiling, naive baseline', () => naiveCeiling(naiveSim, apiKey, cfg)));
    const batched = await timed('1b. batched ceiling (HubSpot, B = 100)', () => batchedCeiling(cfg, outDir));
    const requestCount = async (): Promise<number> => {
      host.send({ type: 'requests' });
      return (await nextMessage<{ count: number }>(host, 'requests', 5000)).count;
    };
    const overhead = await timed('2. overhead', () =>
      withDeadline(measureOverhead(code, { url: overheadCrm.url, apiKey, requestCount }, cfg), 300_000),
    );
    const memory = await timed('4. memory under backlog', () => measureMemory(built.file, apiKey, cfg));
    return {
      mode: cfg.mode,
      at: new Date().toISOString(),
      machine: machine(),
      config: cfg,
      wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
      sectionSeconds,
      ceiling,
      overhead,
      bundle,
      memory,
      batched,
    };
  } finally {
    await stopChild(host);
    await Promise.all(sims.map((s) => s.server.close()));
    rmSync(outDir, { recursive: true, force: true });
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const cfg = smoke ? SMOKE : FULL;
  const out = argValue('--out') ?? (smoke ? undefined : join(__dirname, 'results'));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const result = await runBench(cfg, log);
  const engines = enginesFromArgs(process.argv, process.env);
  if (engines.length > 0) {
    log('5. on the engine...');
    result.engine = await measureEngines(engines);
  }
  const markdown = renderMarkdown(result);
  process.stdout.write(`${markdown}\n`);
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(out, 'latest.md'), `${markdown}\n`);
    log(`wrote ${join(out, 'latest.json')} and latest.md`);
  }
}

if (require.main === module) {
  main().then(
    // Lingering sockets or timers of abandoned work must not keep a finished benchmark alive.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
