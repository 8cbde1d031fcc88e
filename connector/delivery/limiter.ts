/**
 * One limiter per (destination, auth identity): lets at most the rate's allowance of requests start
 * in any interval (send-window.ts), at most four times faster than an even spacing while within
 * it, bounds concurrency (bottleneck), pauses completely while the CRM has asked us to wait, and
 * adapts the rate to throttle signals (adaptive-rate.ts).
 *
 * Without host timers nothing can wait on a clock: bottleneck then spaces nothing (minTime 0, so it
 * never asks for a timed wait), no window is kept, and only concurrency is bounded; while the CRM
 * has asked us to wait each job fails at once as transient, so the platform delivers the event
 * again later instead of the script busy-waiting.
 */
import Bottleneck from 'bottleneck/light';
import { AdaptiveRate, windowMs } from './adaptive-rate';
import { ConnectorError } from './errors';
import { SendWindow } from './send-window';
import type { RateLimit } from '../destinations/types';
import type { Timers } from '../platform/host';

export interface Limiter {
  /** Runs a job in a slot; `priority` 'write' jobs go before queued 'read' jobs. */
  schedule<T>(job: () => Promise<T>, priority?: JobPriority): Promise<T>;
  /**
   * The CRM signalled throttling: no request leaves before `untilMs`, and the rate drops unless
   * the refused request left before the last cut (`sentAtMs`).
   */
  onThrottle(untilMs: number, sentAtMs?: number): void;
  onSuccess(): void;
  stop(): void;
}

/**
 * Writes finish a customer's batch; reads start one. Letting writes pass queued reads keeps a burst
 * from parking every batch between its read and its write.
 */
export type JobPriority = 'read' | 'write';
export const BOTTLENECK_PRIORITY: Record<JobPriority, number> = { write: 4, read: 5 };

/**
 * Within the window's allowance, requests leave at most this many times faster than an even
 * spacing: the allowance is used early (no waiting at the start, a pause made up after), without
 * firing a whole window at once into a CRM that may also count per second.
 */
export const BURST_FACTOR = 4;

export function createLimiter(
  rate: RateLimit,
  timers: Timers | null,
  now: () => number,
  destination: string,
): Limiter {
  return new AdaptiveLimiter(rate, timers, now, destination);
}

class AdaptiveLimiter implements Limiter {
  private readonly bottleneck: Bottleneck;
  private readonly adaptive: AdaptiveRate;
  private readonly window: SendWindow;

  constructor(
    rate: RateLimit,
    private readonly timers: Timers | null,
    private readonly now: () => number,
    private readonly destination: string,
  ) {
    this.adaptive = new AdaptiveRate(rate);
    this.window = new SendWindow(windowMs(rate.intervalMs));
    // Fractional spacing on purpose: rounding 5.26 ms up to 6 ms would cap the rate at 0.83 of it.
    this.bottleneck = new Bottleneck({ maxConcurrent: rate.maxConcurrent, minTime: this.minTime() });
  }

  private minTime(): number {
    return this.timers ? this.adaptive.spacingMs() / BURST_FACTOR : 0;
  }

  /**
   * Every job first waits out a pause and then for room in the window, inside its slot:
   * bottleneck's own settings change asynchronously, and a request must not slip out between a 429
   * and the pause taking effect. The start is recorded in the same turn as the last check, so two
   * waiting slots cannot both take the window's last place.
   */
  schedule<T>(job: () => Promise<T>, priority: JobPriority = 'write'): Promise<T> {
    return this.bottleneck.schedule({ priority: BOTTLENECK_PRIORITY[priority] }, () =>
      this.waitForRoom().then(job),
    );
  }

  private waitForRoom(): Promise<void> {
    const now = this.now();
    const paused = this.adaptive.pausedUntil() - now;
    const timers = this.timers;
    if (timers && paused <= 0) {
      const wait = this.window.waitMs(now, this.adaptive.allowance());
      if (wait <= 0) {
        this.window.record(now);
        return Promise.resolve();
      }
      return this.sleep(timers, wait);
    }
    if (paused <= 0) return Promise.resolve();
    if (!timers) {
      return Promise.reject(
        new ConnectorError(
          'transient',
          'the CRM asked to wait and this host lends no timers: deliver again later',
          {
            destination: this.destination,
            retryAfterMs: paused,
          },
        ),
      );
    }
    return this.sleep(timers, paused);
  }

  private sleep(timers: Timers, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      timers.setTimeout(resolve, ms);
    }).then(() => this.waitForRoom());
  }

  onThrottle(untilMs: number, sentAtMs?: number): void {
    const now = this.now();
    const sent = sentAtMs === undefined ? now : sentAtMs;
    const sentBefore = this.timers ? this.window.startsBefore(sent, now) : null;
    if (this.adaptive.onThrottle(now, untilMs, sent, sentBefore)) this.applySpacing();
  }

  onSuccess(): void {
    if (this.adaptive.onSuccess(this.now())) this.applySpacing();
  }

  private applySpacing(): void {
    if (this.timers) this.bottleneck.updateSettings({ minTime: this.minTime() });
  }

  stop(): void {
    this.adaptive.reset();
  }
}
