/**
 * The start times of a limiter's recent requests, pure (time passed in). CRM limits are counted
 * per window (HubSpot: 100 requests in any ten seconds), so a window allowance, not an even
 * spacing, is what reaches the limit: the first requests leave at once instead of one per spacing,
 * and a pause that ran a whole window long is made up by the allowance it left.
 *
 * It also tells how many requests left in the window before a refused one: on a windowed limit,
 * that count is the limit itself, a better next rate than a blind cut.
 */
export class SendWindow {
  /** Start times, oldest first; `head` skips the expired ones without shifting the array each time. */
  private starts: number[] = [];
  private head = 0;

  constructor(
    private readonly intervalMs: number,
    /** How long starts are kept: long enough to look back from a refused request's send time. */
    private readonly keepMs: number = 2 * intervalMs,
  ) {}

  /** Milliseconds until one more start fits `allowance` starts per interval (0: now). */
  waitMs(now: number, allowance: number): number {
    this.prune(now);
    const fits = Math.max(1, Math.floor(allowance + 1e-9));
    if (this.starts.length - this.head < fits) return 0;
    // Starts are in order: the window is full when the fits-th latest start is still inside it.
    const blocking = this.starts[this.starts.length - fits] as number;
    return blocking + this.intervalMs <= now ? 0 : blocking + this.intervalMs - now;
  }

  record(now: number): void {
    this.starts.push(now);
  }

  /** Starts in the interval before `sentAtMs`, or null when that interval is no longer kept. */
  startsBefore(sentAtMs: number, now: number): number | null {
    this.prune(now);
    const from = sentAtMs - this.intervalMs;
    if (from < now - this.keepMs) return null;
    let n = 0;
    for (let i = this.head; i < this.starts.length; i++) {
      const t = this.starts[i] as number;
      if (t > from && t < sentAtMs) n++;
    }
    return n;
  }

  private prune(now: number): void {
    const keepFrom = now - this.keepMs;
    while (this.head < this.starts.length && (this.starts[this.head] as number) <= keepFrom) this.head++;
    // Compact once the expired part is the larger one: amortised O(1) per start.
    if (this.head > 64 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
  }
}
