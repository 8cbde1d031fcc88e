/**
 * Writes docs/configuration.md from configSchema (see reference-markdown.ts). `--write` regenerates
 * it; `--check` exits 1 when it is stale, which a test runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import prettier from 'prettier';
import { renderReferenceMarkdown } from './reference-markdown';

export const referencePath = join(__dirname, '../../docs/configuration.md');

export async function renderReference(): Promise<string> {
  const options = (await prettier.resolveConfig(referencePath)) ?? {};
  return prettier.format(renderReferenceMarkdown(), { ...options, parser: 'markdown' });
}

async function main(): Promise<void> {
  const text = await renderReference();
  if (process.argv.includes('--write')) {
    writeFileSync(referencePath, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(referencePath, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('docs/configuration.md is stale: run npx tsx cli/config/reference.ts --write');
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
