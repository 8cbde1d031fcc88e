/**
 * A wallet event as enrich makes it, with both registration counts: for the pure reducer tests that
 * build histories themselves.
 */
import type { EventKind, Wallet, WalletEvent } from '../../connector/domain/types';

export interface CountedEvent {
  customer: string;
  passId: string;
  wallet: Wallet;
  kind: EventKind;
  total: number;
  active: number;
}

export function countedWalletEvent(e: CountedEvent, atMs: number): WalletEvent {
  const installed = e.kind === 'installed';
  return {
    hook: installed ? 'OnPassInstalled' : 'OnPassUninstalled',
    name: installed ? 'Pass:Installed' : 'Pass:Uninstalled',
    kind: e.kind,
    passId: e.passId,
    passType: 'loyalty',
    wallet: e.wallet,
    identifiers: { customerId: e.customer },
    joinKey: e.customer,
    joinKeyField: 'customerId',
    receivedAt: new Date(atMs).toISOString(),
    receivedAtMs: atMs,
    registration: { active: e.active, total: e.total },
    orderKey: { kind: 'counts', total: e.total, active: e.active, atMs },
    source: { tags: [], medium: null, origin: null, userAgent: null, utm: {} },
    idempotencyKey: [e.kind, e.passId, e.wallet, e.total, e.active].join('|'),
  };
}
