/**
 * The status reducer (docs/architecture.md §6): the customer's current CRM fields + a batch of their wallet events
 * -> the next fields, and whether anything must be written. Pure: the time is in the events.
 *
 * The fields are a view of walletSyncState, which keeps, per (pass, wallet), a tally of the distinct
 * events seen since the wallet last held no registration (registration-tally.ts), the installed flag
 * and the start of the current installed stretch. An event is counted once whatever the number of
 * its deliveries, and the tally does not depend on their order, so duplicates change nothing and any
 * delivery order of the same events ends in the same state (see "How the status stays exact").
 */
import type { CanonicalFields, EventKind, OrderKey, Wallet, WalletEvent, WalletStatus } from './types';
import { CANONICAL_FIELD_NAMES } from './types';
import type { RegistrationCountsReading } from './types';
import { compareOrderKeys, eventKey, isCount, isTimeMs } from './order-key';
import {
  applyPassEmptyPoint,
  applyToTally,
  countedRegistrations,
  emptyPointOf,
  type TallyEvent,
} from './registration-tally';
import {
  boundSyncState,
  decodeSyncState,
  encodeSyncState,
  hasPass,
  passOf,
  WALLETS,
  type PassState,
  type PassWalletState,
  type SyncState,
  type SyncStateLimits,
} from './sync-state';

export interface ReduceOptions extends SyncStateLimits {
  /** What the registration counts cover (the tenant's `registrationCounts`); default auto. */
  registrationCounts?: RegistrationCountsReading;
  /**
   * The finest time the CRM keeps, in ms (default 1): Dataverse keeps whole seconds, so an install
   * time it echoes truncated is still the same instant and must not be written again.
   */
  timePrecisionMs?: number;
}

export interface ReduceResult {
  next: CanonicalFields;
  /** False when next equals current on every canonical field: then nothing is written. */
  changed: boolean;
  /** Events (or, for the backfill, pass wallets) that changed the sync state. */
  applied: number;
  /** The events that changed the sync state (not duplicates, not stale), in the order applied. */
  appliedEvents: WalletEvent[];
  /** For the caller to log: ignored sync state, skipped malformed input. Never thrown. */
  problems: string[];
}

export function emptyFields(): CanonicalFields {
  return {
    walletStatus: 'none',
    appleWalletInstalledAt: null,
    googleWalletInstalledAt: null,
    walletLastChangedAt: null,
    walletLastEvent: null,
    walletSyncState: '',
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * CRMs echo times in their own formats and precision; the same instant must not count as a change.
 * `precisionMs`: instants in the same slot of that size are the same (1: exact).
 */
function sameInstant(a: string | null, b: string | null, precisionMs = 1): boolean {
  if (a === null || b === null) return a === b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (isNaN(ta) || isNaN(tb)) return a === b;
  return precisionMs > 1 ? Math.floor(ta / precisionMs) === Math.floor(tb / precisionMs) : ta === tb;
}

function precisionOf(options: ReduceOptions | undefined): number {
  const p = options ? options.timePrecisionMs : undefined;
  return typeof p === 'number' && p > 1 ? p : 1;
}

// ---- one (pass, wallet) --------------------------------------------------------------------------

/** An event reduced to what the state needs, validated. */
interface Step {
  passId: string;
  wallet: Wallet;
  kind: EventKind;
  key: OrderKey;
  /** Active registrations when known (also without a total, which only a timed event uses). */
  active: number | null;
  atMs: number;
  receivedAt: string;
  event: WalletEvent;
}

function stepOf(e: WalletEvent, index: number): Step | string {
  const skip = 'event ' + index + ' skipped: ';
  if (!e || typeof e !== 'object') return skip + 'not an object';
  if (typeof e.passId !== 'string' || e.passId === '') return skip + 'no passId';
  if (e.wallet !== 'apple' && e.wallet !== 'google') return skip + 'unknown wallet';
  if (e.kind !== 'installed' && e.kind !== 'uninstalled') return skip + 'unknown kind';
  if (!isTimeMs(e.receivedAtMs)) return skip + 'receivedAtMs is not a time';
  const key = eventKey(e);
  const reported = e.registration ? e.registration.active : null;
  const active = key.kind === 'counts' ? key.active : isCount(reported) ? reported : null;
  const text = typeof e.receivedAt === 'string' ? e.receivedAt : null;
  const receivedAt = text !== null && sameInstant(text, iso(e.receivedAtMs)) ? text : iso(e.receivedAtMs);
  return {
    passId: e.passId,
    wallet: e.wallet,
    kind: e.kind,
    key,
    active,
    atMs: e.receivedAtMs,
    receivedAt,
    event: e,
  };
}

/** A deterministic total order: receipt time, then per (pass, wallet) the order key. */
function compareSteps(a: Step, b: Step): number {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs ? -1 : 1;
  if (a.passId !== b.passId) return a.passId < b.passId ? -1 : 1;
  if (a.wallet !== b.wallet) return a.wallet < b.wallet ? -1 : 1;
  // Same time: compareOrderKeys compares only counts with counts, so rank the kinds of key first.
  if (a.key.kind !== b.key.kind) return a.key.kind === 'time' ? -1 : 1;
  const byKey = compareOrderKeys(a.key, b.key);
  if (byKey !== 0) return byKey;
  return a.kind === b.kind ? 0 : a.kind === 'installed' ? -1 : 1;
}

function tallyEventOf(e: Step): TallyEvent {
  return { installed: e.kind === 'installed', key: e.key, reportedActive: e.active };
}

/** The reading of the counts asked for; anything unknown is the default, auto. */
function readingOf(options: ReduceOptions | undefined): RegistrationCountsReading {
  const r = options ? options.registrationCounts : undefined;
  return r === 'perWallet' || r === 'perPass' ? r : 'auto';
}

// ---- the customer ---------------------------------------------------------------------------------

interface WalletPicture {
  installed: boolean;
  at: string | null;
}
type Picture = Record<Wallet, WalletPicture>;

function fromFields(f: CanonicalFields, wallet: Wallet): WalletPicture {
  const installed = f.walletStatus === wallet || f.walletStatus === 'both';
  const at = wallet === 'apple' ? f.appleWalletInstalledAt : f.googleWalletInstalledAt;
  return { installed, at: installed && typeof at === 'string' ? at : null };
}

/**
 * What the fields show: per wallet, installed when any pass is, since the earliest current stretch.
 * A wallet of which the state knows no pass (no or unreadable sync state, e.g. a record written before
 * the connector) keeps what the record says, when a record is given: no event, no change.
 */
function pictureOf(state: SyncState, fallback: CanonicalFields | null): Picture {
  const out = {} as Picture;
  const ids = Object.keys(state.passes);
  // Indexed loops: this runs for every record reduced, and the bundle's ES5 lowering turns each
  // for...of into an iterator object.
  for (let w = 0; w < WALLETS.length; w++) {
    const wallet = WALLETS[w] as Wallet;
    let known = false;
    let since: number | null = null;
    for (let i = 0; i < ids.length; i++) {
      const s = (state.passes[ids[i] as string] as PassState)[wallet];
      if (!s) continue;
      known = true;
      if (s.installed && s.sinceMs !== null && (since === null || s.sinceMs < since)) since = s.sinceMs;
    }
    if (!known && fallback) out[wallet] = fromFields(fallback, wallet);
    else out[wallet] = { installed: since !== null, at: since === null ? null : iso(since) };
  }
  return out;
}

function samePicture(a: Picture, b: Picture, precisionMs: number): boolean {
  return WALLETS.every(
    (w) => a[w].installed === b[w].installed && sameInstant(a[w].at, b[w].at, precisionMs),
  );
}

function statusOf(p: Picture): WalletStatus {
  if (p.apple.installed) return p.google.installed ? 'both' : 'apple';
  return p.google.installed ? 'google' : 'none';
}

/** Keeps the record's own spelling of an unchanged instant, so that it is not rewritten. */
function timeField(before: string | null, after: string | null, precisionMs: number): string | null {
  return sameInstant(before, after, precisionMs) ? before : after;
}

function finish(
  base: CanonicalFields,
  p: Picture,
  last: { at: string; kind: EventKind } | null,
  syncState: string,
  precisionMs: number,
): { next: CanonicalFields; changed: boolean } {
  const next: CanonicalFields = {
    walletStatus: statusOf(p),
    appleWalletInstalledAt: timeField(base.appleWalletInstalledAt, p.apple.at, precisionMs),
    googleWalletInstalledAt: timeField(base.googleWalletInstalledAt, p.google.at, precisionMs),
    walletLastChangedAt: last ? last.at : base.walletLastChangedAt,
    walletLastEvent: last ? last.kind : base.walletLastEvent,
    walletSyncState: syncState,
  };
  const changed = CANONICAL_FIELD_NAMES.some((f) => next[f] !== base[f]);
  return { next, changed };
}

function setWallet(state: SyncState, passId: string, wallet: Wallet, s: PassWalletState): void {
  const pass: PassState = hasPass(state, passId) ? (state.passes[passId] as PassState) : {};
  pass[wallet] = s;
  state.passes[passId] = pass;
}

/** perPass: the counts cover the whole pass, so where it had no registration neither wallet had one. */
function emptyOtherWallet(state: SyncState, e: Step, event: TallyEvent): void {
  const point = emptyPointOf(event);
  if (!point) return;
  const other: Wallet = e.wallet === 'apple' ? 'google' : 'apple';
  const pass = passOf(state, e.passId);
  const next = applyPassEmptyPoint(pass ? pass[other] : undefined, point, 'perPass');
  if (next) setWallet(state, e.passId, other, next);
}

function baseOf(current: CanonicalFields | null): CanonicalFields {
  return current ? current : emptyFields();
}

/** The stored text to keep when nothing was applied; a non-string (a broken record) becomes ''. */
function keptText(base: CanonicalFields): string {
  return typeof base.walletSyncState === 'string' ? base.walletSyncState : '';
}

/**
 * current: the record in canonical names (null: none, compared as emptyFields()). Events are sorted
 * here, so any batch of the same events gives the same result; applying the same batch again gives
 * changed === false. walletLastChangedAt/Event move to the last event that changed the status
 * picture, and only when the batch as a whole changed it.
 */
export function reduce(
  current: CanonicalFields | null,
  events: WalletEvent[],
  options?: ReduceOptions,
): ReduceResult {
  const base = baseOf(current);
  const decoded = decodeSyncState(base.walletSyncState);
  const problems: string[] = decoded.problem ? [decoded.problem] : [];
  const state = decoded.state;
  const steps: Step[] = [];
  (Array.isArray(events) ? events : []).forEach((e, i) => {
    const step = stepOf(e, i);
    if (typeof step === 'string') problems.push(step);
    else steps.push(step);
  });
  steps.sort(compareSteps);
  const before = pictureOf(state, current);
  let shown = before;
  let last: Step | null = null;
  let applied = 0;
  const appliedEvents: WalletEvent[] = [];
  const reading = readingOf(options);
  const precision = precisionOf(options);
  for (const e of steps) {
    const pass = passOf(state, e.passId);
    const event = tallyEventOf(e);
    const next = applyToTally(pass ? pass[e.wallet] : undefined, event, reading);
    if (!next) continue;
    setWallet(state, e.passId, e.wallet, next);
    if (reading === 'perPass') emptyOtherWallet(state, e, event);
    applied++;
    appliedEvents.push(e.event);
    const now = pictureOf(state, current);
    if (!samePicture(now, shown, precision)) {
      last = e;
      shown = now;
    }
  }
  // Untouched state keeps its exact text (even an ignored one): no event, no write.
  const kept = applied > 0 ? boundSyncState(state, options) : state;
  const text = applied > 0 ? encodeSyncState(kept, options) : keptText(base);
  const after = pictureOf(kept, current);
  const moved =
    last !== null && !samePicture(after, before, precision) ? { at: last.receivedAt, kind: last.kind } : null;
  const out = finish(base, after, moved, text, precision);
  return { next: out.next, changed: out.changed, applied, appliedEvents, problems };
}

// ---- the Pass API backfill -------------------------------------------------------------------------

/** installedAtMs: when the current install on that wallet began. */
export interface WalletTruth {
  installedAtMs: number;
}

/** One pass of the customer as the Pass API reports it; a missing or null wallet: not installed. */
export interface PassTruth {
  passId: string;
  apple?: WalletTruth | null;
  google?: WalletTruth | null;
}

/** Every pass of the customer: a pass of the state that is not listed is not installed anywhere. */
export interface Truth {
  passes: PassTruth[];
}

/** A wallet entry that knows only a floor: nothing above it was seen yet. */
function floorOnly(
  installed: boolean,
  sinceMs: number | null,
  atMs: number,
  counts: { total: number | null; active: number | null },
  net: number,
): PassWalletState {
  return {
    installed,
    sinceMs,
    atMs,
    floor: { total: counts.total, active: counts.active, atMs, net, sinceMs },
    seen: [],
  };
}

/** The newest counts the entry saw (null when its newest knowledge is a receipt time). */
function newestCounts(s: PassWalletState): { total: number | null; active: number | null } {
  const last = s.seen.length > 0 ? s.seen[s.seen.length - 1] : s.floor;
  return last ? { total: last.total, active: last.active } : { total: null, active: null };
}

/**
 * The stored entry made to agree with the truth taken at nowMs. An entry that already agrees is kept
 * with its tally (a backfill of a correct record writes nothing). One installed since another time
 * keeps its newest counts as its floor, so later events are still judged by them, with the truth's
 * start; any other disagreement gets a receipt-time floor at nowMs, so events received before the
 * snapshot are late and cannot undo it. An entry newer than the snapshot is kept: that event
 * happened after the truth was read.
 */
function toTruth(
  s: PassWalletState | undefined,
  t: WalletTruth | null,
  nowMs: number,
): PassWalletState | null {
  if (s && s.atMs > nowMs) return null;
  const none = { total: null, active: null };
  if (t === null) return !s || !s.installed ? null : floorOnly(false, null, nowMs, none, 0);
  if (!s || !s.installed) return floorOnly(true, t.installedAtMs, nowMs, none, 1);
  if (s.sinceMs === t.installedAtMs) return null;
  const last = s.seen.length > 0 ? s.seen[s.seen.length - 1] : null;
  const atMs = last ? last.atMs : s.floor ? s.floor.atMs : s.atMs;
  const net = Math.max(1, countedRegistrations(s));
  const entry = floorOnly(true, t.installedAtMs, atMs, newestCounts(s), net);
  entry.atMs = s.atMs;
  return entry;
}

type TruthMap = Record<string, Record<Wallet, WalletTruth | null | 'invalid'>>;

function truthMapOf(truth: Truth, problems: string[]): TruthMap | null {
  if (!truth || !Array.isArray(truth.passes)) {
    problems.push('backfill truth ignored: passes is not an array');
    return null;
  }
  const map = Object.create(null) as TruthMap;
  truth.passes.forEach((p, i) => {
    if (!p || typeof p.passId !== 'string' || p.passId === '') {
      problems.push('backfill pass ' + i + ' skipped: no passId');
      return;
    }
    if (Object.prototype.hasOwnProperty.call(map, p.passId)) {
      problems.push('backfill pass ' + i + ' skipped: repeats ' + p.passId);
      return;
    }
    const entry = {} as Record<Wallet, WalletTruth | null | 'invalid'>;
    for (const wallet of WALLETS) {
      const w = p[wallet];
      if (w === undefined || w === null) entry[wallet] = null;
      else if (w && isTimeMs(w.installedAtMs)) entry[wallet] = { installedAtMs: w.installedAtMs };
      else {
        problems.push(
          'backfill pass ' + p.passId + ' ' + wallet + ' left as is: installedAtMs is not a time',
        );
        entry[wallet] = 'invalid';
      }
    }
    map[p.passId] = entry;
  });
  return map;
}

/**
 * The backfill override: "the Pass API is the truth" (docs/architecture.md §6). Overrides installed flags, starts
 * and, where they disagree, order keys; walletLastChangedAt moves to nowMs when the picture changes.
 */
export function reduceToTruth(
  current: CanonicalFields | null,
  truth: Truth,
  nowMs: number,
  options?: ReduceOptions,
): ReduceResult {
  const base = baseOf(current);
  const decoded = decodeSyncState(base.walletSyncState);
  const problems: string[] = decoded.problem ? [decoded.problem] : [];
  const map = isTimeMs(nowMs) ? truthMapOf(truth, problems) : null;
  if (!isTimeMs(nowMs)) problems.push('backfill ignored: nowMs is not a time');
  if (!map) return { next: Object.assign({}, base), changed: false, applied: 0, appliedEvents: [], problems };
  const state = decoded.state;
  const before = pictureOf(state, current);
  const ids = Object.keys(state.passes).concat(Object.keys(map).filter((id) => !hasPass(state, id)));
  let applied = 0;
  for (const id of ids) {
    const listed = Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;
    for (const wallet of WALLETS) {
      const t = listed ? listed[wallet] : null;
      if (t === 'invalid') continue;
      const pass = passOf(state, id);
      const next = toTruth(pass ? pass[wallet] : undefined, t === undefined ? null : t, nowMs);
      if (!next) continue;
      setWallet(state, id, wallet, next);
      applied++;
    }
  }
  const kept = applied > 0 ? boundSyncState(state, options) : state;
  const text = applied > 0 ? encodeSyncState(kept, options) : keptText(base);
  // The truth covers both wallets: no fallback to what the record said.
  const after = pictureOf(kept, null);
  const precision = precisionOf(options);
  const gained = WALLETS.some(
    (w) => after[w].installed && !(before[w].installed && sameInstant(before[w].at, after[w].at, precision)),
  );
  const moved = samePicture(after, before, precision)
    ? null
    : { at: iso(nowMs), kind: (gained ? 'installed' : 'uninstalled') as EventKind };
  const out = finish(base, after, moved, text, precision);
  return { next: out.next, changed: out.changed, applied, appliedEvents: [], problems };
}
