/**
 * An idle wait that resumes before anyone woke it (a park) or clearly before its time (a tick) means
 * the engine fulfils such promises early, as the 2021 build does: drivers must stop parking there
 * or they would spin (connector/platform/engine/idle-drivers.ts).
 */
import type * as IdleDrivers from '../../connector/platform/engine/idle-drivers';

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};

/** A fresh copy of the module: the early-fulfilment finding is per script instance. */
function fresh(): typeof IdleDrivers {
  let loaded: typeof IdleDrivers | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof IdleDrivers>('../../connector/platform/engine/idle-drivers');
  });
  return loaded as typeof IdleDrivers;
}

it('a park that resumes because it was woken, and a tick at its time, are not early', async () => {
  const idle = fresh();
  const owner = { idle: null };
  const park = new idle.IdleWait(timers, null, owner);
  park.wake();
  await park.promise;
  park.deliver();
  const tick = new idle.IdleWait(timers, Date.now() + 20, owner);
  await tick.promise;
  tick.deliver();
  expect(idle.idleWaitsFulfilEarly()).toBe(false);
  expect(idle.parkedDrivers()).toBe(0);
});

it('a park that resumes with no wake is early', () => {
  const idle = fresh();
  const park = new idle.IdleWait(timers, null, { idle: null });
  park.deliver();
  expect(idle.idleWaitsFulfilEarly()).toBe(true);
});

it('a tick of a second that resumes at once is early; one of a few milliseconds is not judged', () => {
  const short = fresh();
  const quick = new short.IdleWait(timers, Date.now() + 5, { idle: null });
  quick.deliver();
  expect(short.idleWaitsFulfilEarly()).toBe(false);

  const long = fresh();
  const tick = new long.IdleWait(timers, Date.now() + 1000, { idle: null });
  tick.deliver();
  expect(long.idleWaitsFulfilEarly()).toBe(true);
});

it('dispatches wake the oldest waiting parks, in order, across the queue compactions', async () => {
  const idle = fresh();
  // Timers the test fires itself: the sweep runs when the test says so.
  const sweeps: Array<() => void> = [];
  const manual = {
    setTimeout: (fn: () => void) => sweeps.push(fn),
    clearTimeout: () => undefined,
  };
  const park = () => new idle.IdleWait(manual, null, { idle: null });
  const first = Array.from({ length: 4000 }, park);
  // Most of them are woken by their own calls settling and resume: the queue is mostly dead.
  for (const p of first.slice(0, 2800)) {
    p.wake();
    p.deliver();
  }
  // Parking again compacts it (dead entries outnumber the live ones), and again the queue grows.
  const second = Array.from({ length: 3000 }, park);
  const live = [...first.slice(2800), ...second];
  expect(idle.parkedDrivers()).toBe(live.length);
  // One live park is woken by its own call and has not resumed: dispatches pass over it.
  const wokenByItsCall = live[300] as IdleDrivers.IdleWait;
  wokenByItsCall.wake();

  const order: number[] = [];
  live.forEach((p, i) => void p.promise.then(() => order.push(i)));
  // 2,500 host promises nobody awaits: one parked driver each, oldest first; the taken front of the
  // queue (4,200 long) is dropped on the way, once more than 1,024 and more than half are taken.
  idle.dispatchIdleDrivers(true, 2500, 2500, null);
  await Promise.resolve();
  const dispatched = live
    .map((_, i) => i)
    .filter((i) => i !== 300)
    .slice(0, 2500);
  expect(order).toEqual([300, ...dispatched]);

  // They resume; the sweep then wakes the oldest park still waiting, the one right after them.
  for (const i of dispatched) (live[i] as IdleDrivers.IdleWait).deliver();
  expect(idle.parkedDrivers()).toBe(live.length - 2500);
  const next = (dispatched[dispatched.length - 1] as number) + 1;
  (sweeps[0] as () => void)();
  await Promise.resolve();
  expect(order.slice(2501)).toEqual([next]);
});
