/**
 * walletSyncState: the per (pass, wallet) memory stored in the CRM next to the status fields, so that
 * the next reduction can tell a newer event from a duplicate or a late one (DESIGN §6).
 *
 * Wire form: `v1:` + compact JSON `[[passId, apple, google], ...]`, sorted by passId so that equal
 * states encode to equal strings (no spurious writes), where a wallet is `0` (never seen) or
 * `[installed 0|1, total, active, atMs, sinceMs, startTotal, startSeen 0|1]`. The value lives in a CRM
 * text field that people can see and edit: decoding never throws; anything it cannot fully trust is
 * treated as absent and reported.
 */
import type { OrderKey, Wallet } from './types';
import { isCount, isTimeMs, keyOf } from './order-key';

export interface PassWalletState {
  installed: boolean;
  /** Counts of the newest event applied; both null when it had none (then its key is its time). */
  total: number | null;
  active: number | null;
  /** receivedAtMs of the newest event applied. */
  atMs: number;
  /** Start of the current installed stretch; null when not installed. */
  sinceMs: number | null;
  /**
   * startSeen: sinceMs is the time of the install that began the stretch (active 0 -> 1), whose total
   * is startTotal (null when that start had no counts or came from the Pass API: then no late event
   * may move sinceMs). Not seen: sinceMs is when the stretch was first observed, a placeholder until
   * the start arrives, and startTotal is the lowest total that start can have (null: unknown).
   */
  startTotal: number | null;
  startSeen: boolean;
}

export interface PassState {
  apple?: PassWalletState;
  google?: PassWalletState;
}

export interface SyncState {
  passes: Record<string, PassState>;
}

export interface SyncStateLimits {
  /** Passes kept, default 10. */
  maxPasses?: number;
  /** Length of the encoded value, default 2000 (CRM text fields are often limited). */
  maxChars?: number;
}

export const SYNC_STATE_PREFIX = 'v1:';
export const DEFAULT_MAX_PASSES = 10;
export const DEFAULT_MAX_CHARS = 2000;
export const WALLETS: readonly Wallet[] = ['apple', 'google'];

/** A pass map without a prototype, so that a pass called `__proto__` is an ordinary key. */
export function emptySyncState(): SyncState {
  return { passes: Object.create(null) as Record<string, PassState> };
}

export function hasPass(state: SyncState, passId: string): boolean {
  return Object.prototype.hasOwnProperty.call(state.passes, passId);
}

export function passOf(state: SyncState, passId: string): PassState | undefined {
  return hasPass(state, passId) ? state.passes[passId] : undefined;
}

export function walletKey(s: PassWalletState): OrderKey {
  return keyOf(s.total, s.active, s.atMs);
}

type WalletTuple = [number, number | null, number | null, number, number | null, number | null, number];

function toTuple(s: PassWalletState | undefined): WalletTuple | 0 {
  if (!s) return 0;
  return [s.installed ? 1 : 0, s.total, s.active, s.atMs, s.sinceMs, s.startTotal, s.startSeen ? 1 : 0];
}

function serialize(state: SyncState, ids: string[]): string {
  if (ids.length === 0) return '';
  const rows = ids.map((id) => {
    const p = state.passes[id] as PassState;
    return [id, toTuple(p.apple), toTuple(p.google)];
  });
  return SYNC_STATE_PREFIX + JSON.stringify(rows);
}

function sortedIds(state: SyncState): string[] {
  return Object.keys(state.passes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function installedAnywhere(p: PassState): boolean {
  return !!((p.apple && p.apple.installed) || (p.google && p.google.installed));
}

function lastSeenMs(p: PassState): number {
  const a = p.apple ? p.apple.atMs : -Infinity;
  const g = p.google ? p.google.atMs : -Infinity;
  return a > g ? a : g;
}

function limit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/**
 * The state cut to its limits. Passes installed somewhere are kept before passes installed nowhere
 * (dropping an installed pass would change the customer's status), then the most recently seen. A
 * dropped pass only loses its memory: a late event of it is then judged as if it were the first.
 */
export function boundSyncState(state: SyncState, options?: SyncStateLimits): SyncState {
  const maxPasses = limit(options && options.maxPasses, DEFAULT_MAX_PASSES);
  const maxChars = limit(options && options.maxChars, DEFAULT_MAX_CHARS);
  const ranked = Object.keys(state.passes).sort((a, b) => {
    const pa = state.passes[a] as PassState;
    const pb = state.passes[b] as PassState;
    const ia = installedAnywhere(pa);
    if (ia !== installedAnywhere(pb)) return ia ? -1 : 1;
    const ta = lastSeenMs(pa);
    const tb = lastSeenMs(pb);
    if (ta !== tb) return ta > tb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const kept = ranked.slice(0, maxPasses);
  const byId = (): string[] => kept.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  while (kept.length > 0 && serialize(state, byId()).length > maxChars) kept.pop();
  const out = emptySyncState();
  for (const id of kept) out.passes[id] = state.passes[id] as PassState;
  return out;
}

export function encodeSyncState(state: SyncState, options?: SyncStateLimits): string {
  const bounded = boundSyncState(state, options);
  return serialize(bounded, sortedIds(bounded));
}

function fromTuple(value: unknown): PassWalletState | string {
  if (!Array.isArray(value) || value.length !== 7) return 'a wallet entry is not a 7-item array';
  const v = value as unknown[];
  const installed = v[0];
  const total = v[1];
  const active = v[2];
  const atMs = v[3];
  const sinceMs = v[4];
  const startTotal = v[5];
  const startSeen = v[6];
  if (installed !== 0 && installed !== 1) return 'installed is not 0 or 1';
  if (!((total === null && active === null) || (isCount(total) && isCount(active))))
    return 'counts are not two non-negative integers or two nulls';
  if (!isTimeMs(atMs)) return 'atMs is not a time';
  if (installed === 1 ? !isTimeMs(sinceMs) : sinceMs !== null) return 'sinceMs does not match installed';
  if (isCount(active) && active > 0 !== (installed === 1)) return 'installed does not match the counts';
  if (startTotal !== null && !isCount(startTotal)) return 'startTotal is not a count';
  if (startSeen !== 0 && startSeen !== 1) return 'startSeen is not 0 or 1';
  return {
    installed: installed === 1,
    total: total as number | null,
    active: active as number | null,
    atMs,
    sinceMs: sinceMs as number | null,
    startTotal: startTotal as number | null,
    startSeen: startSeen === 1,
  };
}

function parseRows(rows: unknown): SyncState | string {
  if (!Array.isArray(rows)) return 'the payload is not an array';
  const state = emptySyncState();
  const ids = Object.create(null) as Record<string, boolean>;
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || row.length !== 3) return 'pass ' + i + ' is not a 3-item array';
    const passId: unknown = row[0];
    if (typeof passId !== 'string' || passId === '') return 'pass ' + i + ' has no id';
    if (ids[passId]) return 'pass ' + i + ' repeats an id';
    ids[passId] = true;
    const pass: PassState = {};
    for (let w = 0; w < WALLETS.length; w++) {
      const raw: unknown = row[w + 1];
      if (raw === 0) continue;
      const parsed = fromTuple(raw);
      if (typeof parsed === 'string') return 'pass ' + i + ' ' + WALLETS[w] + ': ' + parsed;
      pass[WALLETS[w] as Wallet] = parsed;
    }
    if (pass.apple || pass.google) state.passes[passId] = pass;
  }
  return state;
}

/**
 * Absent (undefined, null, '') is an empty state and no problem. Anything else that is not a
 * well-formed v1 value is an empty state plus a problem for the caller to log: never an exception.
 */
export function decodeSyncState(value: unknown): { state: SyncState; problem: string | null } {
  if (value === undefined || value === null || value === '')
    return { state: emptySyncState(), problem: null };
  const fail = (why: string) => ({ state: emptySyncState(), problem: 'walletSyncState ignored: ' + why });
  if (typeof value !== 'string') return fail('not a string (' + typeof value + ')');
  if (value.slice(0, SYNC_STATE_PREFIX.length) !== SYNC_STATE_PREFIX)
    return fail('unknown version ' + JSON.stringify(value.slice(0, 8)));
  let rows: unknown;
  try {
    rows = JSON.parse(value.slice(SYNC_STATE_PREFIX.length));
  } catch {
    return fail('not JSON (' + value.length + ' chars)');
  }
  const parsed = parseRows(rows);
  return typeof parsed === 'string' ? fail(parsed) : { state: parsed, problem: null };
}
