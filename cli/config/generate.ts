/**
 * Generates, from the destination descriptions (cli/config/destinations.ts) and the shared
 * schema parts (tenant-schema.ts):
 *   - connector.manifest.json's configSchema (what validation and the platform read),
 *   - connector/config/tenant-config.generated.ts (the config type),
 *   - docs/configuration.md (the reference).
 * `npx tsx cli/config/generate.ts` writes them; `--check` exits 1 naming any that is stale (tests
 * run it). Prettier formats all three, and cannot load inside Jest: hence a command.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import prettier from 'prettier';
import { renderReferenceMarkdown } from './reference-markdown';
import { configSchema, type JsonSchema } from './schema';

const root = join(__dirname, '../..');
const manifestPath = join(root, 'connector.manifest.json');
const typesPath = join(root, 'connector/config/tenant-config.generated.ts');
const referencePath = join(root, 'docs/configuration.md');

async function format(text: string, path: string, parser: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...options, parser });
}

async function renderManifest(schema: JsonSchema): Promise<string> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.configSchema = schema;
  return format(JSON.stringify(manifest, null, 2), manifestPath, 'json');
}

async function renderTypes(schema: JsonSchema): Promise<string> {
  const ts = await compile(schema as JSONSchema, 'TenantConfig', {
    bannerComment:
      '/* Generated from the destination definitions by cli/config/generate.ts (via connector.manifest.json configSchema): do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true },
  });
  return format(ts, typesPath, 'typescript');
}

function renderReference(): Promise<string> {
  return format(renderReferenceMarkdown(), referencePath, 'markdown');
}

function current(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const schema = configSchema;
  const outputs: Array<[string, () => Promise<string>]> = [
    [manifestPath, () => renderManifest(schema)],
    [typesPath, () => renderTypes(schema)],
    [referencePath, renderReference],
  ];
  const stale: string[] = [];
  for (const [path, render] of outputs) {
    const text = await render();
    if (text === current(path)) continue;
    if (check) stale.push(path.slice(root.length + 1));
    else writeFileSync(path, text);
  }
  if (stale.length > 0) {
    console.error(`stale: ${stale.join(', ')}: run npx tsx cli/config/generate.ts`);
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
