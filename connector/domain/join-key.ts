/**
 * The join key: the first configured identifier present on the pass. It is how an event finds its
 * one CRM record, so it must be stable; `normalizeEmail` trims and lowercases it.
 */

export interface JoinKeyRule {
  identifiers: readonly string[];
  normalizeEmail?: boolean;
}

export type JoinKeyResult = { ok: true; field: string; value: string } | { ok: false; reason: string };

const MAX_KEY_LENGTH = 256;

export function resolveJoinKey(
  identifiers: Record<string, string | number | boolean>,
  rule: JoinKeyRule,
): JoinKeyResult {
  for (const field of rule.identifiers) {
    if (!Object.prototype.hasOwnProperty.call(identifiers, field)) continue;
    const raw = identifiers[field];
    if (typeof raw === 'boolean') continue;
    let value = String(raw).trim();
    if (rule.normalizeEmail) value = value.toLowerCase();
    if (value === '') continue;
    if (value.length > MAX_KEY_LENGTH) {
      return { ok: false, reason: `identifier "${field}" is longer than ${MAX_KEY_LENGTH} characters` };
    }
    return { ok: true, field, value };
  }
  return {
    ok: false,
    reason: `no join key: none of the identifiers [${rule.identifiers.join(', ')}] is present and non-empty`,
  };
}
