/**
 * normalize: the five positional hook arguments -> a validated WalletEvent, or the reason it is
 * unusable. Pure: the received time is passed in. The platform's fifth argument is not published,
 * so every field of it is read defensively (docs/architecture.md §4).
 */
import { enrich } from './enrich';
import { hasLoneSurrogate, resolveJoinKey, type JoinKeyRule } from './join-key';
import type { HookName, RegistrationCounts, Wallet, WalletEvent } from './types';

export type NormalizeResult =
  { ok: true; event: WalletEvent } | { ok: false; passId: string; reason: string };

const MAX_ID_LENGTH = 512;
const MAX_IDENTIFIERS = 64;
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : `a ${typeof value}`;
}

/** A count is usable when it is a non-negative whole number (numeric strings are accepted). */
function readCount(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !isFinite(n) || n < 0 || Math.floor(n) !== n) return null;
  return n;
}

function readCounts(info: Record<string, unknown> | null): RegistrationCounts {
  if (!info) return { active: null, total: null };
  const nested = isPlainObject(info.registrationInformation) ? info.registrationInformation : null;
  const from = (key: string): number | null => {
    const inner = nested ? readCount(nested[key]) : null;
    return inner !== null ? inner : readCount(info[key]);
  };
  const active = from('activeRegistrationCount');
  const total = from('totalRegistrationCount');
  // Counts that contradict each other (more active than ever registered) order nothing.
  if (active !== null && total !== null && active > total) return { active: null, total: null };
  return { active, total };
}

function sanitizeIdentifiers(
  value: unknown,
): { ok: true; identifiers: Record<string, string | number | boolean> } | { ok: false; reason: string } {
  if (!isPlainObject(value))
    return { ok: false, reason: `identifiers must be an object, got ${describe(value)}` };
  const keys = Object.keys(value);
  if (keys.length > MAX_IDENTIFIERS)
    return { ok: false, reason: `identifiers has ${keys.length} keys (max ${MAX_IDENTIFIERS})` };
  const identifiers: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    if (FORBIDDEN_KEYS.indexOf(key) >= 0)
      return { ok: false, reason: `identifiers has a forbidden key "${key}"` };
    const v = value[key];
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v))) {
      identifiers[key] = v;
    }
  }
  return { ok: true, identifiers };
}

export interface NormalizeInput {
  hook: HookName;
  args: readonly unknown[];
  receivedAtMs: number;
  joinKey: JoinKeyRule;
}

export function normalize(input: NormalizeInput): NormalizeResult {
  // Read by index: the ES5 lowering of an array pattern brings Babel's iterator helpers (~0.7 KB).
  const args = input.args;
  const passId = args[0];
  const passType = args[1];
  const identifiers = args[2];
  const device = args[3];
  const additional = args[4];
  const safePassId = typeof passId === 'string' ? passId.slice(0, MAX_ID_LENGTH) : '(none)';
  const fail = (reason: string): NormalizeResult => ({ ok: false, passId: safePassId, reason });

  if (typeof passId !== 'string' || passId.trim() === '')
    return fail(`passId must be a non-empty string, got ${describe(passId)}`);
  if (passId.length > MAX_ID_LENGTH) return fail(`passId is longer than ${MAX_ID_LENGTH} characters`);
  if (hasLoneSurrogate(passId)) return fail('passId is not valid Unicode (it holds a lone UTF-16 surrogate)');
  if (typeof passType !== 'string' || passType.trim() === '')
    return fail(`passType must be a non-empty string, got ${describe(passType)}`);
  if (device !== 'apple' && device !== 'google')
    return fail(`device must be "apple" or "google", got ${describe(device)}`);
  const ids = sanitizeIdentifiers(identifiers);
  if (!ids.ok) return fail(ids.reason);
  const joinKey = resolveJoinKey(ids.identifiers, input.joinKey);
  if (!joinKey.ok) return fail(joinKey.reason);
  // A wrong-shaped fifth argument loses its counts and source, not the event.
  const info = isPlainObject(additional) ? additional : null;

  const event = enrich({
    hook: input.hook,
    passId,
    passType,
    wallet: device as Wallet,
    identifiers: ids.identifiers,
    joinKey: joinKey.value,
    joinKeyField: joinKey.field,
    registration: readCounts(info),
    rawSource: info && isPlainObject(info.registrationSource) ? info.registrationSource : null,
    receivedAtMs: input.receivedAtMs,
  });
  return { ok: true, event };
}
