/**
 * The canonical field names used as CRM property names, for CRMs whose attributes are free-form
 * (Braze, Klaviyo, any HTTP API). resolveDestination copies it before a tenant's renames apply.
 */
import type { CanonicalFieldName } from '../domain/types';

export const CANONICAL_PROPERTIES: Readonly<Record<CanonicalFieldName, string>> = Object.freeze({
  walletStatus: 'walletStatus',
  appleWalletInstalledAt: 'appleWalletInstalledAt',
  googleWalletInstalledAt: 'googleWalletInstalledAt',
  walletLastChangedAt: 'walletLastChangedAt',
  walletLastEvent: 'walletLastEvent',
  walletSyncState: 'walletSyncState',
});
