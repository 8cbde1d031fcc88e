/**
 * Fires every call of a burst at once at a pair of hooks and times each from its first delivery to
 * its settling. Like the platform (at-least-once delivery), a call whose promise rejected (a
 * transient failure that outlived the retry budget, or a full queue) is delivered again after a
 * pause, a bounded number of rounds. Waiting is bounded by a deadline.
 */
import { performance } from 'node:perf_hooks';
import type { BenchCall, HookName } from './workload';

export type Hooks = Record<HookName, (...args: unknown[]) => Promise<unknown>>;

export interface BurstOptions {
  redeliverRounds: number;
  redeliverDelayMs: number;
  deadlineMs: number;
}

export interface BurstResult {
  calls: number;
  /** Calls that resolved (on their first delivery or a later one). */
  resolved: number;
  /** Calls that rejected at least once (and were delivered again, rounds permitting). */
  rejectedOnce: number;
  redeliveries: number;
  /** Calls still rejected after the last round, or unsettled at the deadline. */
  lost: number;
  unsettled: number;
  /** From the first call to the last settling, ms. */
  durationMs: number;
  /** Per resolved call: first delivery to resolution, ms. */
  settleMs: number[];
  rejectionReasons: Record<string, number>;
  timedOut: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A short label for a rejection, so a table of reasons stays readable. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\d+/g, 'N').slice(0, 80);
}

export async function runBurst(
  hooks: Hooks,
  calls: BenchCall[],
  options: BurstOptions,
): Promise<BurstResult> {
  const started = performance.now();
  const deadline = started + options.deadlineMs;
  const firstAt = new Array<number>(calls.length);
  const settleMs: number[] = [];
  const reasons: Record<string, number> = {};
  const everRejected = new Set<number>();
  let lastSettle = started;
  let redeliveries = 0;
  let pendingIdx = calls.map((_c, i) => i);
  let outstanding = 0;
  let timedOut = false;

  for (let round = 0; pendingIdx.length > 0 && round <= options.redeliverRounds; round++) {
    if (round > 0) {
      await sleep(options.redeliverDelayMs);
      redeliveries += pendingIdx.length;
    }
    const failed: number[] = [];
    outstanding = pendingIdx.length;
    const all = pendingIdx.map((i) => {
      const call = calls[i] as BenchCall;
      if (round === 0) firstAt[i] = performance.now();
      return hooks[call.hook](...call.args).then(
        () => {
          lastSettle = performance.now();
          settleMs.push(lastSettle - (firstAt[i] as number));
          outstanding--;
        },
        (error: unknown) => {
          lastSettle = performance.now();
          const reason = reasonOf(error);
          reasons[reason] = (reasons[reason] || 0) + 1;
          everRejected.add(i);
          failed.push(i);
          outstanding--;
        },
      );
    });
    const left = deadline - performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, left));
    });
    const outcome = await Promise.race([Promise.all(all).then(() => 'done' as const), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      timedOut = true;
      pendingIdx = failed;
      break;
    }
    pendingIdx = failed;
  }
  return {
    calls: calls.length,
    resolved: settleMs.length,
    rejectedOnce: everRejected.size,
    redeliveries,
    lost: pendingIdx.length + (timedOut ? outstanding : 0),
    unsettled: timedOut ? outstanding : 0,
    durationMs: lastSettle - started,
    settleMs,
    rejectionReasons: reasons,
    timedOut,
  };
}
