/** docs/configuration.md is generated from configSchema and must be current. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { renderReferenceMarkdown } from '../../cli/config/reference-markdown';
import { configSchema, deref, type JsonSchema } from '../../cli/config/schema';

const root = join(__dirname, '../..');

function allKeys(schema: JsonSchema, out: Set<string>): Set<string> {
  const s = deref(schema);
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    out.add(key);
    allKeys(child, out);
  }
  if (s.items) allKeys(s.items, out);
  return out;
}

describe('configuration reference', () => {
  test('docs/configuration.md is up to date (npx tsx cli/config/reference.ts --write regenerates it)', () => {
    // Prettier (which formats the Markdown) needs ESM dynamic import, which Jest's CJS runtime lacks: run it as the CLI does.
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'cli/config/reference.ts', '--check'], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  test('every key of the schema is documented with its description', () => {
    const markdown = renderReferenceMarkdown();
    for (const key of allKeys(configSchema, new Set())) expect(markdown).toContain(`| \`${key}\` |`);
    expect(markdown).toContain(
      '| `oauth2` with grant "jwt_bearer" | `grant`, `tokenUrl`, `clientIdSecret`, `privateKeySecret`, `subject`, `audience` |',
    );
    expect(markdown).toContain('| `tokenSecret` |');
  });
});
