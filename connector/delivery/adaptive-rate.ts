/**
 * The adaptive part of a limiter, pure (time passed in): the spacing between request starts.
 *
 * - Start at the configured rate (less a 5% safety margin).
 * - A throttle signal for a request sent at the current rate cuts the rate to 70% and remembers a
 *   ceiling: 90% of the rate that drew it. (Halving, as TCP does, lost a third of the throughput in
 *   the unknown-limit benchmark: here the server also says how long to pause, so a milder cut is
 *   enough.) Signals for requests that left BEFORE that cut were
 *   sent at the old rate and say nothing new: they extend the pause, they do not cut again.
 * - After each full interval without a throttle the rate recovers a step (spacing x 0.75), up to
 *   the ceiling; after sixty clean intervals at the ceiling, the ceiling itself is probed up by 5%.
 *   Each probe that finds the limit costs a 429 and the pause it asks for (a whole window, with
 *   `Retry-After: 1`), so probing every ten intervals cost the unknown-limit benchmark a pause every
 *   ten seconds (0.774 of the ceiling); every sixty, 0.86.
 */
import type { RateLimit } from '../destinations/types';

/** Stay a little under the published limit: network jitter can bunch requests at the server. */
export const RATE_SAFETY = 0.95;
/** The slowest the adaptive rate may fall to, as a fraction of the configured rate. */
export const MIN_RATE_FRACTION = 1 / 16;
/** After a throttle, recover only to this fraction of the rate that drew it. */
const CEILING_FRACTION = 0.9;
/** The rate after a throttle signal, as a fraction of the rate that drew it. */
const CUT_FRACTION = 0.7;
const RECOVERY_STEP = 0.75;
const PROBE_STEP = 0.95;
const PROBE_AFTER_INTERVALS = 60;

export function baseSpacingMs(rate: RateLimit): number {
  return rate.intervalMs / (rate.requests * RATE_SAFETY);
}

export class AdaptiveRate {
  readonly base: number;
  private spacing: number;
  private ceiling: number;
  private lastCutAt = -Infinity;
  private lastChangeAt = -Infinity;
  private pauseUntil = 0;

  constructor(private readonly rate: RateLimit) {
    this.base = baseSpacingMs(rate);
    this.spacing = this.base;
    this.ceiling = this.base;
  }

  spacingMs(): number {
    return this.spacing;
  }

  pausedUntil(): number {
    return this.pauseUntil;
  }

  /** A throttle signal at `now` for a request that left at `sentAtMs`; true when the spacing changed. */
  onThrottle(now: number, untilMs: number, sentAtMs: number): boolean {
    if (untilMs > this.pauseUntil) this.pauseUntil = untilMs;
    if (sentAtMs < this.lastCutAt) return false;
    this.ceiling = Math.min(
      this.base / MIN_RATE_FRACTION,
      Math.max(this.base, this.spacing / CEILING_FRACTION),
    );
    this.spacing = Math.min(this.spacing / CUT_FRACTION, this.base / MIN_RATE_FRACTION);
    this.lastCutAt = now;
    this.lastChangeAt = Math.max(now, untilMs);
    return true;
  }

  /** A clean answer at `now`; true when the spacing changed. */
  onSuccess(now: number): boolean {
    if (now - this.lastChangeAt < this.rate.intervalMs) return false;
    if (this.spacing > this.ceiling) {
      this.spacing = Math.max(this.ceiling, this.spacing * RECOVERY_STEP);
      this.lastChangeAt = now;
      return true;
    }
    if (this.ceiling > this.base && now - this.lastCutAt >= PROBE_AFTER_INTERVALS * this.rate.intervalMs) {
      this.ceiling = Math.max(this.base, this.ceiling * PROBE_STEP);
      this.spacing = this.ceiling;
      this.lastChangeAt = now;
      return true;
    }
    return false;
  }

  reset(): void {
    this.pauseUntil = 0;
  }
}
