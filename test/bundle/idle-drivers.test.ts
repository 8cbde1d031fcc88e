/**
 * Hundreds of hook calls pending at once behind the limiter, through the BUILT bundle: the idle
 * hook drivers must not each arm a host timer on every tick (connector/platform/engine/idle-drivers.ts).
 * Before they shared the waiting, each tick armed one host timer per pending call, so the host
 * timers armed grew with calls x ticks; now they grow with the calls and the requests. The final
 * state must still be the truth, every call resolved.
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import { buildForTest } from '../support/built';
import { loadBundle } from '../../cli/build/load-bundle';
import { generateSample } from '../replay/generate-sample';

const KEY = 'idle-key-3f8a1c';
let sim: HttpCrmSimulator;

afterAll(() => sim.server.close());

it('a burst of calls pending at once: host timers armed grow with calls and requests, not with calls x ticks', async () => {
  sim = await startHttpCrmSimulator({
    apiKey: KEY,
    rateLimit: { window: 'sliding', requests: 80, intervalMs: 1000 },
  });
  const tenant = httpTenant(sim.server.url, {
    rateLimit: { requests: 80, intervalMs: 1000, maxConcurrent: 8 },
  });
  const built = await buildForTest(tenant);
  let armed = 0;
  const bundle = loadBundle(built.code, {
    fetch,
    secrets: { 'crm-key': KEY },
    timers: {
      setTimeout: (fn, ms) => {
        armed++;
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
  });
  const sample = generateSample({ customers: 120, seed: 31 });
  const outcomes = await Promise.allSettled(
    sample.calls.map((call) =>
      (call.hook === 'OnPassInstalled' ? bundle.hooks.OnPassInstalled : bundle.hooks.OnPassUninstalled)(
        ...call.args,
      ),
    ),
  );

  // Malformed calls are logged and resolved (nothing to retry); every call settles.
  expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
  const requests = sim.server.requests.length;
  expect(requests).toBeGreaterThanOrEqual(Object.keys(sample.expected).length);
  const table = new Map(sim.table().map((row) => [row.key, row.walletStatus]));
  const wrong = Object.keys(sample.expected).filter(
    (k) => (table.get(k) || 'none') !== sample.expected[k]!.walletStatus,
  );
  expect(wrong).toEqual([]);
  expect(armed).toBeLessThanOrEqual(8 * (sample.calls.length + requests));
}, 120000);
