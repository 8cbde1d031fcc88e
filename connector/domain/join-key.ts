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

/**
 * True when text holds a UTF-16 surrogate without its pair: not Unicode, so no CRM can store it and
 * encodeURIComponent throws on it. A loop, not a regular expression: the engine's lookbehind
 * support is unknown.
 */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return true;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

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
    if (hasLoneSurrogate(value)) {
      return {
        ok: false,
        reason: `identifier "${field}" is not valid Unicode (it holds a lone UTF-16 surrogate): fix the pass's identifier`,
      };
    }
    return { ok: true, field, value };
  }
  return {
    ok: false,
    reason: `no join key: none of the identifiers [${rule.identifiers.join(', ')}] is present and non-empty`,
  };
}
