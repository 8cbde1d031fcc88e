/**
 * The join of two walletSyncStates: what a record must hold once two writers that read the same old
 * record each added their own events (issue #11, racing writers). Per (pass, wallet) the tally is a
 * floor plus the distinct events above it, so the join is the higher floor (by order key) and the
 * union of the events above it, each event once (its earliest receipt). Installed and start are then
 * derived again from the tally, as the reducer does.
 *
 * For count-keyed tallies (the platform sends registration counts) this is a join in the lattice
 * sense: commutative, associative and idempotent, so writers that merge in any order, any number of
 * times, converge (test/domain/merge-state.property.test.ts). Two limits, as for the reducer itself:
 * a wallet known only by receipt times (no counts) keeps the newer of the two entries, and a union
 * past MAX_SEEN_EVENTS is folded into the floor (the oldest events), which keeps the status but not
 * every law.
 */
import { compareOrderKeys, keyOf } from './order-key';
import { derive } from './registration-tally';
import {
  emptySyncState,
  foldOldest,
  hasPass,
  MAX_SEEN_EVENTS,
  WALLETS,
  type PassState,
  type PassWalletState,
  type SeenEvent,
  type SyncState,
  type TallyFloor,
} from './sync-state';
import type { RegistrationCountsReading } from './types';

/** null first, then numbers ascending: a total order on a floor's stored values. */
function compareValues(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Higher order key wins; equal keys (two receipts of one point) keep the earliest receipt. */
function compareFloors(a: TallyFloor, b: TallyFloor): number {
  const byKey = compareOrderKeys(keyOf(a.total, a.active, a.atMs), keyOf(b.total, b.active, b.atMs));
  if (byKey !== 0) return byKey;
  if (a.atMs !== b.atMs) return a.atMs < b.atMs ? 1 : -1;
  const byNet = compareValues(a.net, b.net);
  return byNet !== 0 ? byNet : compareValues(a.sinceMs, b.sinceMs);
}

function aboveFloor(e: SeenEvent, floor: TallyFloor | null): boolean {
  return (
    floor === null ||
    compareOrderKeys(keyOf(e.total, e.active, e.atMs), keyOf(floor.total, floor.active, floor.atMs)) > 0
  );
}

/** Order key ascending (total up, then active down): the order of a tally's seen events. */
function compareSeen(a: SeenEvent, b: SeenEvent): number {
  if (a.total !== b.total) return a.total < b.total ? -1 : 1;
  return a.active === b.active ? 0 : a.active > b.active ? -1 : 1;
}

/** Both lists' events above the floor, each pair once at its earliest receipt. */
function unionSeen(a: SeenEvent[], b: SeenEvent[], floor: TallyFloor | null): SeenEvent[] {
  const all = a.concat(b).filter((e) => aboveFloor(e, floor));
  all.sort(
    (x, y) =>
      compareSeen(x, y) || x.atMs - y.atMs || (x.installed === y.installed ? 0 : x.installed ? -1 : 1),
  );
  const out: SeenEvent[] = [];
  for (const e of all) {
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (!last || compareSeen(last, e) !== 0) out.push(e);
  }
  return out;
}

function isTimed(s: PassWalletState): boolean {
  return s.floor !== null && (s.floor.total === null || s.floor.active === null);
}

/** The newer of two entries by receipt, ties broken on the derived values: a total order. */
function newer(a: PassWalletState, b: PassWalletState): PassWalletState {
  if (a.atMs !== b.atMs) return a.atMs > b.atMs ? a : b;
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}

export function mergeWallet(
  a: PassWalletState | undefined,
  b: PassWalletState | undefined,
  reading: RegistrationCountsReading,
): PassWalletState | undefined {
  if (!a || !b) return a || b;
  if (isTimed(a) || isTimed(b)) return newer(a, b);
  const floor =
    a.floor && b.floor ? (compareFloors(a.floor, b.floor) >= 0 ? a.floor : b.floor) : a.floor || b.floor;
  let merged: PassWalletState = {
    installed: false,
    sinceMs: null,
    atMs: Math.max(a.atMs, b.atMs),
    floor,
    seen: unionSeen(a.seen, b.seen, floor),
  };
  if (merged.seen.length > MAX_SEEN_EVENTS) merged = foldOldest(merged, merged.seen.length - MAX_SEEN_EVENTS);
  const d = derive(merged, reading);
  return {
    installed: d.installed,
    sinceMs: d.sinceMs,
    atMs: merged.atMs,
    floor: merged.floor,
    seen: merged.seen,
  };
}

/** The join of two sync states (see above). Pure; neither input is changed. */
export function mergeStates(
  a: SyncState,
  b: SyncState,
  reading: RegistrationCountsReading = 'auto',
): SyncState {
  const out = emptySyncState();
  const ids = Object.keys(a.passes).concat(Object.keys(b.passes).filter((id) => !hasPass(a, id)));
  for (const id of ids) {
    const pa: PassState = hasPass(a, id) ? (a.passes[id] as PassState) : {};
    const pb: PassState = hasPass(b, id) ? (b.passes[id] as PassState) : {};
    const pass: PassState = {};
    for (const w of WALLETS) {
      const merged = mergeWallet(pa[w], pb[w], reading);
      if (merged) pass[w] = merged;
    }
    out.passes[id] = pass;
  }
  return out;
}
