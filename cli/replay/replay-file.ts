/**
 * Replay files (docs/architecture.md §8): JSON Lines, one recorded hook call a line. Every line is checked before
 * any call is made, so a bad file replays nothing and names the line and the fix.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../exit-codes';

export type HookName = 'OnPassInstalled' | 'OnPassUninstalled';

export interface RecordedCall {
  line: number;
  hook: HookName;
  at: string | null;
  args: unknown[];
}

export function parseReplay(text: string, source = 'replay'): RecordedCall[] {
  const calls: RecordedCall[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`${source}:${line}: not valid JSON (${(error as Error).message})`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new UsageError(`${source}:${line}: each line must be an object {"hook", "at", "args"}`);
    }
    const call = json as Record<string, unknown>;
    if (call.hook !== 'OnPassInstalled' && call.hook !== 'OnPassUninstalled') {
      throw new UsageError(`${source}:${line}: "hook" must be "OnPassInstalled" or "OnPassUninstalled"`);
    }
    if (!Array.isArray(call.args))
      throw new UsageError(`${source}:${line}: "args" must be the array of the hook's positional arguments`);
    if (call.at !== undefined && (typeof call.at !== 'string' || isNaN(Date.parse(call.at)))) {
      throw new UsageError(`${source}:${line}: "at" must be an ISO 8601 time`);
    }
    calls.push({ line, hook: call.hook, at: typeof call.at === 'string' ? call.at : null, args: call.args });
  });
  return calls;
}

export function readReplayFile(path: string): RecordedCall[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`replay file not found or unreadable: ${path}`);
  }
  const calls = parseReplay(text, path);
  if (calls.length === 0) throw new UsageError(`replay file ${path} holds no calls`);
  return calls;
}
