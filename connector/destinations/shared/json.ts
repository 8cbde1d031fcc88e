/**
 * Reading CRM answers, whose shape is never guaranteed: each helper answers a safe empty value
 * where the shape is not the expected one, so a destination reads `field(field(json, 'a'), 'b')`
 * without a chain of typeof checks.
 */
export type Json = Record<string, unknown>;

/** The value as a plain object, or null (arrays and primitives are not objects here). */
export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** One property of an object (or of an array, by name), or undefined. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Json)[key] : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string property, or '' when it is missing or not a string. */
export function str(value: unknown, key: string): string {
  const v = field(value, key);
  return typeof v === 'string' ? v : '';
}

/** A string property with some text in it, or undefined (for error readers: blank says nothing). */
export function said(value: unknown, key: string): string | undefined {
  const v = field(value, key);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

/** A vendor's text made safe for a reason: one line, at most `max` characters. */
export function short(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}
