import { createLimiter } from '../../connector/delivery/limiter';
import type { Timers } from '../../connector/platform/host';

/** A job that runs until the test settles it, recording how many ran at once. */
function gate() {
  let running = 0;
  let peak = 0;
  let ran = 0;
  const open: Array<() => void> = [];
  const job = (): Promise<string> => {
    ran++;
    running++;
    peak = Math.max(peak, running);
    return new Promise<string>((resolve) => {
      open.push(() => {
        running--;
        resolve('done');
      });
    });
  };
  const settleAll = (): void => {
    for (const settle of open.splice(0)) settle();
  };
  return { job, settleAll, stats: () => ({ ran, peak }) };
}

/** Lets the event loop turn (bottleneck schedules on Node's timers) until `done` holds, a bounded number of times. */
async function turnsUntil(done: () => boolean, each: () => void = () => undefined): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    each();
  }
}
/** Host timers that only record each wait (the test fires them) and a clock the test sets. */
function hostTimers(start: number) {
  const waits: Array<{ fn: () => void; ms: number }> = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => waits.push({ fn, ms }),
    clearTimeout: () => undefined,
  };
  return { waits, timers, clock: { at: start } };
}
const fastRate = { requests: 10_000, intervalMs: 1000, maxConcurrent: 2 };

describe('limiter', () => {
  it('without host timers, bounds concurrency and runs every job once a slot frees', async () => {
    const limiter = createLimiter(fastRate, null, () => 1000, 'd1');
    const g = gate();
    let settled = false;
    const all = Promise.all([1, 2, 3, 4].map(() => limiter.schedule(g.job)));
    void all.then(() => (settled = true));
    // Nothing settles yet: the third job must stay queued however long the loop turns.
    await turnsUntil(() => g.stats().ran > 2);
    expect(g.stats()).toEqual({ ran: 2, peak: 2 });
    await turnsUntil(() => settled, g.settleAll);
    await expect(all).resolves.toEqual(['done', 'done', 'done', 'done']);
    expect(g.stats().peak).toBe(2);
  });

  it('without host timers, a job asked to wait for a throttle fails at once as transient and never runs', async () => {
    const limiter = createLimiter(fastRate, null, () => 1000, 'd1');
    limiter.onThrottle(6000);
    const g = gate();
    await expect(limiter.schedule(g.job)).rejects.toMatchObject({
      kind: 'transient',
      destination: 'd1',
      retryAfterMs: 5000,
    });
    expect(g.stats().ran).toBe(0);
  });

  it('with host timers, a job waits out the throttle on the host timer before it runs', async () => {
    const { waits, timers, clock } = hostTimers(1000);
    const limiter = createLimiter(fastRate, timers, () => clock.at, 'd1');
    limiter.onThrottle(3000);
    const g = gate();
    const result = limiter.schedule(g.job);
    await turnsUntil(() => waits.length > 0);
    expect(waits.map((w) => w.ms)).toEqual([2000]);
    expect(g.stats().ran).toBe(0);
    clock.at = 3000;
    waits[0]!.fn();
    await turnsUntil(() => g.stats().ran > 0);
    g.settleAll();
    await expect(result).resolves.toBe('done');
  });

  it('with host timers, holds each request from its start until a window after its answer', async () => {
    const { waits, timers, clock } = hostTimers(1000);
    // Two requests per 10 ms, counted over 12 ms (the 2 ms margin).
    const limiter = createLimiter(
      { requests: 2, intervalMs: 10, maxConcurrent: 4 },
      timers,
      () => clock.at,
      'd1',
    );
    const g = gate();
    const results = [1, 2, 3].map(() => limiter.schedule(g.job));
    await turnsUntil(() => waits.length > 0);
    // Two left; the third waits, both places held by requests still out.
    expect(g.stats().ran).toBe(2);
    expect(waits.map((w) => w.ms)).toEqual([6]);
    clock.at = 1005;
    g.settleAll();
    await Promise.all(results.slice(0, 2));
    clock.at = 1010;
    waits[0]!.fn();
    // Answered at 1005, so held until 1017: still full at 1010.
    await turnsUntil(() => waits.length > 1);
    expect(waits[1]!.ms).toBe(7);
    expect(g.stats().ran).toBe(2);
    clock.at = 1017;
    waits[1]!.fn();
    await turnsUntil(() => g.stats().ran > 2);
    g.settleAll();
    await expect(results[2]).resolves.toBe('done');
  });
});
