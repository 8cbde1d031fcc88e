/**
 * The adaptive part of a limiter, pure (time passed in): the rate, as the spacing between request
 * starts or as the allowance of starts per interval (the limiter uses the allowance).
 *
 * - Start at the configured count of requests over a slightly longer window (windowMs: 1050 ms for
 *   a one-second limit, 10.2 s for HubSpot's ten seconds).
 * - A throttle signal for a request sent at the current rate sets the allowance (and its ceiling)
 *   to the requests the limiter counted in the window before it, at least one fewer than allowed:
 *   the CRM has just told us its limit. Without a count it cuts the rate to 70% and
 *   remembers a ceiling: 90% of the rate that drew it. (Halving, as TCP does, lost a third of the throughput in
 *   the unknown-limit benchmark: here the server also says how long to pause, so a milder cut is
 *   enough.) Signals for requests that left BEFORE that cut were
 *   sent at the old rate and say nothing new: they extend the pause, they do not cut again.
 * - After each full interval without a throttle the rate recovers a step (spacing x 0.75), up to
 *   the ceiling; after ten clean intervals at the ceiling, the ceiling itself is probed up by 5%.
 */
import type { RateLimit } from '../destinations/types';

/**
 * Stay a little under the published limit: network jitter and a busy event loop move a request's
 * arrival at the CRM by tens of milliseconds from the start we counted, which can bunch requests
 * into one of the CRM's windows. So the margin is a time: the limiter counts the published number
 * of requests over a window longer than the CRM's by at least JITTER_MS and at least 2% (a whole
 * number of requests, so a limit of 4 a second stays 4, not 3).
 */
export const JITTER_MS = 50;
export const MIN_MARGIN = 0.02;

/** The window the limiter counts its allowance over: the CRM's interval plus the margin. */
export function windowMs(intervalMs: number): number {
  return intervalMs + Math.max(JITTER_MS, MIN_MARGIN * intervalMs);
}

/** The slowest the adaptive rate may fall to, as a fraction of the configured rate. */
export const MIN_RATE_FRACTION = 1 / 16;
/** After a throttle, recover only to this fraction of the rate that drew it. */
const CEILING_FRACTION = 0.9;
/** The rate after a throttle signal, as a fraction of the rate that drew it. */
const CUT_FRACTION = 0.7;
const RECOVERY_STEP = 0.75;
const PROBE_STEP = 0.95;
const PROBE_AFTER_INTERVALS = 10;

export function baseSpacingMs(rate: RateLimit): number {
  return windowMs(rate.intervalMs) / rate.requests;
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

  /** Requests allowed per window (windowMs) at the current rate: the published count at first. */
  allowance(): number {
    return windowMs(this.rate.intervalMs) / this.spacing;
  }

  /**
   * A throttle signal at `now` for a request that left at `sentAtMs`; true when the spacing changed.
   * `sentBefore`, when known, counts the requests that left in the window before the refused one:
   * they are what the CRM accepts (the limit itself on a windowed limit), and the allowance goes
   * straight there, at least one under the current one, instead of being cut blindly and then
   * hunting for it. Without a count, the blind cut.
   */
  onThrottle(now: number, untilMs: number, sentAtMs: number, sentBefore: number | null = null): boolean {
    if (untilMs > this.pauseUntil) this.pauseUntil = untilMs;
    if (sentAtMs < this.lastCutAt) return false;
    const slowest = this.base / MIN_RATE_FRACTION;
    // At most one fewer than allowed: refused at the full allowance means the margin was too thin.
    const counted = sentBefore ? Math.min(sentBefore, Math.floor(this.allowance() + 1e-9) - 1) : 0;
    const measured = counted >= 1 ? windowMs(this.rate.intervalMs) / counted : 0;
    if (measured > this.spacing) {
      this.spacing = Math.min(measured, slowest);
      this.ceiling = this.spacing;
    } else {
      this.ceiling = Math.min(slowest, Math.max(this.base, this.spacing / CEILING_FRACTION));
      this.spacing = Math.min(this.spacing / CUT_FRACTION, slowest);
    }
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
