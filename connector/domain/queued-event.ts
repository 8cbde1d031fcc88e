/**
 * An event as a queue keeps it while the call waits for its batch: only what cannot be made again.
 *
 * Tens of thousands of events can wait behind a slow CRM (docs/benchmarks.md, "Memory per queued
 * event"), and most of a WalletEvent follows from a few of its fields: its name and kind from the
 * hook, its ISO time from the epoch time, its counts and order key from the two counts and the
 * time, and its identifiers from the join key when that is the only identifier and came unchanged
 * (the usual pass). `walletEventOf` makes the full event again when its batch runs, equal field by
 * field to the one `queuedEventOf` was given, which must come from `enrich` (its derived fields
 * are not read, they are made again). Pure.
 */
import { eventOf } from './enrich';
import type { EventSource, HookName, Wallet, WalletEvent } from './types';

export interface QueuedEvent {
  readonly hook: HookName;
  readonly passId: string;
  readonly passType: string;
  readonly wallet: Wallet;
  readonly joinKey: string;
  readonly joinKeyField: string;
  readonly receivedAtMs: number;
  readonly active: number | null;
  readonly total: number | null;
  /** null: the identifiers are exactly `{ [joinKeyField]: joinKey }`. */
  readonly identifiers: Record<string, string | number | boolean> | null;
  readonly source: EventSource;
  /** Kept, not made again: it costs two hashes over the event's text, where the rest is cheap. */
  readonly idempotencyKey: string;
}

/** True when the identifiers hold the join key alone, as it was sent (not trimmed, lowercased or a number). */
function onlyTheJoinKey(event: WalletEvent): boolean {
  const keys = Object.keys(event.identifiers);
  return (
    keys.length === 1 &&
    keys[0] === event.joinKeyField &&
    event.identifiers[event.joinKeyField] === event.joinKey
  );
}

export function queuedEventOf(event: WalletEvent): QueuedEvent {
  return {
    hook: event.hook,
    passId: event.passId,
    passType: event.passType,
    wallet: event.wallet,
    joinKey: event.joinKey,
    joinKeyField: event.joinKeyField,
    receivedAtMs: event.receivedAtMs,
    active: event.registration.active,
    total: event.registration.total,
    identifiers: onlyTheJoinKey(event) ? null : event.identifiers,
    source: event.source,
    idempotencyKey: event.idempotencyKey,
  };
}

export function walletEventOf(queued: QueuedEvent): WalletEvent {
  let identifiers = queued.identifiers;
  if (!identifiers) {
    identifiers = {};
    identifiers[queued.joinKeyField] = queued.joinKey;
  }
  return eventOf(
    {
      hook: queued.hook,
      passId: queued.passId,
      passType: queued.passType,
      wallet: queued.wallet,
      identifiers,
      joinKey: queued.joinKey,
      joinKeyField: queued.joinKeyField,
      registration: { active: queued.active, total: queued.total },
      receivedAtMs: queued.receivedAtMs,
    },
    queued.source,
    queued.idempotencyKey,
  );
}
