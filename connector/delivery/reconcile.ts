/**
 * The truth-override path (docs/architecture.md §6: "the Pass API backfill is the source of truth"):
 * a batch of customers' truths through the one read-modify-write job (rmw-job.ts), with
 * reduceToTruth as the reducer. The same reads, writes, record-by-record fallback, read-back,
 * limiter, retries and CRM wire format as the real-time path. A dry run stops before the write and
 * returns the diffs.
 */
import { runReadModifyWrite, type RecordReducer, type RmwDiff, type RmwOutcome } from './rmw-job';
import type { ConnectorError } from './errors';
import { enrich } from '../domain/enrich';
import { changedCrmFields } from '../domain/fields';
import { reduceToTruth, type Truth } from '../domain/reducer';
import type { CanonicalFieldName, CanonicalFields, WalletEvent } from '../domain/types';
import type { DestinationContext, DestinationDefinition } from '../destinations/types';
import type { Logger } from '../platform/logger';

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

export type ReconcileDiff = RmwDiff;

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
  /** Where the job's warnings go (a batch refused as a whole, retried record by record). */
  log?: Pick<Logger, 'warn'>;
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

/**
 * The backfill reducer: the customer's truth onto the stored state. Write-only destinations cannot
 * be compared: they get the whole truth on every run.
 */
function truthReducer(
  names: Record<CanonicalFieldName, string>,
  timePrecisionMs?: number,
): RecordReducer<CustomerTruth> {
  return (_key, customer, current, reads) => {
    const reduced = reduceToTruth(current, customer.truth, customer.takenAtMs, { timePrecisionMs });
    return {
      changed: reads ? reduced.changed : true,
      applied: reduced.applied,
      next: reduced.next,
      fields: changedCrmFields(current, reduced.next, names),
      events: [backfillEvent(customer, reduced.next, customer.takenAtMs)],
      // A repair is not a wallet event: no event API may see it.
      appliedEvents: [],
      problems: [],
    };
  };
}

/**
 * Overrides each customer's record with their truth, through the one read-modify-write job (the
 * same reads, writes, record-by-record fallback and read-back as live events). Never throws for a
 * CRM failure: a failed read or write fails the customers it concerned, each with its classified
 * error.
 */
export async function reconcile(
  target: ReconcileTarget,
  customers: CustomerTruth[],
  options: ReconcileOptions = {},
): Promise<ReconcileResult[]> {
  // A backfill is not a wallet event: destinations that also send custom events must not send one.
  const base = target.context();
  const ctx: DestinationContext = Object.assign({}, base, {
    config: Object.assign({}, base.config, { events: false }),
  });
  const inputs = new Map<string, CustomerTruth>();
  for (const c of customers) inputs.set(c.key, c);
  const outcomes = await runReadModifyWrite(
    {
      definition: target.definition,
      read: ctx,
      write: ctx,
      reducer: truthReducer(ctx.config.properties, target.definition.timePrecisionMs),
      log: options.log || { warn: () => undefined },
      dryRun: options.dryRun,
      // The backfill writes beside live instances of the connector: read back unless told never.
      verify: ctx.config.readBack !== 'never',
    },
    inputs,
  );
  return customers.map((c): ReconcileResult => {
    const o = outcomes.get(c.key) as RmwOutcome;
    if (o.outcome === 'unchanged') return { key: c.key, outcome: 'unchanged' };
    if (o.outcome === 'failed') return { key: c.key, outcome: 'failed', error: o.error };
    return { key: c.key, outcome: o.outcome === 'written' ? 'repaired' : 'would-repair', diff: o.diff };
  });
}
