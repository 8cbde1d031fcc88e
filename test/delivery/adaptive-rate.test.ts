import { createAdaptiveRate, baseSpacingMs, HELD_MARGIN_MS } from '../../connector/delivery/adaptive-rate';

const rate = { requests: 100, intervalMs: 1000, maxConcurrent: 4 };
const base = baseSpacingMs(rate); // 1000 / 95 ms

describe('AdaptiveRate', () => {
  it('starts 5% under the configured rate', () => {
    expect(createAdaptiveRate(rate).spacingMs()).toBeCloseTo(1000 / 95, 6);
  });

  it('cuts the rate to 70% on a throttle and pauses until the signalled time', () => {
    const a = createAdaptiveRate(rate);
    expect(a.onThrottle(1000, 3000, 990)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.7, 6);
    expect(a.pausedUntil()).toBe(3000);
  });

  it('does not cut again for requests that left before the last cut (they were sent at the old rate)', () => {
    const a = createAdaptiveRate(rate);
    a.onThrottle(1000, 2000, 990);
    expect(a.onThrottle(1010, 2500, 995)).toBe(false);
    expect(a.spacingMs()).toBeCloseTo(base / 0.7, 6);
    expect(a.pausedUntil()).toBe(2500);
    // A request sent after the cut that is throttled again means the limit is lower still.
    expect(a.onThrottle(2600, 3600, 2100)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.49, 6);
  });

  it('recovers a step per clean interval, up to 90% of the rate that drew the throttle', () => {
    const a = createAdaptiveRate(rate);
    a.onThrottle(0, 0, 0); // at base: ceiling = base / 0.9
    a.onThrottle(10, 0, 10); // sent after the first cut: cut again, ceiling = (base / 0.7) / 0.9
    expect(a.spacingMs()).toBeCloseTo(base / 0.49, 6);
    expect(a.onSuccess(500)).toBe(false); // not a full interval yet
    expect(a.onSuccess(1010)).toBe(true);
    // One step (x 0.75) would be 1.53 x base: faster than the ceiling, 1.59 x base, so it stops there.
    expect(a.spacingMs()).toBeCloseTo(base / 0.7 / 0.9, 6);
    expect(a.onSuccess(2010)).toBe(false); // at the ceiling: no change until probing
  });

  it('probes the ceiling up by 5% after sixty clean intervals, never past the configured rate', () => {
    const a = createAdaptiveRate(rate);
    a.onThrottle(0, 0, 0);
    expect(a.onSuccess(1000)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo(base / 0.9, 6);
    expect(a.onSuccess(59000)).toBe(false);
    expect(a.onSuccess(60000)).toBe(true);
    expect(a.spacingMs()).toBeCloseTo((base / 0.9) * 0.95, 6);
    for (let t = 61000; t < 400000; t += 1000) a.onSuccess(t);
    expect(a.spacingMs()).toBeCloseTo(base, 6);
  });

  it('never falls below a sixteenth of the configured rate', () => {
    const a = createAdaptiveRate(rate);
    for (let i = 0; i < 20; i++) a.onThrottle(i * 10, i * 10, i * 10);
    expect(a.spacingMs()).toBeCloseTo(base * 16, 6);
  });

  describe('with a margin of time and a count of the requests before a refusal', () => {
    const big = { requests: 400, intervalMs: 1000, maxConcurrent: 8 };
    const window = 1000 + HELD_MARGIN_MS;

    it('starts at the configured count over the interval plus the margin', () => {
      const a = createAdaptiveRate(big, HELD_MARGIN_MS);
      expect(a.windowMs).toBe(window);
      expect(a.spacingMs()).toBeCloseTo(window / 400, 9);
      expect(a.allowance()).toBeCloseTo(400, 9);
    });

    it('goes straight to 2% under the counted limit, pauses as told, and does not climb back over it', () => {
      const a = createAdaptiveRate(big, HELD_MARGIN_MS);
      expect(a.onThrottle(1000, 2000, 990, 204)).toBe(true);
      expect(a.allowance()).toBeCloseTo(199, 9); // floor(204 x 0.98)
      expect(a.pausedUntil()).toBe(2000);
      for (let t = 3000; t < 50000; t += 1000) a.onSuccess(t);
      expect(a.allowance()).toBeCloseTo(199, 9);
    });

    it('goes at least one under the allowance that drew the refusal, however many were counted', () => {
      const a = createAdaptiveRate({ requests: 10, intervalMs: 1000, maxConcurrent: 8 }, HELD_MARGIN_MS);
      a.onThrottle(1000, 2000, 990, 30);
      expect(a.allowance()).toBeCloseTo(9, 9);
    });

    it('cuts blindly when the count cannot be the limit (a pause rule, another client spending the budget)', () => {
      const a = createAdaptiveRate(big, HELD_MARGIN_MS);
      a.onThrottle(1000, 2000, 990, 3);
      expect(a.spacingMs()).toBeCloseTo(window / 400 / 0.7, 9);
      const b = createAdaptiveRate(big, HELD_MARGIN_MS);
      b.onThrottle(1000, 2000, 990, null);
      expect(b.spacingMs()).toBeCloseTo(window / 400 / 0.7, 9);
    });

    it('takes no count from a refusal of a request sent before the last cut', () => {
      const a = createAdaptiveRate(big, HELD_MARGIN_MS);
      a.onThrottle(1000, 2000, 990, 204);
      expect(a.onThrottle(1005, 2100, 995, 150)).toBe(false);
      expect(a.allowance()).toBeCloseTo(199, 9);
      expect(a.pausedUntil()).toBe(2100);
    });
  });
});
