/** How a dry run shows one customer's repair: canonical field, before -> after, one line. */
import { CANONICAL_FIELD_NAMES, type CanonicalFields } from '../../connector/domain/types';
import type { ReconcileDiff } from '../../connector/delivery/reconcile';

function shown(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '(empty)' : value;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export function fieldChanges(diff: ReconcileDiff): FieldChange[] {
  const before: Partial<CanonicalFields> = diff.before || {};
  const out: FieldChange[] = [];
  for (const field of CANONICAL_FIELD_NAMES) {
    const a = before[field] ?? null;
    const b = diff.after[field] ?? null;
    if (diff.before !== null && a === b) continue;
    if (diff.before === null && b === null) continue;
    out.push({ field, before: a, after: b });
  }
  return out;
}

/** The sync state is machine text: its change is named, not printed. */
export function formatDiff(destination: string, key: string, diff: ReconcileDiff): string {
  const parts = fieldChanges(diff).map((c) =>
    c.field === 'walletSyncState'
      ? 'walletSyncState rewritten'
      : `${c.field}: ${shown(c.before)} -> ${shown(c.after)}`,
  );
  const what = diff.before === null ? 'create' : 'repair';
  return `${what} ${key} @${destination}: ${parts.join('; ')}`;
}
