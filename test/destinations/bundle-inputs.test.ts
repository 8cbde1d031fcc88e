/**
 * The upload bundle carries the runtime part of a destination only: no description (`describe*.ts`
 * in connector/destinations: tenant-file docs, setup steps, test-auth, setup-crm code) and nothing
 * of cli/. Checked twice: on the real bundle of tenants/example.json (the sources its map names),
 * and on the import graph of the tenant entry of every destination type (esbuild's metafile), which
 * also sees a module that tree-shaking would have dropped this time.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { buildTenant } from '../../cli/commands/build';
import { loadTenantFile } from '../../cli/config/load';
import { renderTenantEntry } from '../../cli/tenant-entry';
import { destinationDefinitions } from '../../connector/destinations/registry';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

const root = resolve(__dirname, '../..');

/** CLI-only: a description file of connector/destinations, or anything in cli/ (paths from the root). */
function cliOnly(path: string): boolean {
  return /^cli\//.test(path) || /^connector\/destinations\/(.+\/)?describe[^/]*\.ts$/.test(path);
}

/** The description files on disk: the check below means something only if the rule matches them. */
function describeFiles(): string[] {
  const dir = join(root, 'connector/destinations');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => `connector/destinations/${f.split('\\').join('/')}`)
    .filter(cliOnly)
    .sort();
}

test('every destination type has a description file, and the rule recognises each', () => {
  const found = describeFiles();
  expect(found).toContain('connector/destinations/describe.ts');
  for (const type of Object.keys(destinationDefinitions))
    expect(found).toContain(`connector/destinations/${type}/describe.ts`);
  expect(cliOnly('connector/destinations/hubspot/describe-setup.ts')).toBe(true);
  expect(cliOnly('connector/destinations/hubspot/definition.ts')).toBe(false);
});

test('the bundle of tenants/example.json holds no CLI-only module', async () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'twc-inputs-'));
  const built = await buildTenant(loadTenantFile(join(root, 'tenants/example.json')), outRoot);
  const map = JSON.parse(readFileSync(`${built.file}.map`, 'utf8')) as { sources: string[] };
  const sources = map.sources.map((s) => relative(root, resolve(join(built.file, '..'), s)));
  // The destination's runtime part is there (so the sources are read right), its description is not.
  expect(sources).toContain('connector/destinations/http/definition.ts');
  expect(sources.filter(cliOnly)).toEqual([]);
}, 120000);

test.each(Object.keys(destinationDefinitions))(
  'the tenant entry of a %s destination imports no CLI-only module',
  async (type) => {
    const tenant = { tenantId: 't', destinations: [{ type }] } as unknown as TenantConfig;
    const result = await esbuild.build({
      stdin: { contents: renderTenantEntry(tenant), resolveDir: root, loader: 'ts' },
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      packages: 'external',
      external: ['twc:tenant-config', 'neo/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain(`connector/destinations/${type}/definition.ts`);
    expect(inputs.filter(cliOnly)).toEqual([]);
  },
);
