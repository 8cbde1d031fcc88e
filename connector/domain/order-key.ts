/**
 * Order of the events of one (pass, wallet) (docs/architecture.md §6).
 *
 * With both registration counts the key is (total, -active): every install raises the total and every
 * uninstall lowers the active count at the same total, so along the true history of a pass the key
 * strictly increases, whatever order the deliveries arrive in, and two deliveries of one platform
 * event have equal keys. When either side lacks counts, only the receive time is left to compare.
 */
import type { OrderKey, WalletEvent } from './types';

/** Negative when a is older than b, positive when newer, 0 when neither is newer (a duplicate). */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  if (a.kind === 'counts' && b.kind === 'counts') {
    if (a.total !== b.total) return a.total < b.total ? -1 : 1;
    // Same total: fewer active registrations is later, an uninstall happened in between.
    if (a.active !== b.active) return a.active > b.active ? -1 : 1;
    return 0;
  }
  if (a.atMs !== b.atMs) return a.atMs < b.atMs ? -1 : 1;
  return 0;
}

/** A registration count as the platform should send it: a non-negative integer. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && isFinite(value) && value >= 0 && Math.floor(value) === value;
}

/** The largest magnitude a Date accepts, so that every stored time can become an ISO string. */
const MAX_TIME_MS = 8.64e15;

/** An epoch time in milliseconds that `new Date(ms).toISOString()` accepts. */
export function isTimeMs(value: unknown): value is number {
  return typeof value === 'number' && isFinite(value) && Math.abs(value) <= MAX_TIME_MS;
}

/** The key the state compares with: counts only when both are valid counts, timed by the receipt. */
export function keyOf(total: number | null, active: number | null, atMs: number): OrderKey {
  if (isCount(total) && isCount(active)) return { kind: 'counts', total, active, atMs };
  return { kind: 'time', atMs };
}

/**
 * The event's key, rebuilt defensively from its order key: a malformed counts key is compared by time
 * rather than trusted, and the time is always the receipt time the state stores.
 */
export function eventKey(event: WalletEvent): OrderKey {
  const k = event.orderKey;
  return k && k.kind === 'counts'
    ? keyOf(k.total, k.active, event.receivedAtMs)
    : keyOf(null, null, event.receivedAtMs);
}
