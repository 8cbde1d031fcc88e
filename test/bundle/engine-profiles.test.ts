/**
 * The BUILT bundle in the stand-in carrying each measured NiL.JS build's faults (cli/build/engine-floor.ts):
 * the newest build's, and the 2021 build's, where a promise whose executor returns unsettled is
 * fulfilled at once (so a hook cannot wait for a timer), Map.forEach hands (key, value) and Set.has
 * is wrong. 16 calls in flight; rejected calls are delivered again later, as the platform does. Every
 * call must end resolved or refused, and the CRM must end at the truth.
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import { buildForTest } from '../support/built';
import { loadBundle, type BundleHook } from '../../cli/build/load-bundle';
import type { EngineProfile } from '../../cli/build/engine-floor';
import { EXPECTED as expected, SAMPLE as sample } from '../support/replay-truth';

const KEY = 'profile-key-5c2e9a71';
const IN_FLIGHT = 16;
/**
 * The platform delivers a rejected call again later, not at once: the model waits this long before
 * each new delivery round (a throttled call's slot or backoff must come due in between).
 */
const REDELIVERY_DELAY_MS = 50;
const ROUNDS = 60;

let built: Awaited<ReturnType<typeof buildForTest>>;
let sim: HttpCrmSimulator;

beforeAll(async () => {
  sim = await startHttpCrmSimulator({ apiKey: KEY });
  // The example tenant's 20 ms batch window: the 2021 build cannot hold it open.
  built = await buildForTest(httpTenant(sim.server.url, { batch: { maxWaitMs: 20 } }));
}, 120000);
afterAll(() => sim.server.close());

/** Delivers every call, at most IN_FLIGHT at once; returns the indexes of the rejected ones and their reasons. */
async function deliver(
  hooks: Record<string, BundleHook>,
  indexes: number[],
): Promise<{ rejected: number[]; reasons: string[] }> {
  const rejected: number[] = [];
  const reasons: string[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < indexes.length) {
      const index = indexes[next++] as number;
      const call = sample[index]!;
      try {
        await (hooks[call.hook] as BundleHook)(...call.args);
      } catch (error) {
        rejected.push(index);
        reasons.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { rejected, reasons };
}

describe.each<EngineProfile>(['nil-newest', 'nil-2021'])('the %s stand-in', (engine) => {
  it('loads, registers, and with redelivery ends at the truth for every customer', async () => {
    sim.records.clear();
    const bundle = loadBundle(built.code, { fetch, timers: true, secrets: { 'crm-key': KEY }, engine });
    let pending = sample.map((_, i) => i);
    const firstRound = await deliver(bundle.hooks as never, pending);
    pending = firstRound.rejected;
    for (let round = 2; round <= ROUNDS && pending.length > 0; round++) {
      await new Promise((resolve) => setTimeout(resolve, REDELIVERY_DELAY_MS));
      const again = await deliver(bundle.hooks as never, pending);
      pending = again.rejected;
    }
    expect(pending).toEqual([]);
    // Transient refusals only: nothing failed for a reason redelivery would not cure.
    for (const reason of firstRound.reasons) expect(reason).toMatch(/deliver again|transient|throttl|timer/i);
    const table = new Map(sim.table().map((row) => [row.key, row.walletStatus]));
    const wrong = Object.keys(expected).filter((k) => (table.get(k) || 'none') !== expected[k]!.walletStatus);
    expect(wrong).toEqual([]);
    // Exactly the two malformed calls of the sample are refused, each with one error line.
    expect(bundle.logs.filter((line) => line.indexOf('"level":"error"') >= 0)).toHaveLength(2);
  }, 180000);
});
