/**
 * enrich: a validated hook call -> the full WalletEvent (event name, order key, source with UTM
 * parameters, idempotency key). Pure.
 */
import { parseUtm } from './utm';
import { fingerprint } from './fingerprint';
import type { EventSource, HookName, OrderKey, RegistrationCounts, Wallet, WalletEvent } from './types';

export interface EnrichInput {
  hook: HookName;
  passId: string;
  passType: string;
  wallet: Wallet;
  identifiers: Record<string, string | number | boolean>;
  joinKey: string;
  joinKeyField: string;
  registration: RegistrationCounts;
  rawSource: Record<string, unknown> | null;
  receivedAtMs: number;
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

export function enrich(input: EnrichInput): WalletEvent {
  const installed = input.hook === 'OnPassInstalled';
  return {
    hook: input.hook,
    name: installed ? 'Pass:Installed' : 'Pass:Uninstalled',
    kind: installed ? 'installed' : 'uninstalled',
    passId: input.passId,
    passType: input.passType,
    wallet: input.wallet,
    identifiers: input.identifiers,
    joinKey: input.joinKey,
    joinKeyField: input.joinKeyField,
    receivedAt: new Date(input.receivedAtMs).toISOString(),
    receivedAtMs: input.receivedAtMs,
    registration: input.registration,
    orderKey: orderKeyOf(input.registration, input.receivedAtMs),
    source: readSource(input.rawSource),
    idempotencyKey: idempotencyKeyOf(input.hook, input.passId, input.wallet, input.registration),
  };
}
