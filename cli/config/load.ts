/**
 * Reading a tenant file from disk: every way it can be wrong (missing, not JSON, not valid) ends
 * in one ConfigValidationError whose message lists one issue a line, for CLI commands to print and
 * exit with code 2.
 */
import { readFileSync } from 'node:fs';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { formatIssues, type ConfigIssue } from './issues';
import { firstJsonErrorOffset } from './json-position';
import { validateTenantConfig } from './validate';

export { formatIssues } from './issues';
export type { ConfigIssue } from './issues';

export const FILE_PATH = '(file)';

export class ConfigValidationError extends Error {
  readonly issues: ConfigIssue[];
  readonly file: string;

  constructor(file: string, issues: ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${file}: ${count}\n${formatIssues(issues)}`);
    this.name = 'ConfigValidationError';
    this.file = file;
    this.issues = issues;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
}

/**
 * V8's own JSON messages quote the text around the error, which may be a secret, so they are not
 * shown: the position is found again and the likely cause described here.
 */
function jsonIssue(text: string): ConfigIssue {
  const found = firstJsonErrorOffset(text);
  const offset = found < 0 ? text.length : found;
  const { line, column } = lineAndColumn(text, offset);
  const rest = text.slice(offset);
  const previous = text.slice(0, offset).trimEnd().slice(-1);
  let cause = 'check for a missing comma, quote, colon or bracket just before it';
  if (text.trim() === '') cause = 'the file is empty: a tenant file is one JSON object';
  else if (offset >= text.length) cause = 'the file ends early: close every open {, [ and "';
  else if (rest.startsWith('//') || rest.startsWith('/*')) cause = 'JSON has no comments: remove them';
  else if (previous === ',' && /^\s*[}\]]/.test(rest))
    cause = 'JSON allows no trailing comma: remove the comma before it';
  else if (rest.startsWith("'")) cause = 'JSON strings use double quotes';
  else if (/^[A-Za-z_]/.test(rest) && !/^(true|false|null)\b/.test(rest))
    cause = 'a key or text value is missing its double quotes';
  return { path: FILE_PATH, message: `not valid JSON at line ${line}, column ${column}`, fix: cause };
}

/** Parses tenant-file text; `file` only names it in messages. */
export function parseTenantJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    throw new ConfigValidationError(file, [jsonIssue(body)]);
  }
}

export function loadTenantFile(path: string): TenantConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? 'error'})`;
    throw new ConfigValidationError(path, [
      { path: FILE_PATH, message, fix: 'pass the path of a tenant file, e.g. --tenant tenants/example.json' },
    ]);
  }
  const result = validateTenantConfig(parseTenantJson(text, path));
  if (!result.ok) throw new ConfigValidationError(path, result.errors);
  return result.config;
}
