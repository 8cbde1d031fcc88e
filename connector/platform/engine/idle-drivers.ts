/**
 * Idle hook drivers share the work of waiting, so the cost of a timer tick does not grow with the
 * calls pending (docs/benchmarks.md, "The ceiling regression").
 *
 * Every pending hook call has its own driver (hook-driver.ts). Left alone, each idle driver would
 * arm its own host timer for the same next due time and every tick would wake them all: with
 * thousands of calls queued behind the limiter, a tick cost thousands of turns that found nothing
 * to do. Instead, where host timer waits are known to work, one driver at a time (the ticker)
 * awaits the host timer of the earliest due time, each host promise is awaited by one driver, and
 * the others PARK: they await a native promise that is fulfilled when their own call has settled,
 * or when a host promise or a due time has nobody awaiting it (see `dispatchIdleDrivers`).
 *
 * A parked promise is fulfilled by script code, not by the host. Both engine builds run a promise
 * executor later, on a task (README, "What the engine itself gets wrong"), so a wake that comes
 * before the executor ran is remembered and honoured by the executor. One sweep timer for all
 * parked drivers is the safety net (`armSweep`). Parking is used only where host timer waits were
 * measured to work: the 2021 build fulfils such promises early, and its drivers never park.
 */
import type { Timers } from '../host';

/** How often a sweep checks the parked drivers while any is parked. */
const SWEEP_MS = 1000;

/**
 * Parked drivers, oldest first, from `head` on. A park that resumes is only marked (woken) and
 * skipped later: removing it from the middle would cost the length of the queue each time.
 */
let parked: IdleWait[] = [];
let head = 0;
let parkedCount = 0;

/** Drivers woken to take up a wait that have not resumed yet: not woken again for the same wait. */
let dispatchedNotResumed = 0;

/**
 * Set when an idle wait resumed that nobody woke before its time: this engine fulfils such
 * promises early (the 2021 build does, at the executor's return), so drivers must stop parking
 * there or they would spin. The first timer probe usually tells, but a probe that happens to take
 * long on a loaded host can pass; this catches it at the first idle wait.
 */
let fulfilledEarly = false;

export function idleWaitsFulfilEarly(): boolean {
  return fulfilledEarly;
}

/** Due time of the host timer the ticker awaits, or null when no driver awaits one. */
let tickerDue: number | null = null;

/** Whether a driver needing a timer for `due` may park: a ticker already wakes at or before it. */
export function tickerCovers(due: number): boolean {
  return tickerDue !== null && tickerDue <= due;
}

/** The calling driver is about to await the host timer for `due`: it is the ticker until then. */
function becomeTicker(due: number): void {
  if (tickerDue === null || due < tickerDue) tickerDue = due;
}

/** The ticker's timer fired: nobody awaits a timer until a driver arms the next. */
function tickerFired(due: number): void {
  if (tickerDue === due) tickerDue = null;
}

function fulfil(wait: IdleWait): void {
  if (!wait.resolve) return;
  try {
    wait.resolve(undefined);
  } catch {
    // A second fulfilment (a wake after the due time, or the sweep's) is harmless.
  }
}

/** The driver awaiting an idle wait: it learns of the wait so its call settling can end it. */
export interface IdleOwner {
  idle: IdleWait | null;
}

/** Where an idle wait is: one field for what were three flags (thousands of parks may be pending). */
const WAITING = 0;
/** Woken (its call settled, or the sweep looked again), not resumed yet. */
const WOKEN = 1;
/** Woken by a dispatch to take up a wait: counted in `dispatchedNotResumed` until it resumes. */
const DISPATCHED = 2;
/** Its driver resumed: it no longer waits. */
const RESUMED = 3;

/** What only the ticker needs: its host timer (cleared when woken first), and when it asked. */
interface TickTimer {
  timers: Timers;
  handle: unknown;
  askedAt: number;
}

/**
 * What an idle driver awaits (a hook driver's HostWait): a native promise fulfilled at the wake,
 * or, for the ticker (`due` given), at its due time. Only parked ones are queued for dispatch. One
 * object per wait, with methods rather than closures, and a park keeps nothing a tick alone needs:
 * thousands may be pending at once.
 */
export class IdleWait {
  readonly promise: Promise<unknown>;
  phase = WAITING;
  resolve: ((value: undefined) => void) | null = null;
  private readonly tick: TickTimer | null;

  constructor(
    timers: Timers,
    private readonly due: number | null,
    private readonly owner: IdleOwner,
  ) {
    if (due === null) {
      this.tick = null;
      enqueue(this);
      armSweep(timers);
    } else {
      this.tick = { timers, handle: null, askedAt: Date.now() };
      becomeTicker(due);
    }
    owner.idle = this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the executor runs later, on a task
    const self = this;
    this.promise = new Promise<undefined>((resolve) => {
      self.resolve = resolve;
      const tick = self.tick;
      if (self.phase !== WAITING) fulfil(self);
      else if (tick && due !== null)
        tick.handle = timers.setTimeout(() => fulfil(self), Math.max(1, due - Date.now()));
    });
  }

  /** What is awaited, for diagnostics (HostWait): made from `due`, not kept per wait. */
  get label(): 'park' | 'tick' {
    return this.due === null ? 'park' : 'tick';
  }

  wake(): void {
    if (this.phase !== WAITING) return;
    this.phase = WOKEN;
    fulfil(this);
  }

  /** The driver resumed (woken, or its time came): it no longer waits. */
  deliver(): void {
    const tick = this.tick;
    if (this.phase === WAITING) {
      // Resumed without a wake: a park only ever resumes when woken; a tick not before half its time.
      const asked = tick ? tick.askedAt : 0;
      const waited = Date.now() - asked;
      if (this.due === null || (this.due - asked >= 10 && waited < (this.due - asked) / 2)) {
        fulfilledEarly = true;
      }
    }
    this.owner.idle = null;
    if (this.due !== null) tickerFired(this.due);
    if (this.phase === DISPATCHED) dispatchedNotResumed--;
    if (this.phase !== RESUMED && this.due === null) parkedCount--;
    this.phase = RESUMED;
    if (tick && tick.handle !== null) tick.timers.clearTimeout(tick.handle);
    if (tick) tick.handle = null;
  }
}

/** Woken but its driver has not resumed yet. */
function wokenNotResumed(wait: IdleWait): boolean {
  return wait.phase === WOKEN || wait.phase === DISPATCHED;
}

let sweepArmed = false;

/**
 * One host timer for all parked drivers, a safety net rather than a schedule: every second while
 * any driver is parked, a wake that did not resume its driver is delivered again (a host that ran
 * the promise's executor on another thread could lose it) and the oldest parked driver is woken to
 * look again. A parked driver is otherwise woken only by its call settling or by a dispatch.
 */
function armSweep(timers: Timers): void {
  if (sweepArmed) return;
  sweepArmed = true;
  timers.setTimeout(() => {
    sweepArmed = false;
    for (let i = head; i < parked.length; i++) {
      const entry = parked[i] as IdleWait;
      if (wokenNotResumed(entry)) fulfil(entry);
    }
    wakeOldest();
    if (parkedCount > 0) armSweep(timers);
  }, SWEEP_MS);
}

/**
 * The queue without its taken front and its resumed parks, once those are most of it (the cost is
 * then paid for by the takes or parks that made them). Woken parks that have not resumed stay: the
 * sweep delivers their wake again.
 */
function compact(): void {
  const taken = head > 1024 && head * 2 > parked.length;
  if (!taken && parked.length - head <= 2 * parkedCount + 1024) return;
  parked = parked.slice(head).filter((entry) => entry.phase !== RESUMED);
  head = 0;
}

function enqueue(entry: IdleWait): void {
  compact();
  parked.push(entry);
  parkedCount++;
}

/** The oldest park not yet woken, taken off the queue; null when there is none. */
function takeOldest(): IdleWait | null {
  while (head < parked.length) {
    const next = parked[head] as IdleWait;
    head++;
    compact();
    if (next.phase === WAITING) return next;
  }
  return null;
}

function wakeOldest(): boolean {
  const next = takeOldest();
  if (!next) return false;
  next.phase = DISPATCHED;
  dispatchedNotResumed++;
  fulfil(next);
  return true;
}

/**
 * Called by every driver as it leaves its turn: wakes one parked driver for each host promise
 * nobody awaits, one more when a timer is due and no ticker awaits it, and all of them when
 * nothing is pending at all (a parked call that is still unsettled then has stalled, and its driver
 * must say so). Where parking does not work, every parked driver is woken.
 */
export function dispatchIdleDrivers(
  parkingWorks: boolean,
  unclaimedHostWaits: number,
  hostWaitsPending: number,
  nextDue: number | null,
): void {
  if (parkedCount === 0) return;
  if (!parkingWorks || (hostWaitsPending === 0 && nextDue === null)) {
    while (wakeOldest());
    return;
  }
  const wanted = unclaimedHostWaits + (nextDue !== null && !tickerCovers(nextDue) ? 1 : 0);
  for (let i = dispatchedNotResumed; i < wanted; i++) if (!wakeOldest()) return;
}

/** How many drivers are parked (tests and diagnostics). */
export function parkedDrivers(): number {
  return parkedCount;
}
