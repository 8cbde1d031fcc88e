import { createDestinationMetrics } from '../../connector/delivery/metrics';
import { percentile } from '../../connector/delivery/percentile';

describe('percentile (nearest rank), one definition for the replay summary, health and benchmarks', () => {
  const cases: Array<[number[], number, number | null]> = [
    [[], 0.5, null],
    [[7], 0.5, 7],
    [[1, 2], 0.5, 1],
    [[3, 1, 2], 0.5, 2],
    [[1, 2, 3, 4], 0.5, 2],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 1, 100],
  ];
  it.each(cases)('%j at %d', (values, q, expected) => expect(percentile(values, q)).toBe(expected));

  it('is what a destination snapshot reports', () => {
    const m = createDestinationMetrics('d');
    for (const ms of [40, 10, 30, 20]) m.recordLatency(ms);
    expect(m.snapshot().latencyMs).toEqual({ p50: 20, p99: 40, samples: 4 });
  });
});
