/**
 * enrich: a validated hook call -> the full WalletEvent (event name, order key, source with UTM
 * parameters, idempotency key). Pure.
 */
import { parseUtm } from './utm';
import { fingerprint } from './fingerprint';
import type { EventSource, HookName, OrderKey, RegistrationCounts, Wallet, WalletEvent } from './types';

/** What an event is made of besides its source and idempotency key; the rest follows from it. */
export interface EventCore {
  hook: HookName;
  passId: string;
  passType: string;
  wallet: Wallet;
  identifiers: Record<string, string | number | boolean>;
  joinKey: string;
  joinKeyField: string;
  registration: RegistrationCounts;
  receivedAtMs: number;
}

export interface EnrichInput extends EventCore {
  rawSource: Record<string, unknown> | null;
}

const MAX_SOURCE_TEXT = 1024;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_SOURCE_TEXT) : null;
}

/**
 * The source of every event that came without one (most do): one shared, frozen object instead of
 * five per queued event. Nothing writes to an event's source; the freeze keeps it that way.
 */
const NO_SOURCE: EventSource = Object.freeze({
  tags: Object.freeze([]) as unknown as string[],
  medium: null,
  origin: null,
  userAgent: null,
  utm: Object.freeze({}),
});

function readSource(raw: Record<string, unknown> | null): EventSource {
  if (!raw) return NO_SOURCE;
  const tags: string[] = [];
  if (Array.isArray(raw.tags)) {
    for (const tag of raw.tags) if (typeof tag === 'string' && tag !== '') tags.push(tag.slice(0, 100));
  }
  const origin = text(raw.origin);
  return {
    tags,
    medium: text(raw.medium),
    origin,
    userAgent: text(raw.userAgent),
    utm: origin ? parseUtm(origin) : {},
  };
}

export function orderKeyOf(registration: RegistrationCounts, receivedAtMs: number): OrderKey {
  if (registration.total !== null && registration.active !== null) {
    return { kind: 'counts', total: registration.total, active: registration.active, atMs: receivedAtMs };
  }
  return { kind: 'time', atMs: receivedAtMs };
}

/**
 * Two deliveries of the same platform event carry the same pass, wallet, hook and counts, so they
 * get the same key. Without counts a duplicate cannot be told from a real repeat: the key then
 * only says "same kind of event for the same pass and wallet".
 */
export function idempotencyKeyOf(
  hook: HookName,
  passId: string,
  wallet: Wallet,
  counts: RegistrationCounts,
): string {
  const c = counts.total !== null && counts.active !== null ? `${counts.total}/${counts.active}` : 'nocounts';
  return fingerprint(`${hook}|${passId}|${wallet}|${c}`);
}

/**
 * The full event from its core, source and key: the event name and kind follow from the hook, the
 * ISO time from the epoch time, the order key from the counts and the time. Also how a queued
 * event is made whole again (queued-event.ts), so both are the same event.
 */
export function eventOf(core: EventCore, source: EventSource, idempotencyKey: string): WalletEvent {
  const installed = core.hook === 'OnPassInstalled';
  return {
    hook: core.hook,
    name: installed ? 'Pass:Installed' : 'Pass:Uninstalled',
    kind: installed ? 'installed' : 'uninstalled',
    passId: core.passId,
    passType: core.passType,
    wallet: core.wallet,
    identifiers: core.identifiers,
    joinKey: core.joinKey,
    joinKeyField: core.joinKeyField,
    receivedAt: new Date(core.receivedAtMs).toISOString(),
    receivedAtMs: core.receivedAtMs,
    registration: core.registration,
    orderKey: orderKeyOf(core.registration, core.receivedAtMs),
    source,
    idempotencyKey,
  };
}

export function enrich(input: EnrichInput): WalletEvent {
  return eventOf(
    input,
    readSource(input.rawSource),
    idempotencyKeyOf(input.hook, input.passId, input.wallet, input.registration),
  );
}
