/**
 * The adaptive part of a limiter, pure (time passed in): the spacing between request starts.
 *
 * - Start at the configured count of requests per interval, counted over a window a safety margin
 *   longer than the interval (a time, the same at any rate).
 * - A throttle signal for a request sent at the current rate, when the limiter could count the
 *   other requests the CRM may have counted in the interval before it, sets the rate 2% under that
 *   count (at least one under the current allowance), and makes it the ceiling: with one client on
 *   the account, that count is the CRM's limit, measured, so the rate goes straight there instead
 *   of hunting for it.
 * - Without a count (or with too small a one to be the limit: a pause rule, another client), the
 *   signal cuts the rate to 70% and remembers a ceiling: 90% of the rate that drew it. (Halving, as
 *   TCP does, lost a third of the throughput in the unknown-limit benchmark: here the server also
 *   says how long to pause, so a milder cut is enough.)
 * - Signals for requests that left BEFORE the last cut were sent at the old rate and say nothing
 *   new: they extend the pause, they do not cut again.
 * - After each full interval without a throttle the rate recovers a step (spacing x 0.75), up to
 *   the ceiling; after sixty clean intervals at the ceiling, the ceiling itself is probed up by 5%.
 *   Each probe that finds the limit costs a 429 and the pause it asks for (a whole window, with
 *   `Retry-After: 1`), so probing every ten intervals cost the unknown-limit benchmark a pause every
 *   ten seconds (0.774 of the ceiling); every sixty, 0.86.
 */
import type { RateLimit } from '../destinations/types';

/**
 * Where requests are only spaced (the Redis-clustered limiter: several processes, several clocks),
 * stay 5% under the published limit: a late timer or network jitter can bunch them at the server.
 */
export const RATE_SAFETY = 0.95;
/**
 * Where the limiter holds each request in its count from its start until a window after its answer
 * (limiter.ts, send-log.ts), neither a late timer nor a slow request can put more than the allowance
 * in one of the CRM's windows: the round trip is the margin, measured. What is left is the clocks'
 * whole milliseconds.
 */
export const HELD_MARGIN_MS = 2;
/**
 * The rate set from a count goes this much under it: the count is an upper bound (send-log.ts),
 * and each refusal it lets through costs a pause of the CRM's Retry-After (a whole second in the
 * benchmark, 2% of a 50 s burst), more than running 2% under the limit for the rest of the run.
 */
export const COUNT_SAFETY = 0.98;
/** The slowest the adaptive rate may fall to, as a fraction of the configured rate. */
export const MIN_RATE_FRACTION = 1 / 16;
/** After a throttle, recover only to this fraction of the rate that drew it. */
const CEILING_FRACTION = 0.9;
/** The rate after a throttle signal, as a fraction of the rate that drew it. */
const CUT_FRACTION = 0.7;
const RECOVERY_STEP = 0.75;
const PROBE_STEP = 0.95;
const PROBE_AFTER_INTERVALS = 60;

/** The margin, in ms per interval, that spacing alone needs (RATE_SAFETY). */
export function spacingOnlyMarginMs(rate: RateLimit): number {
  return rate.intervalMs / RATE_SAFETY - rate.intervalMs;
}

/** The spacing at the configured rate: the configured count over the interval plus the margin. */
export function baseSpacingMs(rate: RateLimit, marginMs: number = spacingOnlyMarginMs(rate)): number {
  return (rate.intervalMs + marginMs) / rate.requests;
}

export interface AdaptiveRate {
  /** The window the allowance is counted over: the CRM's interval plus the safety margin. */
  readonly windowMs: number;
  spacingMs(): number;
  pausedUntil(): number;
  /** Requests allowed per window (windowMs) at the current rate: the configured count at first. */
  allowance(): number;
  /**
   * A throttle signal at `now` for a request that left at `sentAtMs`; true when the spacing changed.
   * `othersBefore`, when the limiter counted it: the other requests that left in the interval
   * before the refused one.
   */
  onThrottle(now: number, untilMs: number, sentAtMs: number, othersBefore?: number | null): boolean;
  /** A clean answer at `now`; true when the spacing changed. */
  onSuccess(now: number): boolean;
  reset(): void;
}

/**
 * A closure rather than a class: one per limiter, and its state in local variables, which the
 * upload script's minifier shortens, where `this.` fields keep their names on every use.
 */
export function createAdaptiveRate(
  rate: RateLimit,
  marginMs: number = spacingOnlyMarginMs(rate),
): AdaptiveRate {
  const windowMs = rate.intervalMs + marginMs;
  const base = baseSpacingMs(rate, marginMs);
  let spacing = base;
  let ceiling = base;
  let lastCutAt = -Infinity;
  let lastChangeAt = -Infinity;
  let pauseUntil = 0;

  function allowance(): number {
    return windowMs / spacing;
  }

  /**
   * The spacing that lets `othersBefore` requests per window, at least one fewer than allowed now
   * (refused at the full allowance: the margin was too thin); null where the count cannot be the
   * limit: unknown, or under the slowest rate (a pause rule, another client spending the budget).
   */
  function measuredSpacing(othersBefore: number | null): number | null {
    if (othersBefore === null) return null;
    const counted = Math.min(
      Math.floor(othersBefore * COUNT_SAFETY + 1e-9),
      Math.floor(allowance() + 1e-9) - 1,
    );
    if (counted < 1 || counted < rate.requests * MIN_RATE_FRACTION) return null;
    return windowMs / counted;
  }

  return {
    windowMs,
    spacingMs: () => spacing,
    pausedUntil: () => pauseUntil,
    allowance,
    onThrottle(now: number, untilMs: number, sentAtMs: number, othersBefore: number | null = null): boolean {
      if (untilMs > pauseUntil) pauseUntil = untilMs;
      if (sentAtMs < lastCutAt) return false;
      const slowest = base / MIN_RATE_FRACTION;
      const measured = measuredSpacing(othersBefore);
      if (measured !== null) {
        spacing = Math.min(measured, slowest);
        ceiling = spacing;
      } else {
        ceiling = Math.min(slowest, Math.max(base, spacing / CEILING_FRACTION));
        spacing = Math.min(spacing / CUT_FRACTION, slowest);
      }
      lastCutAt = now;
      lastChangeAt = Math.max(now, untilMs);
      return true;
    },
    onSuccess(now: number): boolean {
      if (now - lastChangeAt < rate.intervalMs) return false;
      if (spacing > ceiling) {
        spacing = Math.max(ceiling, spacing * RECOVERY_STEP);
        lastChangeAt = now;
        return true;
      }
      if (ceiling > base && now - lastCutAt >= PROBE_AFTER_INTERVALS * rate.intervalMs) {
        ceiling = Math.max(base, ceiling * PROBE_STEP);
        spacing = ceiling;
        lastChangeAt = now;
        return true;
      }
      return false;
    },
    reset(): void {
      pauseUntil = 0;
    },
  };
}
