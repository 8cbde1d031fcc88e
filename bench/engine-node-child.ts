/**
 * The Node side of the engine section (bench/engine.ts): in its own process, pinned by the parent to
 * the same core as the engine host, it loads the built bundle in the node:vm stand-in and delivers
 * the same calls with the same number in flight, so calls/s compare one core with one core.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadBundle, type BundleHook } from '../cli/build/load-bundle';

export interface NodeRunResult {
  type: 'result';
  firstLoadMs: number;
  warmLoadMs: number;
  calls: number;
  resolved: number;
  callsPerSec: number;
  cpuMsPerCall: number;
}

interface RunMessage {
  type: 'run';
  bundle: string;
  calls: string;
  secrets: string;
  inFlight: number;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

async function run(m: RunMessage): Promise<NodeRunResult> {
  const code = readFileSync(m.bundle, 'utf8');
  const secrets = JSON.parse(readFileSync(m.secrets, 'utf8')) as Record<string, string>;
  const options = { fetch, timers: true, secrets, console: {} };
  let t0 = performance.now();
  loadBundle(code, options);
  const firstLoadMs = round1(performance.now() - t0);
  t0 = performance.now();
  const bundle = loadBundle(code, options);
  const warmLoadMs = round1(performance.now() - t0);
  const calls = readFileSync(m.calls, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { hook: 'OnPassInstalled' | 'OnPassUninstalled'; args: unknown[] });
  let next = 0;
  let resolved = 0;
  async function worker(): Promise<void> {
    while (next < calls.length) {
      const call = calls[next++] as (typeof calls)[number];
      try {
        await (bundle.hooks[call.hook] as BundleHook)(...call.args);
        resolved += 1;
      } catch {
        // Counted by what did resolve.
      }
    }
  }
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  await Promise.all(Array.from({ length: m.inFlight }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    type: 'result',
    firstLoadMs,
    warmLoadMs,
    calls: calls.length,
    resolved,
    callsPerSec: round1((calls.length * 1000) / wallMs),
    cpuMsPerCall: round1((cpu.user + cpu.system) / 1000 / calls.length),
  };
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'run')
    void run(message as RunMessage).then(
      (result) => process.send?.(result),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
});
process.on('disconnect', () => process.exit(0));
