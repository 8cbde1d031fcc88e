/** Loading a tenant file: every failure is one ConfigValidationError whose message lists the issues. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadTenantFile } from '../../cli/config/load';
import { validTenant } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'twc-config-'));

function fileWith(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failure(path: string): ConfigValidationError {
  try {
    loadTenantFile(path);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected loadTenantFile to throw');
}

describe('loadTenantFile', () => {
  test('returns the validated config with defaults', () => {
    const config = loadTenantFile(fileWith('ok.json', JSON.stringify(validTenant(), null, 2)));
    expect(config).toMatchObject({ tenantId: 'acme', logLevel: 'info', destinations: [{ method: 'POST' }] });
  });

  test('a BOM at the start is accepted', () => {
    expect(loadTenantFile(fileWith('bom.json', `\ufeff${JSON.stringify(validTenant())}`)).tenantId).toBe(
      'acme',
    );
  });

  test('a missing file', () => {
    const path = join(dir, 'nope.json');
    const error = failure(path);
    expect(error.issues).toEqual([
      {
        path: '(file)',
        message: 'no such file',
        fix: 'pass the path of a tenant file, e.g. --tenant tenants/example.json',
      },
    ]);
    expect(error.message).toBe(
      `${path}: 1 problem\n(file): no such file — pass the path of a tenant file, e.g. --tenant tenants/example.json`,
    );
  });

  test.each([
    [
      'trailing comma',
      '{\n  "tenantId": "acme",\n}\n',
      'not valid JSON at line 3, column 1',
      'JSON allows no trailing comma: remove the comma before it',
    ],
    [
      'missing comma',
      '{\n  "tenantId": "acme"\n  "joinKey": {}\n}\n',
      'not valid JSON at line 3, column 3',
      'check for a missing comma, quote, colon or bracket just before it',
    ],
    [
      'comment',
      '{\n  // acme\n}\n',
      'not valid JSON at line 2, column 3',
      'JSON has no comments: remove them',
    ],
    [
      'single quotes',
      "{ 'tenantId': 'acme' }",
      'not valid JSON at line 1, column 3',
      'JSON strings use double quotes',
    ],
    [
      'unquoted value',
      '{ "tenantId": acme }',
      'not valid JSON at line 1, column 15',
      'a key or text value is missing its double quotes',
    ],
    [
      'cut short',
      '{ "tenantId": "acme"',
      'not valid JSON at line 1, column 21',
      'the file ends early: close every open {, [ and "',
    ],
    [
      'empty',
      '',
      'not valid JSON at line 1, column 1',
      'the file is empty: a tenant file is one JSON object',
    ],
  ])('invalid JSON (%s) gives line and column', (name, text, message, fix) => {
    expect(failure(fileWith(`${name}.json`, text)).issues).toEqual([{ path: '(file)', message, fix }]);
  });

  test('a secret pasted unquoted is not quoted back by the JSON error', () => {
    // Built at run time so no credential-shaped literal is stored in the repository.
    const token = ['pat', 'na1', '0f3b5c7d', '1e2a', '4b6c', '8d9e', 'a1b2c3d4e5f6'].join('-');
    const error = failure(fileWith('leak.json', `{ "tokenSecret": ${token} }`));
    expect(error.message).not.toContain(token.slice(4));
  });

  test('an invalid config: one issue a line, after a header naming the file', () => {
    const config = validTenant();
    delete config.tenantId;
    config.logLvl = 'debug';
    const path = fileWith('bad.json', JSON.stringify(config));
    const error = failure(path);
    expect(error.name).toBe('ConfigValidationError');
    expect(error.issues.map((i) => i.path)).toEqual(['logLvl', 'tenantId']);
    const lines = error.message.split('\n');
    expect(lines).toEqual([
      `${path}: 2 problems`,
      expect.stringMatching(/^logLvl: unknown key "logLvl" .* — did you mean "logLevel"\? rename the key$/),
      'tenantId: required — add "tenantId": "acme"',
    ]);
  });
});
