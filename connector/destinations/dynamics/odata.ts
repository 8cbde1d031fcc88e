/**
 * OData text for the Dataverse Web API: string literals, alternate-key addresses and the filtered
 * read. Join keys come from outside, so every value is quoted (a quote is doubled) and
 * percent-encoded; column and entity set names (from the tenant file) must be plain identifiers.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Dataverse accepts URLs up to 32 KB, but proxies and the 2,048-character limit some gateways keep
 * are lower: an encoded $filter of at most 1,800 characters stays under every one of them.
 */
export const MAX_FILTER_CHARS = 1800;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** `'o''brien'`: an OData string literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** encodeURIComponent keeps ' ( ) as they are, which is what an OData key segment needs. */
export function keySegment(entitySet: string, keyField: string, value: string): string {
  return `${entitySet}(${keyField}=${encodeURIComponent(odataString(value))})`;
}

function equalsClause(keyField: string, value: string): string {
  return encodeURIComponent(`${keyField} eq ${odataString(value)}`);
}

/** Groups keys so each encoded `$filter` (joined with " or ") stays under maxChars. */
export function chunkFilters(
  keyField: string,
  keys: string[],
  maxChars: number = MAX_FILTER_CHARS,
): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  const or = encodeURIComponent(' or ').length;
  for (let i = 0; i < keys.length; i++) {
    const size = equalsClause(keyField, keys[i] as string).length + or;
    if (current.length > 0 && length + size > maxChars) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(keys[i] as string);
    length += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * The read path with its query string built here, not by the sender: OData's system options start
 * with `$`, which they keep literally (the sender would encode it as %24).
 */
export function selectPath(
  base: string,
  keyField: string,
  columns: string[],
  keys: string[],
  top?: number,
): string {
  const filters: string[] = [];
  for (let i = 0; i < keys.length; i++) filters.push(equalsClause(keyField, keys[i] as string));
  const parts = [`$select=${columns.join(',')}`, `$filter=${filters.join(encodeURIComponent(' or '))}`];
  if (top !== undefined) parts.push(`$top=${top}`);
  return `${base}?${parts.join('&')}`;
}

/** The path (from /api/data/ on) of an absolute @odata.nextLink, so it goes through the sender. */
export function nextLinkPath(link: unknown): string | null {
  if (typeof link !== 'string') return null;
  const at = link.indexOf('/api/data/');
  return at < 0 ? null : link.slice(at);
}
