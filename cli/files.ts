/** Reading the JSON files the commands take, with errors that say which file and what is wrong. */
import { readFileSync } from 'node:fs';
import { firstJsonErrorOffset } from './config/json-position';
import { UsageError } from './exit-codes';

/**
 * Where the JSON breaks, as a line and column, and nothing of the text itself: V8's own message
 * quotes the text around the error, and in a secrets file that is a secret.
 */
function jsonPosition(text: string): string {
  const found = firstJsonErrorOffset(text);
  const before = text.slice(0, found < 0 ? text.length : found).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1] as string).length + 1}`;
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${what} file not found or unreadable: ${path}`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    throw new UsageError(
      `${what} file ${path} is not valid JSON (at ${jsonPosition(body)}): check quotes, commas and brackets there`,
    );
  }
}

/** A secrets file is a JSON object of secret name -> string value (docs/architecture.md §8). */
export function readSecretsFile(path: string | undefined): Record<string, string> {
  if (!path) return {};
  const json = readJsonFile(path, 'secrets');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError(`secrets file ${path} must be a JSON object of secret name -> value`);
  }
  const out: Record<string, string> = {};
  for (const name of Object.keys(json)) {
    const value = (json as Record<string, unknown>)[name];
    if (typeof value !== 'string')
      throw new UsageError(`secrets file ${path}: the value of "${name}" must be a string`);
    out[name] = value;
  }
  return out;
}
