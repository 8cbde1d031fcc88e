/**
 * Timers for the bundle. The engine has none of its own; the host may lend `setTimeout` and
 * `clearTimeout`. The bundle's free references to the timer functions are rewritten to the shims
 * below: a zero-delay timer runs on the job queue; a real wait goes to the host's timer, whose
 * callback also drains the job queue, and is remembered so a hook driver knows when the next one
 * is due. Without host timers a real wait throws at once (NoTimersError, transient).
 */
import type { Timers } from '../host';
import { enqueueJob, runJobs } from './job-queue';

type AnyFn = (...args: unknown[]) => unknown;

/** Thrown by the shims when a wait is asked for and the host lends no timers. */
export class NoTimersError extends Error {
  code = 'ENOTIMERS';
}

function lent(): Timers | null {
  if (typeof setTimeout === 'function' && typeof clearTimeout === 'function') {
    const st = setTimeout as unknown as AnyFn;
    const ct = clearTimeout as unknown as AnyFn;
    return {
      setTimeout: (fn, ms) => st(fn, ms),
      clearTimeout: (handle) => {
        ct(handle);
      },
    };
  }
  return null;
}

const host = lent();

/** The host's own timers, or null when it lends none. */
export function hostTimers(): Timers | null {
  return host;
}

/**
 * The timers the connector uses in the bundle: the shims, so every wait is known to the hook
 * drivers and every callback drains the job queue. Null when the host lends none.
 */
export function connectorTimers(): Timers | null {
  if (!host) return null;
  return {
    setTimeout: (fn, ms) => shimSetTimeout(fn as AnyFn, ms),
    clearTimeout: (handle) => shimClearTimeout(handle),
  };
}

/** A shim timer: fired by a hook driver once due (hook-driver.ts), never by the host directly. */
interface ShimTimer {
  cancelled: boolean;
  due: number;
  fire: () => void;
}

/**
 * Waits not yet fired, in no particular order (few: one per waiting batch, slot or backoff). They
 * are virtual: a hook driver awaits the host's timer until the earliest is due and fires it in its
 * own turn, so all connector code runs inside a driver's turn, never in a host timer callback.
 */
const pending: ShimTimer[] = [];

function forget(timer: ShimTimer): void {
  const at = pending.indexOf(timer);
  if (at >= 0) pending.splice(at, 1);
}

function noTimers(what: string, ms: number): never {
  throw new NoTimersError(
    `The host lends no timers: cannot ${what} ${ms} ms (connector/platform/globals.ts)`,
  );
}

export function shimSetTimeout(fn: AnyFn, ms?: number, ...args: unknown[]): unknown {
  const delay = typeof ms === 'number' && ms > 0 ? ms : 0;
  const timer: ShimTimer = {
    cancelled: false,
    due: Date.now() + delay,
    // apply, not a spread: the ES5 lowering of a spread copies the array through an iterator helper.
    // eslint-disable-next-line prefer-spread
    fire: () => fn.apply(undefined, args),
  };
  if (!host) {
    if (delay > 0) return noTimers('wait', delay);
    enqueueJob(() => {
      if (!timer.cancelled) timer.fire();
    });
    return timer;
  }
  // Zero-delay timers too wait for the driver's next turn rather than running in this drain: code
  // that polls with setTimeout(fn, 0) (bottleneck does) would otherwise never let the drain end.
  pending.push(timer);
  return timer;
}

export function shimClearTimeout(handle: unknown): void {
  if (!handle || typeof handle !== 'object' || !('cancelled' in handle)) return;
  const timer = handle as ShimTimer;
  timer.cancelled = true;
  forget(timer);
}

export function shimSetInterval(_fn: AnyFn, ms?: number): unknown {
  return noTimers('repeat every', typeof ms === 'number' ? ms : 0);
}

export function shimClearInterval(): void {
  // No interval is ever created (shimSetInterval refuses).
}

/** When the earliest pending wait is due (ms since epoch), or null when none is pending. */
export function nextTimerDue(): number | null {
  let due: number | null = null;
  for (const timer of pending) if (!timer.cancelled && (due === null || timer.due < due)) due = timer.due;
  return due;
}

/** Fires every wait due by `now`, earliest first, then drains the job queue. */
export function fireDueTimers(now: number): void {
  const due = pending.filter((t) => !t.cancelled && t.due <= now).sort((a, b) => a.due - b.due);
  // An indexed loop: the bundle's ES5 lowering turns for-of into an iterator object per call,
  // and this runs on every driver turn.
  for (let i = 0; i < due.length; i++) {
    const timer = due[i] as ShimTimer;
    forget(timer);
    if (timer.cancelled) continue;
    try {
      timer.fire();
    } catch {
      // A timer callback's own failure is its caller's to report; the others still fire.
    }
    runJobs();
  }
}

/** `performance.now()` where lent (p-retry reads it), else the wall clock in milliseconds. */
export const enginePerformance: { now(): number } =
  typeof performance === 'object' && performance && typeof performance.now === 'function'
    ? performance
    : { now: () => Date.now() };
