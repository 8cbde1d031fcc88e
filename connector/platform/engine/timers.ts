/**
 * Timers for the bundle. The engine has none of its own; the host may lend `setTimeout` and
 * `clearTimeout`. The bundle's free references to the timer functions are rewritten to the shims
 * below, so dependencies (bottleneck, p-retry) keep working where the host lends timers and fail
 * fast where it does not: a zero-delay timer runs on the job queue, a real wait throws at once.
 */
import type { Timers } from '../host';
import { enqueueJob } from './job-queue';

type AnyFn = (...args: unknown[]) => unknown;

/** Thrown by the shims when a wait is asked for and the host lends no timers. */
export class NoTimersError extends Error {
  code = 'ENOTIMERS';
  transient = true;
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
const hostSetInterval = typeof setInterval === 'function' ? (setInterval as unknown as AnyFn) : undefined;
const hostClearInterval =
  typeof clearInterval === 'function' ? (clearInterval as unknown as AnyFn) : undefined;

/** The host's own timers, or null when it lends none. */
export function hostTimers(): Timers | null {
  return host;
}

/** Handle of a zero-delay timer run on the job queue: clearing it cancels the run. */
interface QueuedTimer {
  cancelled: boolean;
}

function noTimers(what: string, ms: number): never {
  throw new NoTimersError(
    `The host lends no timers: cannot ${what} ${ms} ms (connector/platform/globals.ts)`,
  );
}

export function shimSetTimeout(fn: AnyFn, ms?: number, ...args: unknown[]): unknown {
  const delay = typeof ms === 'number' && ms > 0 ? ms : 0;
  if (host) return host.setTimeout(() => fn(...args), delay);
  if (delay > 0) noTimers('wait', delay);
  const handle: QueuedTimer = { cancelled: false };
  enqueueJob(() => {
    if (!handle.cancelled) fn(...args);
  });
  return handle;
}

export function shimClearTimeout(handle: unknown): void {
  if (handle && typeof handle === 'object' && 'cancelled' in handle) {
    (handle as QueuedTimer).cancelled = true;
    return;
  }
  if (host && handle !== undefined && handle !== null) host.clearTimeout(handle);
}

export function shimSetInterval(fn: AnyFn, ms?: number, ...args: unknown[]): unknown {
  if (hostSetInterval) return hostSetInterval(fn, ms, ...args);
  return noTimers('repeat every', typeof ms === 'number' ? ms : 0);
}

export function shimClearInterval(handle: unknown): void {
  if (hostClearInterval && handle !== undefined && handle !== null) hostClearInterval(handle);
}

/** `performance.now()` where lent (p-retry reads it), else the wall clock in milliseconds. */
export const enginePerformance: { now(): number } =
  typeof performance === 'object' && performance && typeof performance.now === 'function'
    ? performance
    : { now: () => Date.now() };
