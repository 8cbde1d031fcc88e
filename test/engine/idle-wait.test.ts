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
