/** Small numeric helpers for the report. */
import { percentile } from '../connector/delivery/percentile';

export function round(value: number, digits = 0): number {
  const f = Math.pow(10, digits);
  return Math.round(value * f) / f;
}

export function pct(values: readonly number[], q: number): number | null {
  const p = percentile(values, q);
  return p === null ? null : round(p);
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5) ?? NaN;
}

/** Counts log lines of the connector by their `msg` (they are JSON records). */
export function countByMessage(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    let msg = 'unstructured';
    try {
      const record = JSON.parse(line) as { msg?: unknown };
      if (typeof record.msg === 'string') msg = record.msg;
    } catch {
      // A plain line is counted as such.
    }
    out[msg] = (out[msg] || 0) + 1;
  }
  return out;
}
