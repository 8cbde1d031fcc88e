/**
 * backfill: rebuild the CRM truth from the Pass API (docs/architecture.md §6, §10). Reads every page (phase 1),
 * groups passes by customer, then reconciles each destination through connector/delivery/reconcile
 * (the destinations' own read and write, limiter and retries) chunk by chunk (phase 2).
 */
import { createConnector, type ConnectorOptions } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { reconcile, type CustomerTruth } from '../../connector/delivery/reconcile';
import { createLogger, redactingSecrets, Redactor, type Logger } from '../../connector/platform/logger';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { RateLimit } from '../../connector/destinations/types';
import type { RetryPolicy } from '../../connector/delivery/retry-decision';
import type { LogRecord } from '../../connector/platform/host';
import { createNodeHost } from '../node-host';
import { createPlatformClient } from './platform-client';
import {
  appendSpool,
  clearCheckpoint,
  emptyCounts,
  readCheckpoint,
  readSpool,
  repairSpool,
  writeCheckpoint,
  type Checkpoint,
  type Counts,
} from './checkpoint';
import { formatDiff } from './diff';
import { NO_PROGRESS, readAllPages, type PageStore, type ProgressSink } from './pages';
import { coveredByPassType, groupByCustomer, truthFor, type SpoolRow } from './truth';
import { UsageError } from '../exit-codes';

/** The Pass API's rate is not published; stay gentle by default. */
export const PASS_API_RATE: RateLimit = { requests: 10, intervalMs: 1000, maxConcurrent: 1 };
const CHUNK = 200;
const MAX_LISTED_FAILURES = 50;

export interface BackfillOptions {
  config: TenantConfig;
  secrets: Record<string, string>;
  checkpointFile: string;
  pageSize: number;
  passType?: string;
  dryRun?: boolean;
  resume?: boolean;
  now?: () => number;
  log?: (record: LogRecord) => void;
  progress?: ProgressSink;
  /** Dry-run diff lines go here as they are found. */
  out?: (line: string) => void;
  limiterFactory?: ConnectorOptions['limiterFactory'];
  passApiRate?: RateLimit;
  passApiRetry?: Partial<RetryPolicy>;
  chunkSize?: number;
}

export interface BackfillFailure {
  destination: string;
  key: string;
  kind: string;
  reason: string;
}

export interface BackfillSummary {
  tenantId: string;
  dryRun: boolean;
  resumedAtPage: number | null;
  pages: number;
  passes: number;
  customers: number;
  noJoinKey: number;
  counts: Counts;
  skippedDestinations: Array<{ destination: string; reason: string }>;
  failures: BackfillFailure[];
  /** Set when phase 1 stopped: the checkpoint is kept for --resume. */
  interrupted: string | null;
}

function memoryStore(rows: SpoolRow[]): PageStore {
  return { append: (more) => void rows.push(...more), save: () => undefined };
}

function startingPoint(options: BackfillOptions): { checkpoint: Checkpoint; resumed: boolean } {
  const fresh: Checkpoint = {
    version: 1,
    tenantId: options.config.tenantId,
    passType: options.passType || null,
    pageSize: options.pageSize,
    phase: 'pages',
    nextPageIndex: 0,
    total: null,
    customersDone: 0,
    counts: emptyCounts(),
  };
  if (options.dryRun) return { checkpoint: fresh, resumed: false };
  const found = options.resume ? readCheckpoint(options.checkpointFile) : null;
  if (!found) {
    clearCheckpoint(options.checkpointFile);
    return { checkpoint: fresh, resumed: false };
  }
  if (
    found.tenantId !== fresh.tenantId ||
    found.passType !== fresh.passType ||
    found.pageSize !== fresh.pageSize
  )
    throw new UsageError(
      `checkpoint ${options.checkpointFile} is for tenant ${found.tenantId}, pass type ${found.passType || '(all)'}, page size ${found.pageSize}: run with the same options, or without --resume to start over`,
    );
  return { checkpoint: found, resumed: true };
}

export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  const now = options.now || Date.now;
  const progress = options.progress || NO_PROGRESS;
  const redactor = new Redactor();
  const sink = options.log || ((r: LogRecord) => process.stderr.write(`${JSON.stringify(r)}\n`));
  const log = createLogger(sink, options.config.logLevel || 'info', redactor);
  const base = createNodeHost({ secrets: options.secrets, log: sink, now });
  const host = Object.assign({}, base, { getSecret: redactingSecrets(base.getSecret, redactor) });
  const { checkpoint, resumed } = startingPoint(options);
  if (resumed && checkpoint.phase === 'pages') {
    const dropped = repairSpool(options.checkpointFile);
    if (dropped > 0)
      log.warn(
        'backfill spool: a torn last line left by an interrupted run was truncated; its page is read again',
        {
          droppedBytes: dropped,
          page: checkpoint.nextPageIndex,
        },
      );
  }
  const summary: BackfillSummary = {
    tenantId: options.config.tenantId,
    dryRun: options.dryRun === true,
    resumedAtPage: resumed ? checkpoint.nextPageIndex : null,
    pages: 0,
    passes: 0,
    customers: 0,
    noJoinKey: 0,
    counts: checkpoint.counts,
    skippedDestinations: [],
    failures: [],
    interrupted: null,
  };
  const memory: SpoolRow[] = [];
  const file = options.checkpointFile;
  const store: PageStore = options.dryRun
    ? memoryStore(memory)
    : { append: (rows) => appendSpool(file, rows), save: (c) => writeCheckpoint(file, c) };
  const client = createPlatformClient({
    config: options.config,
    host,
    log,
    id: 'pass-api',
    rateLimit: options.passApiRate || PASS_API_RATE,
    retry: options.passApiRetry,
  });
  try {
    await readAllPages(client, checkpoint, store, now, progress);
  } catch (error) {
    progress.stop();
    summary.interrupted = `page ${checkpoint.nextPageIndex}: ${(error as Error).message}`;
    summary.pages = checkpoint.nextPageIndex;
    return summary;
  } finally {
    client.stop();
  }
  summary.pages = checkpoint.nextPageIndex;
  const rows = options.dryRun ? memory : readSpool(file);
  const grouped = groupByCustomer(rows, {
    identifiers: options.config.joinKey.identifiers,
    normalizeEmail: options.config.joinKey.normalizeEmail === true,
  });
  summary.passes = rows.length;
  summary.noJoinKey = grouped.noJoinKey;
  summary.customers = grouped.customers.size;
  await reconcileAll(options, { host, log }, checkpoint, grouped.customers, summary, store, progress);
  if (!options.dryRun) clearCheckpoint(file);
  return summary;
}

async function reconcileAll(
  options: BackfillOptions,
  io: { host: ReturnType<typeof createNodeHost>; log: Logger },
  checkpoint: Checkpoint,
  customers: ReturnType<typeof groupByCustomer>['customers'],
  summary: BackfillSummary,
  store: PageStore,
  progress: ProgressSink,
): Promise<void> {
  const connector = createConnector({
    config: options.config,
    host: io.host,
    definitions: destinationDefinitions,
    limiterFactory: options.limiterFactory,
  });
  const targets = connector.destinations.filter((d) => {
    const covered = coveredByPassType(d.destination.raw.route, options.passType);
    if (!covered)
      summary.skippedDestinations.push({
        destination: d.destination.id,
        reason: `its route takes more pass types than --pass-type ${options.passType}; a partial truth would clear the others`,
      });
    return covered;
  });
  const keys = Array.from(customers.keys()).sort();
  const size = options.chunkSize || CHUNK;
  progress.start('customers', keys.length, checkpoint.customersDone);
  try {
    for (let start = checkpoint.customersDone; start < keys.length; start += size) {
      const chunk = keys
        .slice(start, start + size)
        .map((k) => customers.get(k) as NonNullable<ReturnType<typeof customers.get>>);
      await Promise.all(targets.map((t) => reconcileTarget(t, chunk, options, summary, io.log)));
      checkpoint.customersDone = Math.min(keys.length, start + size);
      store.save(checkpoint);
      progress.update(checkpoint.customersDone);
    }
  } finally {
    progress.stop();
    connector.stop();
  }
}

async function reconcileTarget(
  target: ReturnType<typeof createConnector>['destinations'][number],
  chunk: Array<Parameters<typeof truthFor>[0]>,
  options: BackfillOptions,
  summary: BackfillSummary,
  log: Logger,
): Promise<void> {
  const id = target.destination.id;
  const truths = chunk
    .map((c) => truthFor(c, target.destination.raw.route))
    .filter((t): t is CustomerTruth => t !== null);
  if (truths.length === 0) return;
  const results = await reconcile(target, truths, { dryRun: options.dryRun, log });
  const counts = summary.counts;
  for (const r of results) {
    counts.checked++;
    if (r.outcome === 'unchanged') counts.unchanged++;
    else if (r.outcome === 'failed') {
      counts.failed++;
      if (summary.failures.length < MAX_LISTED_FAILURES)
        summary.failures.push({ destination: id, key: r.key, kind: r.error.kind, reason: r.error.reason });
    } else {
      counts.repaired++;
      if (r.outcome === 'would-repair' && options.out) options.out(formatDiff(id, r.key, r.diff));
    }
  }
}
