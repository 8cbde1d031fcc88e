/**
 * Canonical fields <-> CRM fields. CRMs store strings (HubSpot sends every value as a string), so
 * the CRM side is string | null; reading back is tolerant of numbers and missing values.
 */
import {
  CANONICAL_FIELD_NAMES,
  type CanonicalFieldName,
  type CanonicalFields,
  type WalletStatus,
} from './types';

const STATUSES: readonly string[] = ['none', 'apple', 'google', 'both'];

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && isFinite(value)) return String(value);
  return null;
}

/** An ISO timestamp as stored by a CRM: ISO text, or epoch milliseconds (HubSpot datetime). */
function asTime(value: unknown): string | null {
  const text = asText(value);
  if (text === null) return null;
  const ms = /^\d{10,}$/.test(text) ? Number(text) : Date.parse(text);
  return isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Reads a CRM record (CRM names) into canonical fields; null when the record holds none of them. */
export function canonicalFromRecord(
  record: Record<string, unknown> | null,
  names: Record<CanonicalFieldName, string>,
): CanonicalFields | null {
  if (!record) return null;
  const get = (field: CanonicalFieldName): unknown => record[names[field]];
  const status = asText(get('walletStatus'));
  const lastEvent = asText(get('walletLastEvent'));
  return {
    walletStatus: status !== null && STATUSES.indexOf(status) >= 0 ? (status as WalletStatus) : 'none',
    appleWalletInstalledAt: asTime(get('appleWalletInstalledAt')),
    googleWalletInstalledAt: asTime(get('googleWalletInstalledAt')),
    walletLastChangedAt: asTime(get('walletLastChangedAt')),
    walletLastEvent: lastEvent === 'installed' || lastEvent === 'uninstalled' ? lastEvent : null,
    walletSyncState: asText(get('walletSyncState')) || '',
  };
}

/** The CRM fields (CRM names) whose canonical value differs between current and next. */
export function changedCrmFields(
  current: CanonicalFields | null,
  next: CanonicalFields,
  names: Record<CanonicalFieldName, string>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const field of CANONICAL_FIELD_NAMES) {
    const before = current ? current[field] : null;
    const after = next[field];
    if (current === null || before !== after) out[names[field]] = after === null ? null : String(after);
  }
  return out;
}

/** Every canonical field in CRM names (for full-record writes such as PUT). */
export function allCrmFields(
  next: CanonicalFields,
  names: Record<CanonicalFieldName, string>,
): Record<string, string | null> {
  return changedCrmFields(null, next, names);
}
