/**
 * A limiter's recent requests, pure (time passed in): when each started and when its answer came.
 *
 * A CRM counts the requests that ARRIVED in its window, and a request arrives somewhere between
 * leaving and being answered: on a busy host a late timer sends several together, and a request
 * that lags on its way can land in the same window as one sent a full window after it. Holding
 * each request in the count from its start until a window after its answer covers both, whatever
 * the timers and the network did: if a request started only when fewer than the allowance were
 * held, no window at the CRM can have held more. The price is the round trip, measured, instead of
 * a guessed margin.
 *
 * It also tells how many other requests left in the interval before a refused one: with one
 * client on the CRM account, that is the CRM's limit, measured.
 */
export interface SendLog {
  /** Milliseconds until one more start keeps at most `allowance` held per `windowMs` (0: now). */
  waitMs(now: number, allowance: number, windowMs: number): number;
  /** A request starts at `now`; the id is for `answered`. */
  record(now: number): number;
  /** The request's answer (or its failure) came at `now`. */
  answered(id: number, now: number): void;
  /**
   * Other requests the CRM may have counted in its window before a refused one, which left at
   * `sentAtMs`: those that left no later and were answered (or are still out) within `intervalMs`
   * before it. An upper bound: a request's arrival is only known to lie between its start and its
   * answer, and on a busy host (the start of a burst) requests reach the CRM hundreds of ms after
   * they left, so counting by start time missed the oldest of the window and settled the rate a few
   * percent under the limit for good. Counted this way, a request that arrived just before the
   * window may be counted too: the next refusal corrects that, as the rate then goes at least one
   * under the allowance that drew it.
   */
  othersBefore(sentAtMs: number, intervalMs: number): number;
}

/**
 * A closure rather than a class: one per limiter, and its state in local variables, which the
 * upload script's minifier shortens, where `this.` fields keep their names on every use.
 */
export function createSendLog(): SendLog {
  /** Start and answer times in start order; an answer is Infinity while the request is out. */
  let starts: number[] = [];
  let answers: number[] = [];
  /** Entries before `head` are expired; `dropped` counts the entries compacted away, for ids. */
  let head = 0;
  let dropped = 0;

  /**
   * Expires the oldest entries freed before `now`, but never one within two windows: a refused
   * request's interval is looked back on (othersBefore) after its answer.
   */
  function prune(now: number, windowMs: number): void {
    while (
      head < starts.length &&
      (answers[head] as number) + windowMs <= now &&
      (starts[head] as number) <= now - 2 * windowMs
    ) {
      head++;
    }
    // Compact once the expired part is the larger one: amortised O(1) per start.
    if (head > 64 && head * 2 > starts.length) {
      starts = starts.slice(head);
      answers = answers.slice(head);
      dropped += head;
      head = 0;
    }
  }

  return {
    waitMs(now: number, allowance: number, windowMs: number): number {
      prune(now, windowMs);
      const fits = Math.max(1, Math.floor(allowance + 1e-9));
      // Fewer kept than allowed (a generous limit, a quiet destination): no need to look at each.
      if (starts.length - head < fits) return 0;
      let held = 0;
      let nextFree = Infinity;
      for (let i = head; i < starts.length; i++) {
        const freeAt = (answers[i] as number) + windowMs;
        if (freeAt > now) {
          held++;
          if (freeAt < nextFree) nextFree = freeAt;
        }
      }
      if (held < fits) return 0;
      // Full: wait for the first held request to free its place (then look again). Where every held
      // one is still out (an allowance under the concurrency), look again after a fraction of the window.
      return nextFree === Infinity ? windowMs / fits : nextFree - now;
    },
    record(now: number): number {
      starts.push(now);
      answers.push(Infinity);
      return dropped + starts.length - 1;
    },
    answered(id: number, now: number): void {
      const i = id - dropped;
      if (i >= 0 && i < answers.length) answers[i] = now;
    },
    othersBefore(sentAtMs: number, intervalMs: number): number {
      const from = sentAtMs - intervalMs;
      let n = 0;
      for (let i = head; i < starts.length; i++) {
        if ((starts[i] as number) <= sentAtMs && (answers[i] as number) > from) n++;
      }
      // The refused request itself is still out, and was counted.
      return Math.max(0, n - 1);
    },
  };
}
