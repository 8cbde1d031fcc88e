/**
 * Soak (issue 8): 5,000+ recorded calls through the BUILT bundle in the engine-like context, with
 * 20% of the CRM's answers replaced by transient faults (seeded, so every run sees the same ones).
 * Every call must resolve, the final state must equal the truth, nothing may be left unhandled, and
 * the requests must stay within the configured rate.
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { peakInWindow } from '../sim/rate-limit';
import { httpTenant } from '../support/pipeline';
import { buildForTest } from '../support/built';
import { replayBundle } from '../../cli/commands/replay';
import { generateSample } from '../replay/generate-sample';

const KEY = 'soak-key-5e2a9c71';
const RATE = 1000;
let sim: HttpCrmSimulator;

afterAll(() => sim.server.close());

it('5,000 calls with 20% injected transient faults: all resolve, final state is the truth, within the rate', async () => {
  sim = await startHttpCrmSimulator({
    apiKey: KEY,
    faults: {
      probability: 0.2,
      seed: 20261127,
      key: (r) => `${r.method} ${r.path} ${r.body}`,
      kinds: ['503', '500', '502', 'reset'],
    },
  });
  const tenant = httpTenant(sim.server.url, {
    rateLimit: { requests: RATE, intervalMs: 1000, maxConcurrent: 16 },
    retry: { maxAttempts: 12, baseDelayMs: 20, maxDelayMs: 500, maxElapsedMs: 60000 },
  });
  const built = await buildForTest(tenant);
  const sample = generateSample({ customers: 1320, seed: 99 });
  const calls = sample.calls.map((c, i) => ({ line: i + 1, hook: c.hook, at: c.at, args: c.args }));
  expect(calls.length).toBeGreaterThanOrEqual(5000);

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const lines: string[] = [];
  let summary;
  try {
    summary = await replayBundle({
      bundleFile: built.file,
      tenant,
      secrets: { 'crm-key': KEY },
      calls,
      concurrency: 32,
      progress: false,
      logSink: (line) => lines.push(line),
    });
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }

  expect(summary.rejected).toBe(0);
  expect(summary.resolved).toBe(calls.length);
  expect(summary.errorLines).toBe(2); // the two malformed calls in every generated sample
  expect(unhandled).toEqual([]);
  expect(lines.filter((l) => l.indexOf('unhandled rejection') >= 0)).toEqual([]);
  // Faults really happened and were retried.
  const faulted = sim.server.requests.filter((r) => r.fault !== null).length;
  expect(faulted / sim.server.requests.length).toBeGreaterThan(0.1);
  expect(summary.retries).toBeGreaterThan(0);
  // The truth.
  const table = new Map(sim.table().map((row) => [row.key, row.walletStatus]));
  const wrong = Object.keys(sample.expected).filter(
    (k) => (table.get(k) || 'none') !== sample.expected[k]!.walletStatus,
  );
  expect(wrong).toEqual([]);
  // Within the configured rate, in any one-second window.
  expect(
    peakInWindow(
      sim.server.requests.map((r) => r.at),
      1000,
    ),
  ).toBeLessThanOrEqual(RATE);
}, 240000);
