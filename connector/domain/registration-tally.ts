/**
 * The registration tally of one (pass, wallet): which events were seen, and whether the wallet holds
 * the pass, whatever the scope of the platform's registration counts (see "How the status stays
 * exact" in the README).
 *
 * The platform does not say whether activeRegistrationCount / totalRegistrationCount count the event's
 * wallet or the whole pass on both wallets. Within either scope every true event has its own
 * (total, active) pair, and along one wallet's events the order key (total, -active) increases. So
 * each event is counted once, by its pair: the wallet holds the pass while the installs seen since
 * it last held none outnumber the uninstalls. The counts serve as a cross-check that holds under both
 * readings: active 0 means no registration is left anywhere, an install with active 1 means there was
 * none just before it, and a wallet whose newest event is an install holds the pass.
 *
 * A tenant that knows the scope may trust it (`registrationCounts`):
 * - perWallet: the wallet holds the pass while its newest event's active count is above zero.
 * - perPass: as auto, and a point where the pass had no registration also empties the other wallet.
 * Both then heal after a lost event as soon as a later event shows the truth; auto heals at the next
 * point where the wallet has no registration (or at the Pass API backfill).
 */
import type { OrderKey, RegistrationCountsReading } from './types';
import { compareOrderKeys, keyOf } from './order-key';
import {
  foldOldest,
  MAX_SEEN_EVENTS,
  type PassWalletState,
  type SeenEvent,
  type TallyFloor,
} from './sync-state';

/** An event as the tally sees it. */
export interface TallyEvent {
  installed: boolean;
  key: OrderKey;
  /** An active count sent without a total (no order key from it, but it says how many remain). */
  reportedActive: number | null;
}

function floorKey(f: TallyFloor): OrderKey {
  return keyOf(f.total, f.active, f.atMs);
}

function aboveFloor(key: OrderKey, floor: TallyFloor | null): boolean {
  return floor === null || compareOrderKeys(key, floorKey(floor)) > 0;
}

/**
 * Where the wallet is known to hold no registration, whatever the scope: right after an event with
 * no active registration, or right before an install with one (the state it left, (total - 1, 0)).
 */
export function emptyPointOf(e: TallyEvent): TallyFloor | null {
  const k = e.key;
  if (k.kind !== 'counts') return null;
  if (k.active === 0) return { total: k.total, active: 0, atMs: k.atMs, net: 0, sinceMs: null };
  if (e.installed && k.active === 1 && k.total > 0)
    return { total: k.total - 1, active: 0, atMs: k.atMs, net: 0, sinceMs: null };
  return null;
}

/** The state with its floor raised to `point` (when higher) and the events at or below it forgotten. */
export function raiseFloor(s: PassWalletState, point: TallyFloor): PassWalletState {
  if (s.floor && !aboveFloor(floorKey(point), s.floor)) return s;
  const kept = s.seen.filter((e) => aboveFloor(keyOf(e.total, e.active, e.atMs), point));
  return { installed: s.installed, sinceMs: s.sinceMs, atMs: s.atMs, floor: point, seen: kept };
}

function seenIndex(seen: SeenEvent[], total: number, active: number): number {
  for (let i = 0; i < seen.length; i++) {
    const e = seen[i] as SeenEvent;
    if (e.total === total && e.active === active) return i;
  }
  return -1;
}

function insertSeen(seen: SeenEvent[], e: SeenEvent): SeenEvent[] {
  const out: SeenEvent[] = [];
  let placed = false;
  for (const x of seen) {
    const newer = e.total < x.total || (e.total === x.total && e.active > x.active);
    if (!placed && newer) {
      out.push(e);
      placed = true;
    }
    out.push(x);
  }
  if (!placed) out.push(e);
  return out;
}

/** The wallet's registrations as counted: the floor's, plus the installs, minus the uninstalls above it. */
export function countedRegistrations(s: PassWalletState): number {
  let net = s.floor ? s.floor.net : 0;
  for (const e of s.seen) net += e.installed ? 1 : -1;
  return net;
}

/** installed and sinceMs as the tally shows them under the tenant's reading of the counts. */
export function derive(
  s: PassWalletState,
  reading: RegistrationCountsReading,
): { installed: boolean; sinceMs: number | null } {
  const floor = s.floor;
  let net = floor ? floor.net : 0;
  let since = floor && floor.net > 0 ? floor.sinceMs : null;
  let lastInstallAt: number | null = null;
  for (const e of s.seen) {
    if (e.installed) {
      // The install that took the wallet from none to one registration began the stretch.
      if (net <= 0) since = e.atMs;
      net++;
      lastInstallAt = e.atMs;
    } else {
      net--;
      if (net <= 0) since = null;
    }
  }
  const newest = s.seen.length > 0 ? (s.seen[s.seen.length - 1] as SeenEvent) : null;
  let installed: boolean;
  if (newest === null)
    installed = reading === 'perWallet' && floor && floor.active !== null ? floor.active > 0 : net > 0;
  else if (reading === 'perWallet') installed = newest.active > 0;
  else installed = newest.active > 0 && (newest.installed || net > 0);
  if (!installed) return { installed: false, sinceMs: null };
  // Until the install that began the stretch arrives, the newest install seen (or what the floor
  // knew, or when the stretch was first seen) stands in.
  let start = since;
  if (start === null) start = lastInstallAt;
  if (start === null && floor) start = floor.sinceMs;
  if (start === null) start = s.atMs;
  return { installed: true, sinceMs: start };
}

function withDerived(s: PassWalletState, reading: RegistrationCountsReading): PassWalletState {
  const d = derive(s, reading);
  return { installed: d.installed, sinceMs: d.sinceMs, atMs: s.atMs, floor: s.floor, seen: s.seen };
}

/** An event without counts: receipt order decides, as it always did; it becomes the new floor. */
function applyTimed(
  s: PassWalletState | undefined,
  e: TallyEvent,
  reading: RegistrationCountsReading,
): PassWalletState | null {
  if (s && e.key.atMs <= s.atMs) return null;
  const net = e.reportedActive !== null ? e.reportedActive : e.installed ? 1 : 0;
  const wasSince = s && s.installed ? s.sinceMs : null;
  const since = net > 0 ? (wasSince !== null ? wasSince : e.key.atMs) : null;
  const floor: TallyFloor = { total: null, active: null, atMs: e.key.atMs, net, sinceMs: since };
  return withDerived({ installed: false, sinceMs: null, atMs: e.key.atMs, floor, seen: [] }, reading);
}

/**
 * The next state of one (pass, wallet) after the event, or null when it changes nothing (a duplicate,
 * or older than what the floor already covers). Pure; any order of the same events gives the same
 * tally, so the same status.
 */
export function applyToTally(
  s: PassWalletState | undefined,
  e: TallyEvent,
  reading: RegistrationCountsReading,
): PassWalletState | null {
  const k = e.key;
  if (k.kind !== 'counts') return applyTimed(s, e, reading);
  if (s && !aboveFloor(k, s.floor)) return null;
  const atMs = s ? Math.max(s.atMs, k.atMs) : k.atMs;
  let next: PassWalletState;
  const at = s ? seenIndex(s.seen, k.total, k.active) : -1;
  if (s && at >= 0) {
    const held = s.seen[at] as SeenEvent;
    // A copy of an event already counted: it only matters when it was received earlier (an earlier
    // receipt of the install that began the stretch).
    if (held.installed !== e.installed || k.atMs >= held.atMs) return null;
    const seen = s.seen.slice();
    seen[at] = { installed: held.installed, total: held.total, active: held.active, atMs: k.atMs };
    next = { installed: s.installed, sinceMs: s.sinceMs, atMs, floor: s.floor, seen };
  } else {
    const event: SeenEvent = { installed: e.installed, total: k.total, active: k.active, atMs: k.atMs };
    next = {
      installed: false,
      sinceMs: null,
      atMs,
      floor: s ? s.floor : null,
      seen: insertSeen(s ? s.seen : [], event),
    };
    const empty = emptyPointOf(e);
    if (empty) next = raiseFloor(next, empty);
  }
  if (next.seen.length > MAX_SEEN_EVENTS) next = foldOldest(next, next.seen.length - MAX_SEEN_EVENTS);
  return withDerived(next, reading);
}

/**
 * perPass only: a point where the whole pass had no registration empties the other wallet too. Null
 * when it changes nothing there (no entry, or its floor is already as high).
 */
export function applyPassEmptyPoint(
  s: PassWalletState | undefined,
  point: TallyFloor,
  reading: RegistrationCountsReading,
): PassWalletState | null {
  if (!s || (s.floor && !aboveFloor(floorKey(point), s.floor))) return null;
  return withDerived(raiseFloor(s, point), reading);
}
