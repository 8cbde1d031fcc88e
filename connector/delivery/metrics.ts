/**
 * Per-destination counters and latencies (the `serve` health endpoint reports them).
 */
import { LatencySamples, type LatencySummary } from './latency-samples';

export interface DestinationCounters {
  requests: number;
  retried: number;
  throttled: number;
  written: number;
  unchanged: number;
  dropped: number;
  failed: number;
}

export interface DestinationSnapshot extends DestinationCounters {
  destination: string;
  latencyMs: LatencySummary;
}

export interface DestinationMetrics {
  readonly destination: string;
  readonly counters: DestinationCounters;
  recordLatency(ms: number): void;
  snapshot(): DestinationSnapshot;
}

/** A closure rather than a class: one per destination, nothing for `this.` to name on each use. */
export function createDestinationMetrics(destination: string): DestinationMetrics {
  const counters: DestinationCounters = {
    requests: 0,
    retried: 0,
    throttled: 0,
    written: 0,
    unchanged: 0,
    dropped: 0,
    failed: 0,
  };
  const latency = new LatencySamples();
  return {
    destination,
    counters,
    recordLatency: (ms) => latency.record(ms),
    snapshot: () => Object.assign({ destination }, counters, { latencyMs: latency.summary() }),
  };
}
