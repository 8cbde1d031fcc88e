import { createSendLog, type SendLog } from '../../connector/delivery/send-log';

const WINDOW = 1002;

/** Starts a request at `at` when the log has room (asserting it does), answered `rttMs` later. */
function send(log: SendLog, at: number, allowance: number, rttMs: number): void {
  expect(log.waitMs(at, allowance, WINDOW)).toBe(0);
  log.answered(log.record(at), at + rttMs);
}

describe('SendLog', () => {
  it('lets the allowance start at once, then holds each request until a window after its answer', () => {
    const log = createSendLog();
    send(log, 0, 3, 40);
    send(log, 0, 3, 5);
    send(log, 1, 3, 10);
    // Full: the first place frees a window after the earliest answer (5 ms), not after its start.
    expect(log.waitMs(2, 3, WINDOW)).toBe(5 + WINDOW - 2);
    expect(log.waitMs(5 + WINDOW, 3, WINDOW)).toBe(0);
  });

  it('holds a request that is still out, however long ago it left', () => {
    const log = createSendLog();
    log.record(0);
    log.record(1);
    // Both still out: nothing frees a place on a known date; look again after a share of the window.
    expect(log.waitMs(5000, 2, WINDOW)).toBe(WINDOW / 2);
    expect(log.waitMs(5000, 3, WINDOW)).toBe(0);
  });

  it('whatever the delays, never lets more than the allowance arrive within one window at the CRM', () => {
    const log = createSendLog();
    const allowance = 10;
    const arrivals: number[] = [];
    let now = 0;
    // A deterministic mix of fast and very slow trips (a busy host): arrival halfway or at the end.
    for (let n = 0; n < 200; n++) {
      const wait = log.waitMs(now, allowance, WINDOW);
      if (wait > 0) {
        now += wait;
        n--;
        continue;
      }
      const rtt = n % 7 === 0 ? 300 : 3;
      log.answered(log.record(now), now + rtt);
      arrivals.push(n % 2 === 0 ? now + rtt : now + rtt / 2);
      now += 1;
    }
    arrivals.sort((a, b) => a - b);
    for (let i = allowance; i < arrivals.length; i++) {
      // The (allowance + 1)-th arrival after any one is more than a full CRM window (1000 ms) later.
      expect((arrivals[i] as number) - (arrivals[i - allowance] as number)).toBeGreaterThan(1000);
    }
  });

  it('counts the other requests the CRM may have counted before a refused one: answered within the interval, left no later', () => {
    const log = createSendLog();
    log.answered(log.record(0), 1000); // answered a full interval before the refused one left: out
    log.answered(log.record(10), 1400); // left before the interval, answered inside it: counted
    log.answered(log.record(1600), 1610);
    log.record(1700); // still out: counted
    log.record(2000); // the refused one, still out
    log.record(2003); // left after the refused one: not counted
    expect(log.othersBefore(2000, 1000)).toBe(3);
  });

  it('keeps its counts right across the compaction of expired entries', () => {
    const log = createSendLog();
    for (let t = 0; t < 20000; t += 10) send(log, t, 200, 2);
    // The last second: 100 starts, the refused one among them.
    log.record(20000);
    expect(log.othersBefore(20000, 1000)).toBe(100);
    expect(log.waitMs(20000, 102, WINDOW)).toBe(0);
    log.record(20000);
    expect(log.waitMs(20000, 102, WINDOW)).toBeGreaterThan(0);
  });
});
