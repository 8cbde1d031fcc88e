/**
 * Per-destination counters (the `serve` health endpoint reports them). Latency samples are kept in a
 * bounded reservoir so a long run does not grow memory.
 */
import { percentile } from './percentile';

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
  latencyMs: { p50: number | null; p99: number | null; samples: number };
}

const MAX_SAMPLES = 20000;

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
  private samples: number[] = [];
  private seen = 0;

  constructor(readonly destination: string) {}

  recordLatency(ms: number): void {
    this.seen++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(ms);
    else {
      // Deterministic reservoir replacement keeps the sample spread over the whole run.
      const slot = (this.seen * 2654435761) % this.seen;
      if (slot < MAX_SAMPLES) this.samples[slot] = ms;
    }
  }

  snapshot(): DestinationSnapshot {
    return Object.assign({ destination: this.destination }, this.counters, {
      latencyMs: {
        p50: percentile(this.samples, 0.5),
        p99: percentile(this.samples, 0.99),
        samples: this.samples.length,
      },
    });
  }
}
