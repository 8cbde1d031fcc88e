/**
 * The engine section of the benchmark: the BUILT bundle on NiL.JS itself, through the project's host
 * (engine-host/, as `npm run engine-check` runs it), for each engine build given (`--engine DLL`,
 * repeatable, or TWC_ENGINE_DLLS=a.dll,b.dll; `npm run bench` adds this section when either is set).
 *
 * Per build: load + register COLD (the first module in a fresh process) and WARM (median of further
 * loads in the same process), each split into parse, module body and registration, against the
 * 150 ms target; and hook calls per second through the bundle with the host pinned to ONE core
 * (taskset) against a CRM simulator that answers at once (it runs in this process, unpinned). The
 * same calls/s on Node (the bundle in the node:vm stand-in, one core) gives the ratio.
 *
 * Run alone: npx tsx bench/engine.ts --engine /path/NiL.JS.dll [--engine ...] [--repeat N]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTenant, ROOT } from '../cli/commands/build';
import { buildHost, runHost, type HostSummary } from '../cli/commands/engine-check';
import { loadTenantFile } from '../cli/config/load';
import { startHttpCrmSimulator } from '../test/sim/http-crm';
import { forkTs, nextMessage, stopChild } from './child';
import { median } from './stats';
import type { NodeRunResult } from './engine-node-child';

export const ENGINE_LOAD_TARGET_MS = 150;
/** Calls in flight, as the engine check runs them. */
const IN_FLIGHT = 16;
/** Measured loads after the settling ones, for the warm medians. */
const WARM_LOADS = 25;
/**
 * Loads after the first and before the measured ones, at least. .NET compiles the engine's parser
 * with full optimisation only after it has run a while (tiered compilation: each method is counted
 * for 30 calls, compiled again with instrumentation, counted again, then optimised, in the
 * background on the same pinned core), so the loads just after the first measure that JIT work as
 * well as the parse. A platform that parses scripts all day runs the optimised parser; the early
 * loads are reported beside the steady ones.
 */
export const SETTLE_LOADS = 30;
/**
 * Settling goes on until this many loads in a row compiled no new method. Measured pinned on both
 * builds: the runtime is still compiling the engine's code 300 loads in, with quiet stretches of up
 * to 64 loads before it has finished (at about 350), and compiles nothing more over the next 350.
 */
const JIT_QUIET_LOADS = 100;
/** The previous sessions' warm figure: median of the 15 loads right after the 30 settling ones. */
const AFTER_SETTLE_LOADS = 15;
/**
 * How many times the replay runs through test/replay/sample.jsonl (227 calls) for calls/s. .NET
 * compiles the engine's code during a replay's first seconds, as during the first loads: with 4 (908
 * calls) rounds of one bundle moved by up to 2x; with 16 (3,632 calls) most stayed within 30% of
 * each other (docs/benchmarks.md, "Sixth session").
 */
const REPLAY_REPEAT = 16;
/** One core for the script host (and for the Node run): the figure is per core. */
const PIN = ['taskset', '-c', '0'];

export interface EngineFigures {
  engine: string;
  cold: {
    loadAndRegisterMs: number;
    cpuMs: number;
    parseMs: number;
    bodyMs: number;
    registerMs: number;
    /** The empty module loaded before it, in the same fresh process. */
    emptyModuleMs: number;
  };
  /** Measured once the runtime has finished compiling (JIT_QUIET_LOADS): the figure held to the target. */
  warm: NonNullable<HostSummary['warm']>;
  /**
   * Median of the loads right after a fixed 30 settling ones, from the same series: what this
   * section reported as warm before it waited for the JIT (still mid-compilation, so it swung
   * between about 85 and 250 ms from run to run).
   */
  afterFixedSettleMs: number;
  /**
   * The same warm loads, runtime defaults, in a fresh process NOT pinned (every core of this
   * machine): a server host has cores to spare for .NET's background compilation.
   */
  warmUnpinned: NonNullable<HostSummary['warm']>;
  calls: number;
  resolved: number;
  callsPerSec: number;
  cpuMsPerCall: number;
}

export interface EngineBenchResult {
  bundleBytes: number;
  calls: number;
  inFlight: number;
  engines: EngineFigures[];
  node: NodeRunResult;
}

/** The engines named by --engine or TWC_ENGINE_DLLS (comma-separated); empty when neither is given. */
export function enginesFromArgs(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const fromArgs = argv.flatMap((a, i) => (a === '--engine' && argv[i + 1] ? [argv[i + 1] as string] : []));
  const fromEnv = (env.TWC_ENGINE_DLLS || '').split(',').filter((s) => s.trim() !== '');
  return [...fromArgs, ...fromEnv];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export async function measureEngines(dlls: string[], repeat = REPLAY_REPEAT): Promise<EngineBenchResult> {
  const apiKey = randomBytes(16).toString('hex');
  const sim = await startHttpCrmSimulator({ apiKey, name: 'engine-bench' });
  const work = mkdtempSync(join(tmpdir(), 'twc-engine-bench-'));
  try {
    const tenant = loadTenantFile(join(ROOT, 'tenants/example.json'));
    const simTenant = Object.assign({}, tenant, {
      // No throttle of the connector's own: the figure is the engine's, not a configured rate's.
      destinations: tenant.destinations.map((d) =>
        Object.assign({}, d, {
          baseUrl: sim.server.url,
          rateLimit: { requests: 1_000_000, intervalMs: 1000, maxConcurrent: IN_FLIGHT },
        }),
      ),
    });
    const built = await buildTenant(simTenant, join(work, 'dist'));
    const secretName =
      (simTenant.destinations[0] as { auth: { secret?: string } }).auth.secret || 'crm-sim-api-key';
    const secretsFile = join(work, 'secrets.json');
    writeFileSync(secretsFile, JSON.stringify({ [secretName]: apiKey }), { mode: 0o600 });
    // The per-wallet recording, several times over: enough calls for a steady rate.
    const sample = readFileSync(join(ROOT, 'test/replay/sample.jsonl'), 'utf8').trim();
    const callsFile = join(work, 'calls.jsonl');
    writeFileSync(callsFile, `${Array.from({ length: repeat }, () => sample).join('\n')}\n`);
    const calls = sample.split('\n').length * repeat;

    const engines: EngineFigures[] = [];
    for (const dll of dlls) {
      // Loads and the replay in two processes: the 45 loads leave their instances' garbage (and
      // NiL's module tables) behind, which the replay's calls/s would pay for.
      const bundleArgs = ['--bundle', built.file, '--secrets', secretsFile];
      const loadArgs = [
        ...bundleArgs,
        '--measure-load',
        String(WARM_LOADS),
        '--settle-loads',
        String(SETTLE_LOADS),
        '--settle-until-jit-quiet',
        String(JIT_QUIET_LOADS),
        '--log',
        join(work, 'engine-loads.log'),
      ];
      // Each set of loads in its own fresh host process, run under `prefix`.
      const loads = async (how: string, prefix: string[]) => {
        const run = await runHost(buildHost(dll), loadArgs, prefix);
        if (run.stage !== 'registered' || !run.warm)
          throw new Error(
            `the engine host failed to load on ${dll} (${how}): ${run.stage} ${run.error || run.fatal || ''}`,
          );
        return { ...run, warm: run.warm };
      };
      const host = await loads('pinned', PIN);
      const unpinned = await loads('not pinned', []);
      const replay = await runHost(
        buildHost(dll),
        [
          ...bundleArgs,
          '--calls',
          callsFile,
          '--in-flight',
          String(IN_FLIGHT),
          '--redeliver',
          '0',
          '--log',
          join(work, 'engine.log'),
        ],
        PIN,
      );
      if (replay.stage !== 'replayed' || !replay.rounds || !replay.rounds[0])
        throw new Error(
          `the engine host failed on ${dll}: ${replay.stage} ${replay.error || replay.fatal || ''}`,
        );
      const replayMs = replay.replayMs as number;
      engines.push({
        engine: dll,
        cold: {
          loadAndRegisterMs: host.loadAndRegisterMs as number,
          cpuMs: host.loadAndRegisterCpuMs as number,
          parseMs: host.parseMs as number,
          bodyMs: host.bodyMs as number,
          registerMs: host.registerMs as number,
          emptyModuleMs: host.emptyModuleMs as number,
        },
        warm: host.warm,
        afterFixedSettleMs: median(host.warm.seriesMs.slice(SETTLE_LOADS, SETTLE_LOADS + AFTER_SETTLE_LOADS)),
        warmUnpinned: unpinned.warm,
        calls,
        resolved: replay.rounds[0].resolved,
        callsPerSec: round1((calls * 1000) / replayMs),
        cpuMsPerCall: round1((replay.replayCpuMs as number) / calls),
      });
    }

    const child = forkTs('engine-node-child.ts');
    try {
      if (child.pid) await pin(child.pid);
      child.send({
        type: 'run',
        bundle: built.file,
        calls: callsFile,
        secrets: secretsFile,
        inFlight: IN_FLIGHT,
      });
      const node = await nextMessage<NodeRunResult>(child, 'result', 300_000);
      return { bundleBytes: built.bytes, calls, inFlight: IN_FLIGHT, engines, node };
    } finally {
      await stopChild(child);
    }
  } finally {
    await sim.server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Pins a running process to the benchmark's core. */
async function pin(pid: number): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  execFileSync('taskset', ['-p', '-c', PIN[2] as string, String(pid)], { stdio: 'ignore' });
}

const met = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** How the warm loads' settling went: loads it took, and methods compiled while they were measured. */
function settling(w: NonNullable<HostSummary['warm']>): string {
  const end = w.jitQuiet
    ? `JIT quiet after ${w.settleLoads} loads`
    : `JIT NOT quiet after ${w.settleLoads} loads`;
  return `${end}, ${w.compiledDuringMeasure} compiled while measured`;
}

export function renderEngineMarkdown(r: EngineBenchResult): string {
  const label = (dll: string): string => {
    const m = /\/([0-9a-f]{8})\//.exec(dll);
    return m ? `NiL.JS ${m[1]}` : dll;
  };
  const rows = r.engines.map((e) =>
    [
      label(e.engine),
      `${e.cold.loadAndRegisterMs} ms, ${e.cold.cpuMs} ms CPU, ${met(e.cold.loadAndRegisterMs <= ENGINE_LOAD_TARGET_MS)} (empty module: ${e.cold.emptyModuleMs} ms)`,
      `${e.cold.parseMs} / ${e.cold.bodyMs} / ${e.cold.registerMs} ms`,
      `${e.warm.earlyLoadAndRegisterMs} ms`,
      `${e.afterFixedSettleMs} ms`,
      `${e.warm.loadAndRegisterMs} ms, ${e.warm.loadAndRegisterCpuMs} ms CPU (${met(e.warm.loadAndRegisterMs <= ENGINE_LOAD_TARGET_MS)})`,
      settling(e.warm),
      `${e.warm.parseMs} / ${e.warm.bodyMs} / ${e.warm.registerMs} ms`,
      `${e.warmUnpinned.loadAndRegisterMs} ms, ${e.warmUnpinned.loadAndRegisterCpuMs} ms CPU (${settling(e.warmUnpinned)})`,
      `${e.warm.reusedScriptInstanceMs} ms`,
      `${e.callsPerSec} (${e.resolved} of ${e.calls} resolved)`,
      `${e.cpuMsPerCall} ms`,
      `${round1(r.node.callsPerSec / e.callsPerSec)}x`,
    ].join(' | '),
  );
  return [
    `## 5. On the engine (NiL.JS)`,
    '',
    `The built bundle (${(r.bundleBytes / 1024).toFixed(1)} KB, tenants/example.json) in engine-host/. Load + register`,
    `target <= ${ENGINE_LOAD_TARGET_MS} ms. Cold: the bundle's first load in a fresh process, after an empty module (whose own load is in brackets: the bundle's figure is what it costs beyond it, as issue #15 measured); early: median of the 5 loads after it (the`,
    `runtime is still compiling the engine's code with full optimisation, on the same core); after ${SETTLE_LOADS}: median of the`,
    `${AFTER_SETTLE_LOADS} loads after ${SETTLE_LOADS} (the previous sessions' warm figure, still mid-compilation); warm: median of ${WARM_LOADS} loads once`,
    `the JIT has settled, i.e. after at least ${SETTLE_LOADS} settling loads and until ${JIT_QUIET_LOADS} loads in a row compiled no new method (the`,
    `runtime's count; "settling" gives how many loads that took and the methods compiled during the measured ones, 0 when`,
    `settled). Each load is a fresh parse: a platform that parses scripts all day. Also an instance of the already parsed`,
    `script (what a per-call host pays). The target is held against warm: issue #15 counts the load as what a host pays on`,
    `every event, which a long-running host does with its JIT settled. Warm, not pinned: the same, runtime defaults, on`,
    `every core of this machine (process CPU then counts the compiler's thread too): reported beside it.`,
    `calls/s: ${r.calls} calls of test/replay/sample.jsonl in a fresh host process, ${r.inFlight} in flight, host pinned to one core, CRM simulator`,
    'answering at once in another process. Wall times include waiting for the core: the load on the machine shows in',
    'the gap between wall and CPU.',
    '',
    `| build | load + register, cold | parse / body / register, cold | load + register, early | load + register, after ${SETTLE_LOADS} | load + register, warm | settling | parse / body / register, warm | load + register, warm, not pinned | instance of a parsed script, warm | calls/s, one core | CPU per call | Node is faster by |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row} |`),
    `| Node ${process.versions.node} (node:vm stand-in) | ${r.node.firstLoadMs} ms | - | - | - | ${r.node.warmLoadMs} ms | - | - | - | - | ${r.node.callsPerSec} (${r.node.resolved} of ${r.node.calls} resolved) | ${r.node.cpuMsPerCall} ms | 1x |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const dlls = enginesFromArgs(process.argv, process.env);
  if (dlls.length === 0) throw new Error('give --engine /path/NiL.JS.dll (or TWC_ENGINE_DLLS=a.dll,b.dll)');
  const i = process.argv.indexOf('--repeat');
  const result = await measureEngines(dlls, i > 0 ? Number(process.argv[i + 1]) : undefined);
  process.stdout.write(`${renderEngineMarkdown(result)}\n`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** Ends the process either way: lingering sockets of abandoned work must not keep it alive. */
function exitAfter(failure?: unknown): void {
  if (failure !== undefined)
    process.stderr.write(`${failure instanceof Error ? failure.stack : String(failure)}\n`);
  process.exit(failure === undefined ? 0 : 1);
}

if (require.main === module) main().then(() => exitAfter(), exitAfter);
