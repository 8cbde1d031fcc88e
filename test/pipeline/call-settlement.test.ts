/**
 * CallSettlement: what the hook drivers listen on instead of a promise. It must tell each listener
 * once, in a later job (never inside the call that settled it), and only the first settlement.
 */
import { CallSettlement } from '../../connector/call-settlement';
import type { HookOutcome } from '../../connector/runtime';

const outcome: HookOutcome = { hook: 'OnPassInstalled', passId: 'p-1', result: 'routed', destinations: [] };

/** Resolves with what the listener saw, and records whether it ran synchronously. */
function listen(settlement: CallSettlement): { seen: Promise<unknown>; ranAt: string[] } {
  const ranAt: string[] = [];
  const seen = new Promise<unknown>((resolve) => {
    settlement.then(
      (value) => {
        ranAt.push('fulfilled');
        resolve({ fulfilled: value });
      },
      (error) => {
        ranAt.push('rejected');
        resolve({ rejected: error });
      },
    );
  });
  return { seen, ranAt };
}

describe('CallSettlement', () => {
  it('tells a listener registered before the outcome, after the settling call returned', async () => {
    const settlement = new CallSettlement();
    const first = listen(settlement);
    settlement.fulfil(outcome);
    expect(first.ranAt).toEqual([]);
    await expect(first.seen).resolves.toEqual({ fulfilled: outcome });
  });

  it('tells every listener, registered before or after, and keeps the first settlement only', async () => {
    const settlement = new CallSettlement();
    const before = [listen(settlement), listen(settlement)];
    const error = new Error('transient');
    settlement.fail(error);
    settlement.fulfil(outcome);
    const after = listen(settlement);
    expect(after.ranAt).toEqual([]);
    for (const l of [...before, after]) await expect(l.seen).resolves.toEqual({ rejected: error });
    for (const l of [...before, after]) expect(l.ranAt).toEqual(['rejected']);
  });

  it('tells a listener object (a hook driver call) once, later, with the failure flag, beside function listeners', async () => {
    const settlement = new CallSettlement();
    const told: Array<[boolean, unknown]> = [];
    let done: () => void = () => undefined;
    const heard = new Promise<void>((resolve) => (done = resolve));
    settlement.listen({
      settled(failed, value) {
        told.push([failed, value]);
        done();
      },
    });
    const other = listen(settlement);
    const error = new Error('transient');
    settlement.fail(error);
    settlement.fulfil(outcome);
    expect(told).toEqual([]);
    await heard;
    await expect(other.seen).resolves.toEqual({ rejected: error });
    expect(told).toEqual([[true, error]]);
  });
});
