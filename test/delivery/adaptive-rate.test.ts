import { AdaptiveRate, baseSpacingMs, windowMs } from '../../connector/delivery/adaptive-rate';

const rate = { requests: 100, intervalMs: 1000, maxConcurrent: 4 };
const base = baseSpacingMs(rate); // 100 requests over 1050 ms

describe('AdaptiveRate', () => {
  it('starts at the configured count over a window longer by the margin (50 ms, or 2% of a long one)', () => {
    expect(new AdaptiveRate(rate).spacingMs()).toBeCloseTo(10.5, 6);
    expect(new AdaptiveRate(rate).allowance()).toBeCloseTo(100, 6);
    expect(windowMs(1000)).toBe(1050);
    expect(windowMs(10_000)).toBe(10_200);
    // A small limit stays whole: 4 a second is 4 per 1050 ms, not 3.
    expect(new AdaptiveRate({ requests: 4, intervalMs: 1000, maxConcurrent: 4 }).allowance()).toBeCloseTo(
      4,
      6,
    );
  });

  it('goes straight to the count it made before a refused request, and stays there', () => {
    // Configured at 100/s, the CRM refused after 60 requests in the window: its limit is 60.
    const a = new AdaptiveRate(rate);
    expect(a.onThrottle(1000, 2000, 990, 60)).toBe(true);
    expect(a.allowance()).toBeCloseTo(60, 6);
    expect(a.pausedUntil()).toBe(2000);
    // Clean intervals do not climb back over the measured rate before probing.
    for (let t = 3000; t < 11_000; t += 1000) expect(a.onSuccess(t)).toBe(false);
  });

  it('refused with the whole allowance sent (or more, sent before a lower rate): one fewer', () => {
    const full = new AdaptiveRate(rate);
    full.onThrottle(1000, 2000, 990, 100);
    expect(full.allowance()).toBeCloseTo(99, 6);
    const over = new AdaptiveRate(rate);
    over.onThrottle(1000, 2000, 990, 120);
    expect(over.allowance()).toBeCloseTo(99, 6);
  });

  it('cuts blindly to 70% without a count', () => {
    const none = new AdaptiveRate(rate);
    none.onThrottle(1000, 2000, 990, 0);
    expect(none.spacingMs()).toBeCloseTo(base / 0.7, 6);
  });

  it('cuts the rate to 70% on a throttle and pauses until the signalled time', () => {
    const a = new AdaptiveRate(rate);
    expect(a.onThrottle(1000, 3000, 990)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.7, 6);
    expect(a.pausedUntil()).toBe(3000);
  });

  it('does not cut again for requests that left before the last cut (they were sent at the old rate)', () => {
    const a = new AdaptiveRate(rate);
    a.onThrottle(1000, 2000, 990);
    expect(a.onThrottle(1010, 2500, 995)).toBe(false);
    expect(a.spacingMs()).toBeCloseTo(base / 0.7, 6);
    expect(a.pausedUntil()).toBe(2500);
    // A request sent after the cut that is throttled again means the limit is lower still.
    expect(a.onThrottle(2600, 3600, 2100)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.49, 6);
  });

  it('recovers a step per clean interval, up to 90% of the rate that drew the throttle', () => {
    const a = new AdaptiveRate(rate);
    a.onThrottle(0, 0, 0); // at base: ceiling = base / 0.9
    a.onThrottle(10, 0, 10); // sent after the first cut: cut again, ceiling = (base / 0.7) / 0.9
    expect(a.spacingMs()).toBeCloseTo(base / 0.49, 6);
    expect(a.onSuccess(500)).toBe(false); // not a full interval yet
    expect(a.onSuccess(1010)).toBe(true);
    // One step (x 0.75) would be 1.53 x base: faster than the ceiling, 1.59 x base, so it stops there.
    expect(a.spacingMs()).toBeCloseTo(base / 0.7 / 0.9, 6);
    expect(a.onSuccess(2010)).toBe(false); // at the ceiling: no change until probing
  });

  it('probes the ceiling up by 5% after ten clean intervals, never past the configured rate', () => {
    const a = new AdaptiveRate(rate);
    a.onThrottle(0, 0, 0);
    expect(a.onSuccess(1000)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.9, 6);
    expect(a.onSuccess(9000)).toBe(false);
    expect(a.onSuccess(10000)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo((base / 0.9) * 0.95, 6);
    for (let t = 11000; t < 100000; t += 1000) a.onSuccess(t);
    expect(a.spacingMs()).toBeCloseTo(base, 6);
  });

  it('never falls below a sixteenth of the configured rate', () => {
    const a = new AdaptiveRate(rate);
    for (let i = 0; i < 20; i++) a.onThrottle(i * 10, i * 10, i * 10);
    expect(a.spacingMs()).toBeCloseTo(base * 16, 6);
  });
});
