import { SendWindow } from '../../connector/delivery/send-window';

describe('SendWindow', () => {
  it('lets the whole allowance start at once, then waits until the oldest start leaves the interval', () => {
    const w = new SendWindow(1000);
    for (let i = 0; i < 3; i++) {
      expect(w.waitMs(100 + i, 3)).toBe(0);
      w.record(100 + i);
    }
    // Full: the fourth start fits when the first (t = 100) is a whole interval old.
    expect(w.waitMs(500, 3)).toBe(600);
    expect(w.waitMs(1100, 3)).toBe(0);
    w.record(1100);
    // The window now holds 101, 102, 1100: the next fits once 101 leaves.
    expect(w.waitMs(1100, 3)).toBe(1);
  });

  it('applies a lowered allowance at once, and a fractional one as its whole part (at least one)', () => {
    const w = new SendWindow(1000);
    for (const t of [0, 10, 20, 30]) w.record(t);
    expect(w.waitMs(40, 2.7)).toBe(980); // 2 fit: the second latest (t = 20) must leave
    expect(w.waitMs(40, 0.2)).toBe(990); // never below one a window
  });

  it('counts the starts in the interval before a refused request, and says so only while it keeps them', () => {
    const w = new SendWindow(1000);
    for (let t = 0; t < 1500; t += 10) w.record(t);
    // Refused request sent at 1200: starts in (200, 1200) are 210..1190, 99 of them.
    expect(w.startsBefore(1200, 1300)).toBe(99);
    // Long after, the interval before that send is forgotten: no count rather than a wrong one.
    expect(w.startsBefore(1200, 5000)).toBeNull();
  });

  it('stays exact over many intervals, expired starts compacted away', () => {
    const w = new SendWindow(100);
    for (let t = 0; t < 100_000; t++) {
      if (w.waitMs(t, 1000) === 0) w.record(t);
    }
    // Every start fitted (1000 a window allowed, 100 made); before 100000: 99901..99999.
    expect(w.startsBefore(100_000, 100_000)).toBe(99);
    expect(w.waitMs(100_000, 99)).toBe(1); // 99 in the window: the one at 99901 leaves next
  });
});
