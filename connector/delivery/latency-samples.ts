/**
 * Delivery latencies of one destination, for the `serve` health endpoint (Node only: the upload
 * script has no reader of them, so the build puts a stub that records nothing in its place,
 * cli/commands/build.ts). Kept in a bounded reservoir so a long run does not grow memory.
 */
import { percentile } from './percentile';

const MAX_SAMPLES = 20000;

export interface LatencySummary {
  p50: number | null;
  p99: number | null;
  samples: number;
}

export class LatencySamples {
  private samples: number[] = [];
  private seen = 0;

  record(ms: number): void {
    this.seen++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(ms);
    else {
      // Deterministic reservoir replacement keeps the sample spread over the whole run.
      const slot = (this.seen * 2654435761) % this.seen;
      if (slot < MAX_SAMPLES) this.samples[slot] = ms;
    }
  }

  summary(): LatencySummary {
    return {
      p50: percentile(this.samples, 0.5),
      p99: percentile(this.samples, 0.99),
      samples: this.samples.length,
    };
  }
}
