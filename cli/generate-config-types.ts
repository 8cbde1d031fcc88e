/**
 * Generates connector/config/tenant-config.generated.ts from connector.manifest.json's configSchema,
 * so the TypeScript config type and the JSON Schema have one source. `--check` fails when stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import prettier from 'prettier';

const root = join(__dirname, '..');
export const generatedTypesPath = join(root, 'connector/config/tenant-config.generated.ts');

export async function renderConfigTypes(): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(root, 'connector.manifest.json'), 'utf8'));
  const ts = await compile(manifest.configSchema as JSONSchema, 'TenantConfig', {
    bannerComment:
      '/* Generated from connector.manifest.json configSchema by cli/generate-config-types.ts: do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true },
  });
  const options = (await prettier.resolveConfig(generatedTypesPath)) ?? {};
  return prettier.format(ts, { ...options, parser: 'typescript' });
}

async function main(): Promise<void> {
  const text = await renderConfigTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(generatedTypesPath, 'utf8');
    if (current !== text) {
      console.error(
        'connector/config/tenant-config.generated.ts is stale: run npx tsx cli/generate-config-types.ts',
      );
      process.exit(1);
    }
    return;
  }
  writeFileSync(generatedTypesPath, text);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
