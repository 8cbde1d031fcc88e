/**
 * A malformed secrets file is refused without quoting it (issue 13): V8's JSON.parse messages quote
 * the text around the error, and in a secrets file that text is a secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecretsFile } from '../../cli/files';
import { UsageError } from '../../cli/exit-codes';

function secretsFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'twc-secrets-')), 'secrets.json');
  writeFileSync(path, text);
  return path;
}

function refusal(path: string): Error {
  try {
    readSecretsFile(path);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the secrets file to be refused');
}

describe('a malformed secrets file', () => {
  const value = `sk_${randomBytes(16).toString('hex')}`;

  it.each([
    ['an unquoted value', `{\n  "crm-key": ${value}\n}`, 'line 2, column 14'],
    ['a single-quoted value', `{ "crm-key": '${value}' }`, 'line 1, column 14'],
    ['a missing comma', `{ "a": "${value}" "b": "${value}" }`, 'line 1, column'],
    ['a cut-off file', `{ "crm-key": "${value}`, 'line 1, column'],
  ])('with %s is refused by position, never by its content', (_what, text, position) => {
    const error = refusal(secretsFile(text));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('is not valid JSON');
    expect(error.message).toContain(position);
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain(value.slice(0, 8));
  });
});
