/**
 * One limiter per (destination, auth identity): spaces requests to the configured rate and bounds
 * concurrency (bottleneck), holds no more than the rate's allowance of requests at once, each from
 * its start until a window after its answer (send-log.ts: neither late timers nor slow requests can
 * bunch more than that into a window at the CRM), pauses completely while the CRM has asked us to
 * wait, and adapts the rate to throttle signals (adaptive-rate.ts).
 *
 * Without host timers, or where the engine's timer waits do not work (the 2021 build), nothing can
 * wait on a clock: bottleneck then spaces nothing (minTime 0, so it never asks for a timed wait), no
 * starts are counted, and only concurrency is bounded; while the CRM has asked us to wait each job
 * fails at once as transient, so the platform delivers the event again later instead of the script
 * busy-waiting.
 */
import Bottleneck from 'bottleneck/light';
import { createAdaptiveRate, HELD_MARGIN_MS } from './adaptive-rate';
import { ConnectorError } from './errors';
import { createSendLog } from './send-log';
import type { RateLimit } from '../destinations/types';
import { timersCanWait, type Timers } from '../platform/host';

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
 * A closure rather than a class: one per limiter key, and its state in local variables, which the
 * upload script's minifier shortens, where `this.` fields keep their names on every use.
 */
export function createLimiter(
  rate: RateLimit,
  timers: Timers | null,
  now: () => number,
  destination: string,
): Limiter {
  const adaptive = createAdaptiveRate(rate, HELD_MARGIN_MS);
  const log = createSendLog();
  /** What minTime was last set for: the engine measures its timers only at its first call. */
  let spacedForWaits = false;
  // Fractional spacing on purpose: rounding 5.26 ms up to 6 ms would cap the rate at 0.83 of it.
  const bottleneck = new Bottleneck({ maxConcurrent: rate.maxConcurrent, minTime: minTime() });
  /**
   * Each job's id, counted: without one, bottleneck draws Math.random().toString(36) per job, and
   * the engine's toString(radix) is wrong, so the prelude's replacement computes every digit in script.
   */
  let jobs = 0;

  function minTime(): number {
    spacedForWaits = timersCanWait(timers);
    // Where nothing can wait (the 2021 engine), spacing would make every request after the first
    // wait on a timer that no hook can await, and the calls behind it would be refused round after
    // round; unspaced, a CRM's 429 still pauses the limiter (refusing as transient) until it passes.
    return spacedForWaits ? adaptive.spacingMs() : 0;
  }

  /** Runs the job and notes when its answer (or failure) came: the request is held until a window after. */
  function held<T>(id: number, job: () => Promise<T>): Promise<T> {
    const answered = (): void => log.answered(id, now());
    // Through a new promise so that even a job that throws at once is noted as answered.
    return new Promise<T>((resolve) => resolve(job())).then(
      (value) => {
        answered();
        return value;
      },
      (error: unknown) => {
        answered();
        throw error;
      },
    );
  }

  /** Resolves when the job may start: with its id in the log where starts are held, else null. */
  function waitForRoom(): Promise<number | null> {
    const at = now();
    const wait = adaptive.pausedUntil() - at;
    // Starts are counted only where waits work: elsewhere a wait for room would refuse the call.
    if (wait <= 0 && timers && spacedForWaits) {
      const full = log.waitMs(at, adaptive.allowance(), adaptive.windowMs);
      if (full > 0) return sleep(timers, full);
      return Promise.resolve(log.record(at));
    }
    if (wait <= 0) return Promise.resolve(null);
    if (!timers) {
      return Promise.reject(
        new ConnectorError(
          'transient',
          'the CRM asked to wait and this host lends no timers: deliver again later',
          {
            destination,
            retryAfterMs: wait,
          },
        ),
      );
    }
    return sleep(timers, wait);
  }

  function sleep(lent: Timers, ms: number): Promise<number | null> {
    return new Promise<void>((resolve) => {
      lent.setTimeout(resolve, ms);
    }).then(waitForRoom);
  }

  function applySpacing(): void {
    if (timers) bottleneck.updateSettings({ minTime: minTime() });
  }

  return {
    /**
     * Every job first waits out a pause and then for room in the window, inside its slot:
     * bottleneck's own settings change asynchronously, and a request must not slip out between a
     * 429 and the pause taking effect. The start is recorded in the same turn as the last check, so
     * two waiting slots cannot both take the window's last place.
     */
    schedule<T>(job: () => Promise<T>, priority: JobPriority = 'write'): Promise<T> {
      if (spacedForWaits !== timersCanWait(timers)) applySpacing();
      jobs += 1;
      const options = { priority: BOTTLENECK_PRIORITY[priority], id: `job-${jobs}` };
      return bottleneck.schedule(options, () =>
        waitForRoom().then((id) => (id === null ? job() : held(id, job))),
      );
    },
    onThrottle(untilMs: number, sentAtMs?: number): void {
      const at = now();
      const sent = sentAtMs === undefined ? at : sentAtMs;
      const others = spacedForWaits ? log.othersBefore(sent, rate.intervalMs) : null;
      if (adaptive.onThrottle(at, untilMs, sent, others)) applySpacing();
    },
    onSuccess(): void {
      if (adaptive.onSuccess(now())) applySpacing();
    },
    stop(): void {
      adaptive.reset();
    },
  };
}
