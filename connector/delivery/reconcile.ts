/**
 * The truth-override path (docs/architecture.md §6: "the Pass API backfill is the source of truth"): for a batch
 * of customers' truths, read the current records with the destination's own read, override them with
 * reduceToTruth, and write only the records whose fields differ, through the destination's own write.
 * The same limiter, sender, retries and CRM wire format as the real-time path; only the reducer
 * entry point differs. A dry run stops before the write and returns the diffs.
 */
import { asConnectorError } from './batcher';
import { ConnectorError } from './errors';
import { enrich } from '../domain/enrich';
import { canonicalFromRecord, changedCrmFields } from '../domain/fields';
import { reduceToTruth, type Truth } from '../domain/reducer';
import type { CanonicalFields, WalletEvent } from '../domain/types';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  WriteItem,
} from '../destinations/types';

/** How many times a customer is read and overridden again after a conditional write lost a race. */
const MAX_CONFLICT_ROUNDS = 3;

/** One customer's truth as the Pass API reported it, with what a write needs to name the customer. */
export interface CustomerTruth {
  /** The join key (the CRM record's key). */
  key: string;
  joinKeyField: string;
  identifiers: Record<string, string | number | boolean>;
  /** Every routed pass of the customer; its first pass names the write (path templates). */
  truth: Truth;
  passTypes: Record<string, string>;
  /** When the truth was read: a stored entry newer than this was an event after it, and is kept. */
  takenAtMs: number;
}

export interface ReconcileDiff {
  /** The record before, in canonical names (null: no record). */
  before: CanonicalFields | null;
  after: CanonicalFields;
  /** The CRM fields (CRM names) that the write sets. */
  fields: Record<string, string | null>;
}

export type ReconcileResult =
  | { key: string; outcome: 'unchanged' }
  | { key: string; outcome: 'repaired' | 'would-repair'; diff: ReconcileDiff }
  | { key: string; outcome: 'failed'; error: ConnectorError };

/** What reconcile needs of a destination; a DestinationRuntime is one. */
export interface ReconcileTarget {
  definition: DestinationDefinition;
  context(): DestinationContext;
}

export interface ReconcileOptions {
  dryRun?: boolean;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

/**
 * Destinations take the events folded into a write (path templates, payload templates). A backfill
 * has none, so it describes itself as one event of the customer's first pass, tagged "backfill".
 */
function backfillEvent(customer: CustomerTruth, next: CanonicalFields, atMs: number): WalletEvent {
  const first = customer.truth.passes[0];
  const passId = first ? first.passId : customer.key;
  const wallet = next.walletStatus === 'google' ? 'google' : 'apple';
  return enrich({
    hook: next.walletLastEvent === 'uninstalled' ? 'OnPassUninstalled' : 'OnPassInstalled',
    passId,
    passType: customer.passTypes[passId] || '',
    wallet,
    identifiers: customer.identifiers,
    joinKey: customer.key,
    joinKeyField: customer.joinKeyField,
    registration: { active: null, total: null },
    rawSource: { tags: ['backfill'], medium: 'backfill' },
    receivedAtMs: atMs,
  });
}

async function readAll(
  target: ReconcileTarget,
  ctx: DestinationContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const read = target.definition.read;
  const all = new Map<string, CurrentRecord | null>();
  if (ctx.config.mode === 'writeOnly' || !read) return all;
  const parts = await Promise.all(
    chunk(keys, target.definition.maxReadBatchSize).map((part) => read(ctx, part)),
  );
  for (const part of parts) part.forEach((record, key) => all.set(key, record));
  return all;
}

/** One read-override-write round; returns the keys whose conditional write lost a race. */
async function round(
  target: ReconcileTarget,
  customers: CustomerTruth[],
  options: ReconcileOptions,
  results: Map<string, ReconcileResult>,
): Promise<CustomerTruth[]> {
  // A backfill is not a wallet event: destinations that also send custom events must not send one.
  const base = target.context();
  const ctx: DestinationContext = Object.assign({}, base, {
    config: Object.assign({}, base.config, { events: false }),
  });
  const writeOnly = ctx.config.mode === 'writeOnly' || !target.definition.read;
  const records = await readAll(
    target,
    ctx,
    customers.map((c) => c.key),
  );
  const items: WriteItem[] = [];
  const diffs = new Map<string, ReconcileDiff>();
  for (const customer of customers) {
    const record = records.get(customer.key) || null;
    const current = writeOnly
      ? null
      : canonicalFromRecord(record ? record.fields : null, ctx.config.properties);
    const reduced = reduceToTruth(current, customer.truth, customer.takenAtMs);
    // Write-only destinations cannot be compared: they get the whole truth on every run.
    if (!writeOnly && !reduced.changed) {
      results.set(customer.key, { key: customer.key, outcome: 'unchanged' });
      continue;
    }
    const fields = changedCrmFields(current, reduced.next, ctx.config.properties);
    diffs.set(customer.key, { before: current, after: reduced.next, fields });
    items.push({
      key: customer.key,
      fields,
      next: reduced.next,
      events: [backfillEvent(customer, reduced.next, customer.takenAtMs)],
      // A repair is not a wallet event: no event API may see it.
      applied: [],
      created: record === null,
      etag: record ? record.etag : undefined,
    });
  }
  if (options.dryRun) {
    for (const item of items)
      results.set(item.key, {
        key: item.key,
        outcome: 'would-repair',
        diff: diffs.get(item.key) as ReconcileDiff,
      });
    return [];
  }
  const outcomes = await Promise.all(
    chunk(items, ctx.config.batch.maxSize).map((part) =>
      target.definition.write(ctx, part).catch((error: unknown) => {
        const failure = asConnectorError(error, ctx.config.id);
        return part.map((item) => ({ key: item.key, ok: false as const, error: failure }));
      }),
    ),
  );
  const conflicts: CustomerTruth[] = [];
  for (const list of outcomes) {
    for (const outcome of list) {
      const customer = customers.find((c) => c.key === outcome.key);
      if (outcome.ok)
        results.set(outcome.key, {
          key: outcome.key,
          outcome: 'repaired',
          diff: diffs.get(outcome.key) as ReconcileDiff,
        });
      else if (outcome.error.vendorCode === 'conflict' && customer) conflicts.push(customer);
      else results.set(outcome.key, { key: outcome.key, outcome: 'failed', error: outcome.error });
    }
  }
  for (const item of items) {
    if (!results.has(item.key) && !conflicts.some((c) => c.key === item.key)) {
      const error = new ConnectorError('transient', 'the CRM answered without a result for this record', {
        destination: ctx.config.id,
      });
      results.set(item.key, { key: item.key, outcome: 'failed', error });
    }
  }
  return conflicts;
}

/**
 * Overrides each customer's record with their truth. Never throws for a CRM failure: a failed read
 * or write fails the customers it concerned, each with its classified error.
 */
export async function reconcile(
  target: ReconcileTarget,
  customers: CustomerTruth[],
  options: ReconcileOptions = {},
): Promise<ReconcileResult[]> {
  const results = new Map<string, ReconcileResult>();
  let todo = customers;
  for (let attempt = 1; attempt <= MAX_CONFLICT_ROUNDS && todo.length > 0; attempt++) {
    try {
      todo = await round(target, todo, options, results);
    } catch (error) {
      const failure = asConnectorError(error, target.context().config.id);
      for (const c of todo)
        if (!results.has(c.key)) results.set(c.key, { key: c.key, outcome: 'failed', error: failure });
      todo = [];
    }
  }
  for (const c of todo) {
    const error = new ConnectorError(
      'transient',
      `record kept changing under us (${MAX_CONFLICT_ROUNDS} conditional writes refused)`,
      {
        destination: target.context().config.id,
        vendorCode: 'conflict',
      },
    );
    results.set(c.key, { key: c.key, outcome: 'failed', error });
  }
  return customers.map((c) => results.get(c.key) as ReconcileResult);
}
