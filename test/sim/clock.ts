/**
 * A hand-driven clock for tests: window accounting, Retry-After values and pause rules all read the
 * simulator's clock, so a test advances time explicitly instead of sleeping.
 */
export interface ManualClock {
  now: () => number;
  advance(ms: number): number;
  set(ms: number): number;
}

/** Starts at a fixed instant so Retry-After dates and epoch-second headers are reproducible. */
export function createManualClock(startMs = Date.UTC(2026, 10, 27, 10, 0, 0)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
      return current;
    },
    set(ms) {
      current = ms;
      return current;
    },
  };
}
