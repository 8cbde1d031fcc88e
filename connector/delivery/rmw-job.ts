/**
 * The one read-modify-write job behind every destination, for live events and for the backfill
 * alike: read the current records in one call, reduce each customer's input onto them (the reducer
 * is passed in), write only the customers whose fields really changed, in one call, then read them
 * back. A conditional write the CRM refused (another writer got there first), and a write whose
 * read-back no longer holds the input (another writer overwrote it), are read, reduced and written
 * again, a bounded number of times; past that the customer fails as transient, so the platform
 * delivers again.
 */
import { ConnectorError } from './errors';
import { asConnectorError, type KeyResult } from './batcher';
import { canonicalFromRecord, changedCrmFields } from '../domain/fields';
import { reduce } from '../domain/reducer';
import { writeOnlyFields } from './write-only-fields';
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

/**
 * How many times a customer is written at most: the first write, then again after a refused
 * conditional write or a read-back that lost the input. Each costs a read, a write and a read-back.
 */
export const MAX_WRITE_ROUNDS = 3;

/** One customer's input reduced onto the record as read. */
export interface Reduction {
  /** False when the record already shows it: nothing is written. */
  changed: boolean;
  /**
   * How much of the input the stored state did not hold yet (events, or the backfill's pass
   * wallets). 0 on a read-back means the input survived whatever other writers did meanwhile.
   */
  applied: number;
  next: CanonicalFields;
  /** The CRM fields (CRM names) the write sets. */
  fields: Record<string, string | null>;
  /** WriteItem.events and WriteItem.applied. */
  events: WalletEvent[];
  appliedEvents: WalletEvent[];
  /** For the log: ignored sync state, skipped malformed input. */
  problems: string[];
}

/**
 * current: the record in canonical names (null: no record, or a destination that is not read).
 * reads: whether records are read at all (false: write-only, nothing to compare with).
 */
export type RecordReducer<T> = (
  key: string,
  input: T,
  current: CanonicalFields | null,
  reads: boolean,
) => Reduction;

export interface RmwDiff {
  /** The record before, in canonical names (null: no record). */
  before: CanonicalFields | null;
  after: CanonicalFields;
  /** The CRM fields (CRM names) that the write sets. */
  fields: Record<string, string | null>;
}

export type RmwOutcome =
  | { outcome: 'unchanged' }
  | { outcome: 'written' | 'would-write'; diff: RmwDiff }
  | { outcome: 'failed'; error: ConnectorError };

export interface RmwRun<T> {
  definition: DestinationDefinition;
  /** The contexts of the reads and of the writes (writes may pass queued reads). */
  read: DestinationContext;
  write: DestinationContext;
  reducer: RecordReducer<T>;
  log: Pick<Logger, 'warn'>;
  /** Stop before the first write and report what would be written. */
  dryRun?: boolean;
  /** Read non-conditional writes back (default true); see `readsBack`. */
  verify?: boolean;
}

function chunk<T>(items: T[], size: number): T[][] {
  const step = Math.max(1, size);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/**
 * Whether a destination reads the record before it writes: not in writeOnly mode, and its type can
 * read. The build asks it too, to leave writeOnly's code out of scripts that never need it.
 */
export function readsBeforeWriting(mode: string, definition: Pick<DestinationDefinition, 'read'>): boolean {
  return mode !== 'writeOnly' && !!definition.read;
}

function readsRecords(run: RmwRun<unknown>): boolean {
  return readsBeforeWriting(run.write.config.mode, run.definition);
}

async function readAll(run: RmwRun<unknown>, keys: string[]): Promise<Map<string, CurrentRecord | null>> {
  const read = run.definition.read;
  const all = new Map<string, CurrentRecord | null>();
  if (!read || !readsRecords(run) || keys.length === 0) return all;
  const ctx = run.read;
  const parts = await Promise.all(
    chunk(keys, run.definition.maxReadBatchSize).map((part) => read(ctx, part)),
  );
  for (const part of parts) part.forEach((record, key) => all.set(key, record));
  return all;
}

/**
 * One write request. When the CRM refuses a whole batch for a reason that is not passing (one bad
 * record can make HubSpot or Salesforce refuse them all), each record is tried alone, so only the
 * bad one fails.
 */
async function writePart(run: RmwRun<unknown>, part: WriteItem[]): Promise<ItemOutcome[]> {
  const ctx = run.write;
  try {
    const outcomes = await run.definition.write(ctx, part);
    // A request refused as a whole inside a multi-request write: its records go one by one too.
    const refused = outcomes.filter(
      (o) =>
        !o.ok &&
        !o.conflict &&
        o.refused === 'request' &&
        (o.error.kind === 'permanent' || o.error.kind === 'validation'),
    );
    if (part.length === 1 || refused.length < 2) return outcomes;
    run.log.warn('batch refused as a whole, retrying record by record', {
      destination: ctx.config.id,
      records: refused.length,
      reason: (refused[0] as { error: ConnectorError }).error.reason,
    });
    const again = part.filter((item) => refused.some((o) => o.key === item.key));
    const retried = await Promise.all(again.map((item) => writePart(run, [item])));
    const byKey = new Map<string, ItemOutcome>();
    for (const list of retried) for (const outcome of list) byKey.set(outcome.key, outcome);
    return outcomes.map((o) => byKey.get(o.key) || o);
  } catch (error) {
    const failure = asConnectorError(error, ctx.config.id);
    if (part.length > 1 && (failure.kind === 'permanent' || failure.kind === 'validation')) {
      run.log.warn('batch refused as a whole, retrying record by record', {
        destination: ctx.config.id,
        records: part.length,
        status: failure.status,
        reason: failure.reason,
      });
      const single = await Promise.all(part.map((item) => writePart(run, [item])));
      const flat: ItemOutcome[] = [];
      for (const list of single) for (const outcome of list) flat.push(outcome);
      return flat;
    }
    return part.map((item): ItemOutcome => ({ key: item.key, ok: false, error: failure }));
  }
}

/** Why a customer is read again: to verify its write, or because its conditional write lost. */
type Again = 'verify' | 'conflict';

interface RoundState<T> {
  inputs: Map<string, T>;
  results: Map<string, RmwOutcome>;
  /** The diff of each customer's first write: what the caller reports. */
  diffs: Map<string, RmwDiff>;
  /** Customers to read again, and why. */
  again: Map<string, Again>;
  writes: number;
}

function fail(state: RoundState<unknown>, key: string, error: ConnectorError): void {
  state.results.set(key, { outcome: 'failed', error });
}

/** Reads the keys, reduces them, and returns the items to write (the others are settled here). */
async function reduceRound<T>(run: RmwRun<T>, state: RoundState<T>, keys: string[]): Promise<WriteItem[]> {
  const config = run.write.config;
  const reads = readsRecords(run as RmwRun<unknown>);
  const records = await readAll(run as RmwRun<unknown>, keys);
  const items: WriteItem[] = [];
  for (const key of keys) {
    const why = state.again.get(key);
    const record = records.get(key) || null;
    const current = reads ? canonicalFromRecord(record ? record.fields : null, config.properties) : null;
    const reduced = run.reducer(key, state.inputs.get(key) as T, current, reads);
    for (const problem of reduced.problems)
      run.log.warn(
        why === 'verify' ? 'written sync state read back unreadable' : 'stored sync state ignored',
        {
          destination: config.id,
          joinKey: key,
          problem,
        },
      );
    // A read-back that already holds the whole input: the write stands, whatever else changed. One
    // whose sync state does not even decode was not overwritten by a writer (writers write valid
    // states) but mangled by the CRM (a field too short): writing again would not help.
    const verified = why === 'verify' && (reduced.applied === 0 || reduced.problems.length > 0);
    if (verified || !reduced.changed) {
      const diff = state.diffs.get(key);
      state.results.set(key, diff ? { outcome: 'written', diff } : { outcome: 'unchanged' });
      continue;
    }
    if (state.writes >= MAX_WRITE_ROUNDS) {
      const error = new ConnectorError(
        'transient',
        `record kept changing under us (${MAX_WRITE_ROUNDS} writes refused or overwritten by other writers)`,
        { destination: config.id, vendorCode: 'conflict' },
      );
      fail(state, key, error);
      continue;
    }
    if (!state.diffs.has(key))
      state.diffs.set(key, { before: current, after: reduced.next, fields: reduced.fields });
    items.push({
      key,
      fields: reduced.fields,
      next: reduced.next,
      events: reduced.events,
      applied: reduced.appliedEvents,
      created: record === null,
      etag: record ? record.etag : undefined,
    });
  }
  return items;
}

/** Writes the items; returns the customers to read again, and why. */
async function writeRound<T>(run: RmwRun<T>, state: RoundState<T>, items: WriteItem[]): Promise<void> {
  const config = run.write.config;
  const reads = readsRecords(run as RmwRun<unknown>);
  state.writes++;
  state.again = new Map<string, Again>();
  const outcomes = await Promise.all(
    chunk(items, config.batch.maxSize).map((part) => writePart(run as RmwRun<unknown>, part)),
  );
  // Keys answered (a Map: Set is not on the engine's floor).
  const answered = new Map<string, boolean>();
  for (const list of outcomes) {
    for (const outcome of list) {
      answered.set(outcome.key, true);
      if (outcome.ok) {
        // A conditional write could not have overwritten anyone; a write-only one has nothing to
        // compare with. Any other write is read back.
        if (reads && run.verify !== false && !outcome.conditional) state.again.set(outcome.key, 'verify');
        else
          state.results.set(outcome.key, {
            outcome: 'written',
            diff: state.diffs.get(outcome.key) as RmwDiff,
          });
      } else if (outcome.conflict) state.again.set(outcome.key, 'conflict');
      else fail(state, outcome.key, outcome.error);
    }
  }
  for (const item of items) {
    if (answered.has(item.key)) continue;
    const error = new ConnectorError('transient', 'the CRM answered without a result for this record', {
      destination: config.id,
    });
    fail(state, item.key, error);
  }
  // Refused conditional writes past the last round fail without another read.
  if (state.writes >= MAX_WRITE_ROUNDS) {
    state.again.forEach((why, key) => {
      if (why !== 'conflict') return;
      const error = new ConnectorError(
        'transient',
        `record kept changing under us (${MAX_WRITE_ROUNDS} conditional writes refused)`,
        { destination: config.id, vendorCode: 'conflict' },
      );
      fail(state, key, error);
    });
  }
}

/**
 * Runs the job for a batch of customers (join key -> input). Never throws for a CRM failure: a
 * failed read or write fails the customers it concerned, each with its classified error.
 */
export async function runReadModifyWrite<T>(
  run: RmwRun<T>,
  inputs: Map<string, T>,
): Promise<Map<string, RmwOutcome>> {
  const state: RoundState<T> = {
    inputs,
    results: new Map<string, RmwOutcome>(),
    diffs: new Map<string, RmwDiff>(),
    again: new Map<string, Again>(),
    writes: 0,
  };
  let keys: string[] = [];
  inputs.forEach((_input, key) => keys.push(key));
  while (keys.length > 0) {
    try {
      const items = await reduceRound(run, state, keys);
      if (run.dryRun) {
        for (const item of items)
          state.results.set(item.key, { outcome: 'would-write', diff: state.diffs.get(item.key) as RmwDiff });
        break;
      }
      await writeRound(run, state, items);
    } catch (error) {
      const failure = asConnectorError(error, run.write.config.id);
      for (const key of keys) if (!state.results.has(key)) fail(state, key, failure);
      break;
    }
    keys = [];
    state.again.forEach((_why, key) => {
      if (!state.results.has(key)) keys.push(key);
    });
  }
  return state.results;
}

// ---- the live job: wallet events --------------------------------------------------------------------

export interface JobDeps {
  definition: DestinationDefinition;
  context: (budget: Budget) => DestinationContext;
  metrics: DestinationMetrics;
  log: Logger;
  now: () => number;
  /** The tenant's reading of the registration counts (one platform, one scope: tenant-wide). */
  registrationCounts: RegistrationCountsReading;
  /** How many hook calls this script instance has started so far (for `readBack: auto`). */
  instanceCalls: () => number;
}

/**
 * Whether this batch's non-conditional writes are read back. `auto` reads back only while the
 * instance has started a single hook call: a host that starts an instance per call shares nothing
 * between calls, so two calls of one customer race at the CRM; an instance the host keeps already
 * holds each customer in one batch at a time, and its read-back would cost a request per write
 * for nothing.
 */
export function readsBack(setting: 'auto' | 'always' | 'never', instanceCalls: number): boolean {
  if (setting === 'auto') return instanceCalls <= 1;
  return setting === 'always';
}

/** The live reducer: the customer's wallet events onto the stored state. */
export function eventReducer(
  names: Record<string, string>,
  registrationCounts: RegistrationCountsReading,
  timePrecisionMs?: number,
): RecordReducer<WalletEvent[]> {
  return (_key, events, current, reads) => {
    const reduced = reduce(current, events, { registrationCounts, timePrecisionMs });
    return {
      changed: reduced.changed,
      applied: reduced.applied,
      next: reduced.next,
      fields: reads
        ? changedCrmFields(current, reduced.next, names)
        : writeOnlyFields(reduced.next, events, names),
      events,
      appliedEvents: reduced.appliedEvents,
      problems: reduced.problems,
    };
  };
}

export function createRmwJob(deps: JobDeps) {
  const { definition, metrics, log } = deps;
  return async function job(batch: Map<string, WalletEvent[]>): Promise<Map<string, KeyResult>> {
    let oldest = deps.now();
    batch.forEach((events) => {
      for (const e of events) oldest = Math.min(oldest, e.receivedAtMs);
    });
    const write = deps.context({ startedAtMs: oldest, priority: 'write' });
    const outcomes = await runReadModifyWrite(
      {
        definition,
        read: deps.context({ startedAtMs: oldest, priority: 'read' }),
        write,
        reducer: eventReducer(write.config.properties, deps.registrationCounts, definition.timePrecisionMs),
        log,
        verify: readsBack(write.config.readBack, deps.instanceCalls()),
      },
      batch,
    );
    const results = new Map<string, KeyResult>();
    outcomes.forEach((outcome, key) => {
      if (outcome.outcome === 'failed') {
        results.set(key, { ok: false, error: outcome.error });
      } else if (outcome.outcome === 'unchanged') {
        metrics.counters.unchanged++;
        results.set(key, { ok: true, wrote: false });
      } else {
        metrics.counters.written++;
        for (const e of batch.get(key) || []) metrics.recordLatency(deps.now() - e.receivedAtMs);
        results.set(key, { ok: true, wrote: true });
      }
    });
    return results;
  };
}
