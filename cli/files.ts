/** Reading the JSON files the commands take, with errors that say which file and what is wrong. */
import { readFileSync } from 'node:fs';
import { UsageError } from './exit-codes';

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${what} file not found or unreadable: ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A secrets file is a JSON object of secret name -> string value (DESIGN §8). */
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
