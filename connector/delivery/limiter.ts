/**
 * One limiter per (destination, auth identity): spaces requests to the configured rate and bounds
 * concurrency (bottleneck), pauses completely while the CRM has asked us to wait, and adapts: each
 * throttle signal halves the rate, which then recovers step by step on success.
 */
import Bottleneck from 'bottleneck/light';
import { ConnectorError } from './errors';
import type { RateLimit } from '../destinations/types';
import type { Timers } from '../platform/host';

/** Stay a little under the published limit: network jitter can bunch requests at the server. */
export const RATE_SAFETY = 0.95;
/** The slowest the adaptive rate may fall to, as a fraction of the configured rate. */
const MIN_RATE_FRACTION = 1 / 16;

export interface Limiter {
  schedule<T>(job: () => Promise<T>): Promise<T>;
  /** The CRM signalled throttling: no request leaves before `untilMs`, and the rate drops. */
  onThrottle(untilMs: number): void;
  onSuccess(): void;
  /** Current spacing between request starts, in ms (for tests and reports). */
  spacingMs(): number;
  pausedUntil(): number;
  stop(): void;
}

export function baseSpacingMs(rate: RateLimit): number {
  return rate.intervalMs / (rate.requests * RATE_SAFETY);
}

export function createLimiter(
  rate: RateLimit,
  timers: Timers | null,
  now: () => number,
  destination: string,
): Limiter {
  return timers ? new AdaptiveLimiter(rate, timers, now) : new NoTimerLimiter(rate, now, destination);
}

class AdaptiveLimiter implements Limiter {
  private readonly bottleneck: Bottleneck;
  private readonly base: number;
  private spacing: number;
  private pauseUntil = 0;
  private successes = 0;

  constructor(
    private readonly rate: RateLimit,
    private readonly timers: Timers,
    private readonly now: () => number,
  ) {
    this.base = baseSpacingMs(rate);
    this.spacing = this.base;
    this.bottleneck = new Bottleneck({ maxConcurrent: rate.maxConcurrent, minTime: Math.ceil(this.spacing) });
  }

  /**
   * Every job first waits out a pause inside its slot: bottleneck's own settings change
   * asynchronously, and a request must not slip out between a 429 and the pause taking effect.
   */
  schedule<T>(job: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(() => this.waitWhilePaused().then(job));
  }

  private waitWhilePaused(): Promise<void> {
    const wait = this.pauseUntil - this.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.timers.setTimeout(resolve, wait);
    }).then(() => this.waitWhilePaused());
  }

  onThrottle(untilMs: number): void {
    this.successes = 0;
    this.spacing = Math.min(this.spacing * 2, this.base / MIN_RATE_FRACTION);
    if (untilMs > this.pauseUntil) this.pauseUntil = untilMs;
    this.bottleneck.updateSettings({ minTime: Math.ceil(this.spacing) });
  }

  onSuccess(): void {
    if (this.spacing <= this.base) return;
    // Recover one step after a full interval's worth of clean requests.
    this.successes++;
    if (this.successes < this.rate.requests) return;
    this.successes = 0;
    this.spacing = Math.max(this.base, this.spacing * 0.75);
    this.bottleneck.updateSettings({ minTime: Math.ceil(this.spacing) });
  }

  spacingMs(): number {
    return this.spacing;
  }

  pausedUntil(): number {
    return this.pauseUntil;
  }

  stop(): void {
    this.pauseUntil = 0;
  }
}

/**
 * Without host timers nothing can wait on a clock: requests run as slots free up (bounded
 * concurrency, no spacing), and while the CRM has asked us to wait every request fails at once as
 * transient, so the platform delivers the event again later instead of the script busy-waiting.
 */
class NoTimerLimiter implements Limiter {
  private running = 0;
  private pauseUntil = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly rate: RateLimit,
    private readonly now: () => number,
    private readonly destination: string,
  ) {}

  schedule<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        if (this.pauseUntil > this.now()) {
          this.release();
          reject(
            new ConnectorError(
              'transient',
              'the CRM asked to wait and this host lends no timers: deliver again later',
              {
                destination: this.destination,
                retryAfterMs: this.pauseUntil - this.now(),
              },
            ),
          );
          return;
        }
        job().then(
          (value) => {
            this.release();
            resolve(value);
          },
          (error: unknown) => {
            this.release();
            reject(error);
          },
        );
      };
      if (this.running < this.rate.maxConcurrent) {
        this.running++;
        start();
      } else {
        this.queue.push(start);
      }
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  onThrottle(untilMs: number): void {
    this.pauseUntil = Math.max(this.pauseUntil, untilMs);
  }

  onSuccess(): void {}

  spacingMs(): number {
    return 0;
  }

  pausedUntil(): number {
    return this.pauseUntil;
  }

  stop(): void {}
}
