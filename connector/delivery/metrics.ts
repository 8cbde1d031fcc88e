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

export class DestinationMetrics {
  readonly counters: DestinationCounters = {
    requests: 0,
    retried: 0,
    throttled: 0,
    written: 0,
    unchanged: 0,
    dropped: 0,
    failed: 0,
  };
  private readonly latency = new LatencySamples();

  constructor(readonly destination: string) {}

  recordLatency(ms: number): void {
    this.latency.record(ms);
  }

  snapshot(): DestinationSnapshot {
    return Object.assign({ destination: this.destination }, this.counters, {
      latencyMs: this.latency.summary(),
    });
  }
}
