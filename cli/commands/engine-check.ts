/**
 * engine-check: the built bundle on NiL.JS itself. Builds the project's .NET host (engine-host/)
 * against a NiL.JS.dll the user built from the engine's public source, builds the tenant, starts
 * the CRM simulator, runs each replay file through the host (N calls in flight, rejected calls
 * delivered again as the platform does) and prints the outcome and the final table against the
 * truth. Nothing of the engine is part of this project: its path is an argument.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildTenant, ROOT } from './build';
import { loadTenantFile } from '../config/load';
import { readJsonFile } from '../files';
import { startHttpCrmSimulator, type CrmTableRow } from '../../test/sim/http-crm';
import { formatTable } from '../../test/sim/table';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from '../exit-codes';

export interface EngineCheckOptions {
  engines: string[];
  tenantFile?: string;
  replays?: Array<{ calls: string; expected: string }>;
  inFlight?: number;
  threads?: 'pool' | 'single';
  /** shared: one bundle instance for every call; per-call: a fresh one per hook call. */
  instances?: 'shared' | 'per-call';
  redeliver?: number;
  /** Pause before each new delivery round (the platform delivers again later, not at once). */
  redeliverDelayMs?: number;
  out?: (text: string) => void;
}

/** What the host prints (engine-host/Program.cs). */
export interface HostSummary {
  engine: string;
  threads: string;
  instances?: string;
  inFlight: number;
  stage: string;
  error?: string;
  fatal?: string;
  parseMs?: number;
  loadAndRegisterMs?: number;
  bodyMs?: number;
  registerMs?: number;
  loadAndRegisterCpuMs?: number;
  /** With --measure-load: an empty module's load + register, before the bundle's cold load. */
  emptyModuleMs?: number;
  /**
   * With --measure-load N [--settle-loads S] [--settle-until-jit-quiet K]: medians of N further
   * loads in the same process, after S settling loads or more (until K in a row compiled nothing).
   */
  warm?: {
    loads: number;
    /** Settling loads taken. */
    settleLoads: number;
    /** Whether the settling ended on K loads without compilation (false: it stopped at its cap). */
    jitQuiet: boolean;
    jitQuietLoads: number;
    /** Methods the runtime had compiled when the measured loads began, and while they ran. */
    compiledMethods: number;
    compiledDuringMeasure: number;
    /** Median of the first five loads after the cold one (settling or measured). */
    earlyLoadAndRegisterMs: number;
    /** Load + register of every further load, in order. */
    seriesMs: number[];
    loadAndRegisterMs: number;
    loadAndRegisterCpuMs: number;
    parseMs: number;
    bodyMs: number;
    registerMs: number;
    reusedScriptInstanceMs: number;
  };
  registered?: string[];
  calls?: number;
  replayMs?: number;
  replayCpuMs?: number;
  undelivered?: number;
  rounds?: Array<{
    round: number;
    calls: number;
    resolved: number;
    rejected: number;
    neverSettled: number;
    threw: number;
    notAPromise: number;
    reasons: Record<string, number>;
    p50Ms: number;
    p99Ms: number;
  }>;
  logLines?: Record<string, number>;
}

export interface EngineRun {
  engine: string;
  replay: string;
  host: HostSummary;
  wrong: string[];
  customers: number;
}

const HOST_PROJECT = join(ROOT, 'engine-host');

/** Builds the host against one engine assembly; cached by the assembly's and the host's content. */
export function buildHost(engineDll: string): string {
  const dll = resolve(engineDll);
  if (!existsSync(dll))
    throw new UsageError(
      `--engine ${engineDll}: no such file (build NiL.JS first: see README, "Running on the engine")`,
    );
  const hash = createHash('sha256').update(readFileSync(dll));
  // Every source of the host, so a new file or an edit rebuilds it.
  for (const f of readdirSync(HOST_PROJECT)
    .filter((name) => /\.(cs|csproj)$/.test(name))
    .sort())
    hash.update(readFileSync(join(HOST_PROJECT, f)));
  const out = join(ROOT, 'dist', '.engine-host', hash.digest('hex').slice(0, 16));
  if (!existsSync(join(out, 'EngineHost.dll'))) {
    execFileSync(
      'dotnet',
      [
        'build',
        HOST_PROJECT,
        '-c',
        'Release',
        '-nologo',
        '-v',
        'q',
        `-p:NilJsDll=${dll}`,
        '-o',
        out,
        '--artifacts-path',
        join(out, '..', 'obj-' + Date.now()),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return join(out, 'EngineHost.dll');
}

export function runHost(hostDll: string, args: string[], prefix: string[] = []): Promise<HostSummary> {
  return new Promise((resolveRun, reject) => {
    // `prefix` runs the host under another command (the benchmark pins it to one core with taskset).
    const command = [...prefix, 'dotnet', hostDll, ...args];
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      const last = stdout.trim().split('\n').pop() || '';
      try {
        resolveRun(JSON.parse(last) as HostSummary);
      } catch {
        reject(new Error(`the engine host printed no summary: ${stdout.slice(0, 500)}`));
      }
    });
  });
}

function wrongCustomers(rows: CrmTableRow[], expected: Record<string, { walletStatus: string }>): string[] {
  return Object.keys(expected).filter((key) => {
    const row = rows.find((r) => r.key === key);
    return (row ? row.walletStatus : 'none') !== (expected[key] as { walletStatus: string }).walletStatus;
  });
}

export function formatHostSummary(run: EngineRun): string {
  const h = run.host;
  const lines = [
    `engine ${run.engine} (${h.engine.split(' (')[0]}), threads ${h.threads}, instances ${h.instances || 'shared'}, ${h.inFlight} calls in flight, replay ${run.replay}`,
  ];
  if (h.stage !== 'replayed') {
    lines.push(`  FAILED at ${h.stage}: ${h.error || h.fatal || 'unknown'}`);
    return lines.join('\n');
  }
  lines.push(
    `  load + register ${h.loadAndRegisterMs} ms (${h.loadAndRegisterCpuMs} ms CPU): parse ${h.parseMs} ms, module body ${h.bodyMs} ms, register ${h.registerMs} ms`,
  );
  for (const r of h.rounds || []) {
    const reasons = Object.keys(r.reasons)
      .map((k) => `${r.reasons[k]} x ${k}`)
      .join('; ');
    lines.push(
      `  delivery ${r.round}: ${r.calls} calls, ${r.resolved} resolved, ${r.rejected} rejected, ${r.neverSettled} never settled, ${r.threw + r.notAPromise} broken; p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${reasons ? `; ${reasons}` : ''}`,
    );
  }
  lines.push(
    `  replay ${h.replayMs} ms (${h.replayCpuMs} ms CPU); undelivered after all rounds: ${h.undelivered}`,
  );
  lines.push(
    run.wrong.length === 0
      ? `  final state matches the truth for all ${run.customers} customers`
      : `  final state DIFFERS from the truth for ${run.wrong.length} of ${run.customers} customers: ${run.wrong.slice(0, 10).join(', ')}`,
  );
  return lines.join('\n');
}

export async function runEngineCheck(
  options: EngineCheckOptions,
): Promise<{ code: number; runs: EngineRun[] }> {
  const out = options.out || ((text: string) => process.stdout.write(`${text}\n`));
  if (options.engines.length === 0)
    throw new UsageError('--engine <path to NiL.JS.dll> is required (see README, "Running on the engine")');
  const tenant = loadTenantFile(options.tenantFile || join(ROOT, 'tenants/example.json'));
  // Both recordings: counts per wallet, and counts per pass (README, "What the registration counts cover").
  const replays = options.replays || [
    {
      calls: join(ROOT, 'test/replay/sample.jsonl'),
      expected: join(ROOT, 'test/replay/sample.expected.json'),
    },
    {
      calls: join(ROOT, 'test/replay/sample.per-pass.jsonl'),
      expected: join(ROOT, 'test/replay/sample.per-pass.expected.json'),
    },
  ];
  const work = mkdtempSync(join(tmpdir(), 'twc-engine-'));
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const runs: EngineRun[] = [];
  try {
    for (const engine of options.engines) {
      const hostDll = buildHost(engine);
      for (const replay of replays) {
        const expected = readJsonFile(replay.expected, 'expected state') as Record<
          string,
          { walletStatus: string }
        >;
        const apiKey = randomBytes(18).toString('hex');
        const sim = await startHttpCrmSimulator({ apiKey, name: 'crm-sim' });
        try {
          const simTenant = Object.assign({}, tenant, {
            destinations: tenant.destinations.map((d) => Object.assign({}, d, { baseUrl: sim.server.url })),
          });
          const built = await buildTenant(simTenant, join(work, 'dist'));
          const secretName =
            (simTenant.destinations[0] as { auth: { secret?: string } }).auth.secret || 'crm-sim-api-key';
          const secretsFile = join(work, 'secrets.json');
          writeFileSync(secretsFile, JSON.stringify({ [secretName]: apiKey }), { mode: 0o600 });
          const host = await runHost(hostDll, [
            '--bundle',
            built.file,
            '--secrets',
            secretsFile,
            '--calls',
            replay.calls,
            '--in-flight',
            String(options.inFlight || 16),
            '--threads',
            options.threads || 'single',
            '--instances',
            options.instances || 'shared',
            '--redeliver',
            String(options.redeliver ?? 3),
            '--redeliver-delay-ms',
            String(options.redeliverDelayMs ?? 2000),
            '--log',
            join(ROOT, 'dist', 'engine-check.log'),
          ]);
          rmSync(secretsFile, { force: true });
          const run: EngineRun = {
            engine,
            replay: replay.calls.replace(`${ROOT}/`, ''),
            host,
            wrong: host.stage === 'replayed' ? wrongCustomers(sim.table(), expected) : Object.keys(expected),
            customers: Object.keys(expected).length,
          };
          runs.push(run);
          out(formatHostSummary(run));
          if (run.wrong.length > 0 && process.env.TWC_ENGINE_TABLE)
            out(
              formatTable(sim.table(), [
                'key',
                'walletStatus',
                'appleWalletInstalledAt',
                'googleWalletInstalledAt',
              ]),
            );
        } finally {
          await sim.server.close();
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const ok = runs.every(
    (r) => r.host.stage === 'replayed' && r.host.undelivered === 0 && r.wrong.length === 0,
  );
  return { code: ok ? EXIT_OK : EXIT_SOME_FAILED, runs };
}
