/**
 * Runs recorded hook calls through the registered hooks of a loaded bundle, at most `concurrency`
 * at a time, and measures what happened from the outside: each call's outcome and duration, every
 * HTTP request the bundle made (attributed to a destination by base URL), and the connector's own
 * structured log lines (failed attempts, dropped events).
 */
import { routeMatches } from '../../connector/domain/route';
import { normalize } from '../../connector/domain/normalize';
import { percentile } from '../../connector/delivery/percentile';
import type { RecordedCall } from './replay-file';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

export type HookFn = (...args: unknown[]) => Promise<unknown>;

export interface ReplayHooks {
  OnPassInstalled: HookFn;
  OnPassUninstalled: HookFn;
}

export interface DestinationSummary {
  destination: string;
  calls: number;
  requests: number;
  statuses: Record<string, number>;
  retried: number;
  throttled: number;
  dropped: number;
  failedAttempts: number;
  latencyMs: { p50: number | null; p99: number | null };
}

export interface ReplaySummary {
  calls: number;
  resolved: number;
  rejected: number;
  requests: number;
  retries: number;
  errorLines: number;
  durationMs: number;
  destinations: DestinationSummary[];
  rejections: Array<{ line: number; error: string }>;
}

/** What the replay observes: requests (via the fetch it lends) and log records (via the console it lends). */
export class ReplayObserver {
  readonly requests: Array<{ url: string; status: number | null }> = [];
  readonly logs: Array<Record<string, unknown>> = [];

  recordRequest(url: string, status: number | null): void {
    this.requests.push({ url, status });
  }

  recordLogLine(line: string): void {
    try {
      const record = JSON.parse(line);
      if (record && typeof record === 'object') this.logs.push(record);
    } catch {
      this.logs.push({ level: 'info', msg: line });
    }
  }
}

export interface RunReplayOptions {
  hooks: ReplayHooks;
  calls: RecordedCall[];
  tenant: TenantConfig;
  observer: ReplayObserver;
  concurrency: number;
  now?: () => number;
  onProgress?: (done: number, total: number) => void;
}

function destinationsOf(tenant: TenantConfig, call: RecordedCall): string[] {
  const r = normalize({
    hook: call.hook,
    args: call.args,
    receivedAtMs: 0,
    joinKey: {
      identifiers: tenant.joinKey.identifiers,
      normalizeEmail: tenant.joinKey.normalizeEmail === true,
    },
  });
  if (!r.ok) return [];
  return tenant.destinations.filter((d) => routeMatches(d.route, r.event)).map((d) => d.id);
}

export async function runReplay(options: RunReplayOptions): Promise<ReplaySummary> {
  const now = options.now || Date.now;
  const { calls, tenant, observer } = options;
  const started = now();
  const latencies = new Map<string, number[]>();
  const callCounts = new Map<string, number>();
  for (const d of tenant.destinations) {
    latencies.set(d.id, []);
    callCounts.set(d.id, 0);
  }
  let resolved = 0;
  let done = 0;
  const rejections: ReplaySummary['rejections'] = [];
  let next = 0;

  async function worker(): Promise<void> {
    while (next < calls.length) {
      const call = calls[next++] as RecordedCall;
      const routed = destinationsOf(tenant, call);
      const t0 = now();
      try {
        await options.hooks[call.hook](...call.args);
        resolved++;
      } catch (error) {
        rejections.push({ line: call.line, error: error instanceof Error ? error.message : String(error) });
      }
      const took = now() - t0;
      for (const id of routed) {
        (latencies.get(id) as number[]).push(took);
        callCounts.set(id, (callCounts.get(id) as number) + 1);
      }
      done++;
      if (options.onProgress) options.onProgress(done, calls.length);
    }
  }
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.max(1, options.concurrency); i++) workers.push(worker());
  await Promise.all(workers);

  const destinations = tenant.destinations.map((d): DestinationSummary => {
    const base = d.baseUrl.replace(/\/+$/, '');
    const requests = observer.requests.filter((r) => r.url.indexOf(base) === 0);
    const statuses: Record<string, number> = {};
    for (const r of requests) {
      const key = r.status === null ? 'network-error' : String(r.status);
      statuses[key] = (statuses[key] || 0) + 1;
    }
    const logs = observer.logs.filter((l) => l.destination === d.id);
    const attempts = logs.filter((l) => l.msg === 'attempt failed');
    const lat = latencies.get(d.id) as number[];
    return {
      destination: d.id,
      calls: callCounts.get(d.id) as number,
      requests: requests.length,
      statuses,
      failedAttempts: attempts.length,
      retried: attempts.filter((l) => l.waitMs !== null && l.waitMs !== undefined).length,
      throttled: attempts.filter((l) => l.kind === 'throttled').length,
      dropped: logs.filter((l) => l.msg === 'event dropped').length,
      latencyMs: { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) },
    };
  });
  return {
    calls: calls.length,
    resolved,
    rejected: rejections.length,
    requests: observer.requests.length,
    retries: destinations.reduce((n, d) => n + d.retried, 0),
    errorLines: observer.logs.filter((l) => l.level === 'error').length,
    durationMs: now() - started,
    destinations,
    rejections,
  };
}

export function formatSummary(summary: ReplaySummary): string {
  const lines = [
    `calls ${summary.calls}  resolved ${summary.resolved}  rejected ${summary.rejected}  requests ${summary.requests}  retries ${summary.retries}  error lines ${summary.errorLines}  in ${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const d of summary.destinations) {
    const statuses = Object.keys(d.statuses)
      .sort()
      .map((s) => `${s}x${d.statuses[s]}`)
      .join(' ');
    lines.push(
      `  ${d.destination}: calls ${d.calls}, requests ${d.requests} [${statuses || 'none'}], retried ${d.retried}, throttled ${d.throttled}, dropped ${d.dropped}, latency p50 ${d.latencyMs.p50 ?? '-'} ms p99 ${d.latencyMs.p99 ?? '-'} ms`,
    );
  }
  for (const r of summary.rejections.slice(0, 5)) lines.push(`  rejected (line ${r.line}): ${r.error}`);
  if (summary.rejections.length > 5) lines.push(`  ... and ${summary.rejections.length - 5} more rejections`);
  return lines.join('\n');
}
