/**
 * walletSyncState: the per (pass, wallet) memory stored in the CRM next to the status fields, so that
 * the next reduction can tell a new event from a duplicate or a late one (docs/architecture.md §6).
 *
 * Per (pass, wallet) it keeps a tally of registrations (see registration-tally.ts): a floor, the
 * newest point at which the wallet's number of registrations is known, and the distinct events seen
 * above it, each with its registration counts; plus the installed flag and start it last derived.
 *
 * Wire form: `v2:` + compact JSON `[[passId, apple, google], ...]`, sorted by passId so that equal
 * states encode to equal strings (no spurious writes), where a wallet is `0` (never seen) or
 * `[installed 0|1, sinceMs, atMs, floor, seen]`, floor `0` or `[total, active, atMs, net, sinceMs]`,
 * seen `[[installed 0|1, total, active, atMs], ...]`. The `v1:` form of earlier versions is still read.
 * The value lives in a CRM text field that people can see and edit: decoding never throws; anything
 * it cannot fully trust is treated as absent and reported.
 */
import type { Wallet } from './types';
import { isCount, isTimeMs } from './order-key';

/** One distinct platform event counted on this wallet. */
export interface SeenEvent {
  installed: boolean;
  total: number;
  active: number;
  /** The earliest receipt of the event (an install's receipt is when its stretch began). */
  atMs: number;
}

/**
 * A point of the wallet's history below which nothing needs remembering: events at or before it are
 * late, and `net` registrations of this wallet were active right after it. Counts when it is a
 * registration state the platform passed through (say the uninstall that left no active
 * registration); both null when it is a receipt time (events without counts, the Pass API).
 */
export interface TallyFloor {
  total: number | null;
  active: number | null;
  atMs: number;
  net: number;
  /** Start of the installed stretch going on at the floor; null when net is not above zero. */
  sinceMs: number | null;
}

export interface PassWalletState {
  /** Derived from the tally under the tenant's reading of the counts when last changed. */
  installed: boolean;
  /** Start of the current installed stretch; null when not installed. */
  sinceMs: number | null;
  /** receivedAtMs of the newest event applied. */
  atMs: number;
  /** null: nothing is known before the first seen event. */
  floor: TallyFloor | null;
  /** Distinct events above the floor, oldest first by order key. */
  seen: SeenEvent[];
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

export const SYNC_STATE_PREFIX = 'v2:';
const V1_PREFIX = 'v1:';
export const DEFAULT_MAX_PASSES = 10;
export const DEFAULT_MAX_CHARS = 2000;
/**
 * Distinct events kept above the floor per (pass, wallet). The events since the wallet last had no
 * registration are few (one device: one install); past the bound the oldest are folded into the floor.
 */
export const MAX_SEEN_EVENTS = 8;
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

/**
 * The oldest `count` seen events folded into the floor, walking them as the tally does: the floor
 * moves to the last folded event, with the registrations and the stretch start known after it.
 * Folding everything keeps the derived flag and start, so bounding never changes the status shown.
 */
export function foldOldest(s: PassWalletState, count: number): PassWalletState {
  if (count <= 0 || s.seen.length === 0) return s;
  const n = Math.min(count, s.seen.length);
  let net = s.floor ? s.floor.net : 0;
  let since = s.floor && s.floor.net > 0 ? s.floor.sinceMs : null;
  for (let i = 0; i < n; i++) {
    const e = s.seen[i] as SeenEvent;
    if (e.installed) {
      if (net <= 0) since = e.atMs;
      net++;
    } else {
      net--;
      if (net <= 0) since = null;
    }
  }
  const last = s.seen[n - 1] as SeenEvent;
  const all = n === s.seen.length;
  if (all && s.installed && net <= 0) net = 1;
  if (all && !s.installed && net > 0) net = 0;
  if (all) since = s.installed ? s.sinceMs : null;
  else if (net > 0 && since === null) since = last.atMs;
  const floor: TallyFloor = {
    total: last.total,
    active: last.active,
    atMs: last.atMs,
    net,
    sinceMs: net > 0 ? since : null,
  };
  return { installed: s.installed, sinceMs: s.sinceMs, atMs: s.atMs, floor, seen: s.seen.slice(n) };
}

type SeenTuple = [number, number, number, number];
type FloorTuple = [number | null, number | null, number, number, number | null];
type WalletTuple = [number, number | null, number, FloorTuple | 0, SeenTuple[]];

function toTuple(s: PassWalletState | undefined): WalletTuple | 0 {
  if (!s) return 0;
  const f = s.floor;
  return [
    s.installed ? 1 : 0,
    s.sinceMs,
    s.atMs,
    f ? [f.total, f.active, f.atMs, f.net, f.sinceMs] : 0,
    s.seen.map((e): SeenTuple => [e.installed ? 1 : 0, e.total, e.active, e.atMs]),
  ];
}

function serialize(state: SyncState, ids: string[]): string {
  if (ids.length === 0) return '';
  const rows = ids.map((id) => {
    const p = state.passes[id] as PassState;
    return [id, toTuple(p.apple), toTuple(p.google)];
  });
  return SYNC_STATE_PREFIX + JSON.stringify(rows);
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedIds(state: SyncState): string[] {
  return Object.keys(state.passes).sort(byId);
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

/** Every wallet of the state with at most `keep` seen events. */
function withSeenAtMost(state: SyncState, keep: number): SyncState {
  const out = emptySyncState();
  for (const id of Object.keys(state.passes)) {
    const p = state.passes[id] as PassState;
    const cut: PassState = {};
    for (const w of WALLETS) {
      const s = p[w];
      if (s) cut[w] = s.seen.length > keep ? foldOldest(s, s.seen.length - keep) : s;
    }
    out.passes[id] = cut;
  }
  return out;
}

/**
 * The state cut to its limits. First the number of passes: passes installed somewhere are kept before
 * passes installed nowhere (dropping an installed pass would change the customer's status), then the
 * most recently seen. Then the length: the seen events of every wallet are folded down to 4, 2, 1,
 * then 0 (keeping status and start; a first delivery of a folded-away event is then taken for a
 * duplicate), and only then are passes dropped, in the same order. A dropped pass loses its memory:
 * a late event of it is then judged as if it were the first.
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
    return byId(a, b);
  });
  const kept = ranked.slice(0, maxPasses);
  let source = emptySyncState();
  for (const id of kept) source.passes[id] = state.passes[id] as PassState;
  const fits = (s: SyncState): boolean => serialize(s, kept.slice().sort(byId)).length <= maxChars;
  const steps = [4, 2, 1, 0];
  for (let i = 0; i < steps.length && !fits(source); i++) source = withSeenAtMost(source, steps[i] as number);
  while (kept.length > 0 && !fits(source)) kept.pop();
  const out = emptySyncState();
  for (const id of kept) out.passes[id] = source.passes[id] as PassState;
  return out;
}

export function encodeSyncState(state: SyncState, options?: SyncStateLimits): string {
  const bounded = boundSyncState(state, options);
  return serialize(bounded, sortedIds(bounded));
}

// ---- decoding ------------------------------------------------------------------------------------

const isTimeOrNull = (v: unknown): boolean => v === null || isTimeMs(v);
const isInteger = (v: unknown): v is number =>
  typeof v === 'number' && isFinite(v) && Math.floor(v) === v && Math.abs(v) < 1e9;

/** A v1 entry (one newest key, before tallies) read as a floor at that key. */
function fromV1Tuple(value: unknown): PassWalletState | string {
  if (!Array.isArray(value) || value.length !== 7) return 'a wallet entry is not a 7-item array';
  const v = value as unknown[];
  const installed = v[0];
  const total = v[1];
  const active = v[2];
  const atMs = v[3];
  const sinceMs = v[4];
  if (installed !== 0 && installed !== 1) return 'installed is not 0 or 1';
  if (!((total === null && active === null) || (isCount(total) && isCount(active))))
    return 'counts are not two non-negative integers or two nulls';
  if (!isTimeMs(atMs)) return 'atMs is not a time';
  if (installed === 1 ? !isTimeMs(sinceMs) : sinceMs !== null) return 'sinceMs does not match installed';
  if (isCount(active) && active > 0 !== (installed === 1)) return 'installed does not match the counts';
  if (v[5] !== null && !isCount(v[5])) return 'startTotal is not a count';
  if (v[6] !== 0 && v[6] !== 1) return 'startSeen is not 0 or 1';
  // v1 was written trusting the counts per wallet: that many registrations remained on it.
  const net = installed === 1 ? (isCount(active) ? active : 1) : 0;
  const since = installed === 1 ? (sinceMs as number) : null;
  return {
    installed: installed === 1,
    sinceMs: since,
    atMs,
    floor: { total: total as number | null, active: active as number | null, atMs, net, sinceMs: since },
    seen: [],
  };
}

function floorOf(value: unknown): TallyFloor | null | string {
  if (value === 0) return null;
  if (!Array.isArray(value) || value.length !== 5) return 'the floor is not 0 or a 5-item array';
  const v = value as unknown[];
  if (!((v[0] === null && v[1] === null) || (isCount(v[0]) && isCount(v[1]))))
    return 'floor counts are not two non-negative integers or two nulls';
  if (!isTimeMs(v[2])) return 'floor atMs is not a time';
  if (!isInteger(v[3])) return 'floor net is not an integer';
  if ((v[3] as number) > 0 ? !isTimeOrNull(v[4]) : v[4] !== null) return 'floor sinceMs does not match net';
  return {
    total: v[0] as number | null,
    active: v[1] as number | null,
    atMs: v[2] as number,
    net: v[3] as number,
    sinceMs: v[4] as number | null,
  };
}

function seenOf(value: unknown): SeenEvent | string {
  if (!Array.isArray(value) || value.length !== 4) return 'a seen event is not a 4-item array';
  const v = value as unknown[];
  if (v[0] !== 0 && v[0] !== 1) return 'a seen event kind is not 0 or 1';
  if (!isCount(v[1]) || !isCount(v[2])) return 'a seen event has no counts';
  if (!isTimeMs(v[3])) return 'a seen event atMs is not a time';
  return { installed: v[0] === 1, total: v[1], active: v[2], atMs: v[3] };
}

/** Strictly ascending by order key (total up, then active down), and above a counts floor. */
function ordered(seen: SeenEvent[], floor: TallyFloor | null): boolean {
  let total = floor ? floor.total : null;
  let active = floor ? floor.active : null;
  for (const e of seen) {
    if (total !== null && active !== null) {
      const newer = e.total > total || (e.total === total && e.active < active);
      if (!newer) return false;
    }
    total = e.total;
    active = e.active;
  }
  return true;
}

function fromV2Tuple(value: unknown): PassWalletState | string {
  if (!Array.isArray(value) || value.length !== 5) return 'a wallet entry is not a 5-item array';
  const v = value as unknown[];
  const installed = v[0];
  if (installed !== 0 && installed !== 1) return 'installed is not 0 or 1';
  if (installed === 1 ? !isTimeMs(v[1]) : v[1] !== null) return 'sinceMs does not match installed';
  if (!isTimeMs(v[2])) return 'atMs is not a time';
  const floor = floorOf(v[3]);
  if (typeof floor === 'string') return floor;
  if (!Array.isArray(v[4])) return 'seen is not an array';
  const seen: SeenEvent[] = [];
  for (const raw of v[4] as unknown[]) {
    const e = seenOf(raw);
    if (typeof e === 'string') return e;
    seen.push(e);
  }
  if (!ordered(seen, floor)) return 'seen events are not in order above the floor';
  if (!floor && seen.length === 0) return 'a wallet entry has neither floor nor seen events';
  return { installed: installed === 1, sinceMs: v[1] as number | null, atMs: v[2] as number, floor, seen };
}

function parseRows(rows: unknown, v1: boolean): SyncState | string {
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
      const parsed = v1 ? fromV1Tuple(raw) : fromV2Tuple(raw);
      if (typeof parsed === 'string') return 'pass ' + i + ' ' + WALLETS[w] + ': ' + parsed;
      pass[WALLETS[w] as Wallet] = parsed;
    }
    if (pass.apple || pass.google) state.passes[passId] = pass;
  }
  return state;
}

/**
 * Absent (undefined, null, '') is an empty state and no problem. Anything else that is not a
 * well-formed v2 (or v1) value is an empty state plus a problem for the caller to log: never an
 * exception.
 */
export function decodeSyncState(value: unknown): { state: SyncState; problem: string | null } {
  if (value === undefined || value === null || value === '')
    return { state: emptySyncState(), problem: null };
  const fail = (why: string) => ({ state: emptySyncState(), problem: 'walletSyncState ignored: ' + why });
  if (typeof value !== 'string') return fail('not a string (' + typeof value + ')');
  const prefix = value.slice(0, SYNC_STATE_PREFIX.length);
  if (prefix !== SYNC_STATE_PREFIX && prefix !== V1_PREFIX)
    return fail('unknown version ' + JSON.stringify(value.slice(0, 8)));
  let rows: unknown;
  try {
    rows = JSON.parse(value.slice(SYNC_STATE_PREFIX.length));
  } catch {
    return fail('not JSON (' + value.length + ' chars)');
  }
  const parsed = parseRows(rows, prefix === V1_PREFIX);
  return typeof parsed === 'string' ? fail(parsed) : { state: parsed, problem: null };
}
