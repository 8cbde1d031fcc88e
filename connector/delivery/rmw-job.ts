/**
 * The batch job behind every destination: read the current records in one call, reduce each
 * customer's events onto them, and write only the customers whose fields really changed, in one
 * call. Conditional writes (an etag the CRM refused as stale) are read and reduced again.
 */
import { ConnectorError } from './errors';
import { asConnectorError, type KeyResult } from './batcher';
import { canonicalFromRecord, changedCrmFields } from '../domain/fields';
import { reduce } from '../domain/reducer';
import type { CanonicalFields, RegistrationCountsReading, WalletEvent } from '../domain/types';
import type { Budget } from './sender';
import type { DestinationMetrics } from './metrics';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  ItemOutcome,
  WriteItem,
} from '../destinations/types';
import type { Logger } from '../platform/logger';

/** How many times a customer is read and reduced again after a conditional write lost a race. */
const MAX_CONFLICT_ROUNDS = 3;

export interface JobDeps {
  definition: DestinationDefinition;
  context: (budget: Budget) => DestinationContext;
  metrics: DestinationMetrics;
  log: Logger;
  now: () => number;
  /** The tenant's reading of the registration counts (one platform, one scope: tenant-wide). */
  registrationCounts: RegistrationCountsReading;
}

/** The same destination seen by a batch's reads and by its writes (writes may pass queued reads). */
interface PhaseContexts {
  read: DestinationContext;
  write: DestinationContext;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Fields of the wallets these events touch, for write-only destinations that never read. */
function writeOnlyFields(
  next: CanonicalFields,
  events: WalletEvent[],
  names: Record<string, string>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const touched = (wallet: string): boolean => events.some((e) => e.wallet === wallet);
  if (touched('apple')) out[names.appleWalletInstalledAt as string] = next.appleWalletInstalledAt;
  if (touched('google')) out[names.googleWalletInstalledAt as string] = next.googleWalletInstalledAt;
  out[names.walletLastEvent as string] = next.walletLastEvent;
  out[names.walletLastChangedAt as string] = next.walletLastChangedAt;
  return out;
}

export function createRmwJob(deps: JobDeps) {
  const { definition, metrics, log } = deps;

  async function readAll(
    ctx: DestinationContext,
    keys: string[],
  ): Promise<Map<string, CurrentRecord | null>> {
    const read = definition.read;
    const all = new Map<string, CurrentRecord | null>();
    if (ctx.config.mode === 'writeOnly' || !read) return all;
    const parts = await Promise.all(chunk(keys, definition.maxReadBatchSize).map((part) => read(ctx, part)));
    for (const part of parts) part.forEach((record, key) => all.set(key, record));
    return all;
  }

  /**
   * One write request. When the CRM refuses a whole batch for a reason that is not passing
   * (one bad record can make HubSpot or Salesforce refuse them all), each record is tried alone, so
   * only the bad one fails.
   */
  async function writePart(ctx: DestinationContext, part: WriteItem[]): Promise<ItemOutcome[]> {
    try {
      const outcomes = await definition.write(ctx, part);
      // A request refused as a whole inside a multi-request write: its records go one by one too.
      const refused = outcomes.filter(
        (o) =>
          !o.ok && o.refused === 'request' && (o.error.kind === 'permanent' || o.error.kind === 'validation'),
      );
      if (part.length === 1 || refused.length < 2) return outcomes;
      log.warn('batch refused as a whole, retrying record by record', {
        destination: ctx.config.id,
        records: refused.length,
        reason: (refused[0] as { error: ConnectorError }).error.reason,
      });
      const again = part.filter((item) => refused.some((o) => o.key === item.key));
      const retried = await Promise.all(again.map((item) => writePart(ctx, [item])));
      const byKey = new Map<string, ItemOutcome>();
      for (const list of retried) for (const outcome of list) byKey.set(outcome.key, outcome);
      return outcomes.map((o) => byKey.get(o.key) || o);
    } catch (error) {
      const failure = asConnectorError(error, ctx.config.id);
      if (part.length > 1 && (failure.kind === 'permanent' || failure.kind === 'validation')) {
        log.warn('batch refused as a whole, retrying record by record', {
          destination: ctx.config.id,
          records: part.length,
          status: failure.status,
          reason: failure.reason,
        });
        const single = await Promise.all(part.map((item) => writePart(ctx, [item])));
        const flat: ItemOutcome[] = [];
        for (const list of single) for (const outcome of list) flat.push(outcome);
        return flat;
      }
      return part.map((item) => ({ key: item.key, ok: false as const, error: failure }));
    }
  }

  async function round(
    ctxs: PhaseContexts,
    batch: Map<string, WalletEvent[]>,
    results: Map<string, KeyResult>,
  ): Promise<string[]> {
    const ctx = ctxs.write;
    const config = ctx.config;
    const keys: string[] = [];
    batch.forEach((_events, key) => keys.push(key));
    const records = await readAll(ctxs.read, keys);
    const items: WriteItem[] = [];
    for (const key of keys) {
      const events = batch.get(key) as WalletEvent[];
      const record = records.get(key) || null;
      const current = canonicalFromRecord(record ? record.fields : null, config.properties);
      const reduced = reduce(config.mode === 'writeOnly' ? null : current, events, {
        registrationCounts: deps.registrationCounts,
      });
      for (const problem of reduced.problems)
        log.warn('stored sync state ignored', { destination: config.id, joinKey: key, problem });
      if (!reduced.changed) {
        metrics.counters.unchanged++;
        results.set(key, { ok: true, wrote: false });
        continue;
      }
      const fields =
        config.mode === 'writeOnly'
          ? writeOnlyFields(reduced.next, events, config.properties)
          : changedCrmFields(current, reduced.next, config.properties);
      items.push({
        key,
        fields,
        next: reduced.next,
        events,
        applied: reduced.appliedEvents,
        created: record === null,
        etag: record ? record.etag : undefined,
      });
    }
    const conflicts: string[] = [];
    const writeParts = chunk(items, config.batch.maxSize);
    const outcomes = await Promise.all(writeParts.map((part) => writePart(ctx, part)));
    for (const list of outcomes) {
      for (const outcome of list) {
        if (outcome.ok) {
          metrics.counters.written++;
          const events = batch.get(outcome.key) || [];
          for (const e of events) metrics.recordLatency(deps.now() - e.receivedAtMs);
          results.set(outcome.key, { ok: true, wrote: true });
        } else if (outcome.error.vendorCode === 'conflict') {
          conflicts.push(outcome.key);
        } else {
          results.set(outcome.key, { ok: false, error: outcome.error });
        }
      }
    }
    for (const item of items) {
      if (!results.has(item.key) && conflicts.indexOf(item.key) < 0) {
        results.set(item.key, {
          ok: false,
          error: new ConnectorError('transient', 'the CRM answered without a result for this record', {
            destination: config.id,
          }),
        });
      }
    }
    return conflicts;
  }

  return async function job(batch: Map<string, WalletEvent[]>): Promise<Map<string, KeyResult>> {
    let oldest = deps.now();
    batch.forEach((events) => {
      for (const e of events) oldest = Math.min(oldest, e.receivedAtMs);
    });
    const ctxs: PhaseContexts = {
      read: deps.context({ startedAtMs: oldest, priority: 'read' }),
      write: deps.context({ startedAtMs: oldest, priority: 'write' }),
    };
    const ctx = ctxs.write;
    const results = new Map<string, KeyResult>();
    let todo = batch;
    for (let attempt = 1; attempt <= MAX_CONFLICT_ROUNDS; attempt++) {
      let conflicts: string[];
      try {
        conflicts = await round(ctxs, todo, results);
      } catch (error) {
        const failure = asConnectorError(error, ctx.config.id);
        todo.forEach((_e, key) => {
          if (!results.has(key)) results.set(key, { ok: false, error: failure });
        });
        return results;
      }
      if (conflicts.length === 0) return results;
      const again = new Map<string, WalletEvent[]>();
      for (const key of conflicts) again.set(key, todo.get(key) as WalletEvent[]);
      todo = again;
    }
    todo.forEach((_e, key) => {
      results.set(key, {
        ok: false,
        error: new ConnectorError(
          'transient',
          `record kept changing under us (${MAX_CONFLICT_ROUNDS} conditional writes refused)`,
          {
            destination: ctx.config.id,
            vendorCode: 'conflict',
          },
        ),
      });
    });
    return results;
  };
}
