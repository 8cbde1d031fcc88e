/**
 * SOQL text for the batch read: `SELECT ... FROM <object> WHERE <ext> IN ('a','b')`. Join keys come
 * from pass identifiers, i.e. from outside: every value is escaped as a SOQL string literal, and
 * object and field names (from the tenant file) must be plain API names, so nothing can change the
 * query's shape.
 */

/** Salesforce API names: letters, digits, underscores (custom ones end in __c). */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Salesforce documents a 4,000-character limit on a WHERE clause (and 16,384 bytes on a REST URI);
 * staying under 3,500 characters of IN list keeps every query far from both once URL-encoded.
 */
export const MAX_IN_LIST_CHARS = 3500;

export function isApiName(name: string): boolean {
  return API_NAME.test(name);
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal, quotes included. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] as string)}'`;
}

/** Splits keys into groups whose quoted IN lists stay under maxChars each. */
export function chunkByLength(keys: string[], maxChars: number = MAX_IN_LIST_CHARS): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (let i = 0; i < keys.length; i++) {
    const literal = soqlString(keys[i] as string).length + 1;
    if (current.length > 0 && length + literal > maxChars) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(keys[i] as string);
    length += literal;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function selectByKeys(object: string, keyField: string, fields: string[], keys: string[]): string {
  const list: string[] = [];
  for (let i = 0; i < keys.length; i++) list.push(soqlString(keys[i] as string));
  return `SELECT ${fields.join(', ')} FROM ${object} WHERE ${keyField} IN (${list.join(',')})`;
}
