/**
 * replay: the BUILT bundle for a tenant, loaded in a bare JavaScript context with only fetch,
 * timers and console lent, called with each recorded hook call (docs/architecture.md §8).
 */
import { readFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { loadBundle } from '../build/load-bundle';
import { runReplay, ReplayObserver, type ReplaySummary } from '../replay/run-replay';
import type { RecordedCall } from '../replay/replay-file';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

export interface ReplayBundleOptions {
  bundleFile: string;
  tenant: TenantConfig;
  secrets: Record<string, string>;
  calls: RecordedCall[];
  concurrency: number;
  progress: boolean;
  /** Where the connector's own log lines go (besides being observed). */
  logSink?: (line: string) => void;
}

/** Lends the bundle Node's fetch, observed: every request and its status is recorded. */
export function observedFetch(observer: ReplayObserver): typeof fetch {
  return async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      const response = await fetch(input, init);
      observer.recordRequest(url, response.status);
      return response;
    } catch (error) {
      observer.recordRequest(url, null);
      throw error;
    }
  };
}

export async function replayBundle(options: ReplayBundleOptions): Promise<ReplaySummary> {
  const observer = new ReplayObserver();
  const record = (line: string): void => {
    observer.recordLogLine(line);
    if (options.logSink) options.logSink(line);
  };
  const bundle = loadBundle(readFileSync(options.bundleFile, 'utf8'), {
    fetch: observedFetch(observer),
    timers: true,
    secrets: options.secrets,
    console: { log: record, info: record, warn: record, error: record },
  });
  const bar =
    options.progress && process.stderr.isTTY
      ? new SingleBar({ clearOnComplete: true, etaBuffer: 50 }, Presets.shades_classic)
      : null;
  if (bar) bar.start(options.calls.length, 0);
  try {
    return await runReplay({
      hooks: bundle.hooks,
      calls: options.calls,
      tenant: options.tenant,
      observer,
      concurrency: options.concurrency,
      onProgress: bar ? (done) => bar.update(done) : undefined,
    });
  } finally {
    if (bar) bar.stop();
  }
}
