/** docs/configuration.md is generated (cli/config/generate.ts; definitions-schema.test.ts checks it is current). */
import { renderReferenceMarkdown } from '../../cli/config/reference-markdown';
import { configSchema, deref, type JsonSchema } from '../../cli/config/schema';

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
  test('every key of the schema is documented with its description', () => {
    const markdown = renderReferenceMarkdown();
    for (const key of allKeys(configSchema, new Set())) expect(markdown).toContain(`| \`${key}\` |`);
    expect(markdown).toContain(
      '| `oauth2` with grant "jwt_bearer" | `grant`, `tokenUrl`, `clientIdSecret`, `privateKeySecret`, `subject`, `audience` |',
    );
    expect(markdown).toContain('| `tokenSecret` |');
  });

  test('each destination type has its section, from its definition', () => {
    const markdown = renderReferenceMarkdown();
    expect(markdown).toContain('### `salesforce`: Salesforce');
    expect(markdown).toContain(
      '| `externalIdField` | string | yes |  | the External ID field that holds the join key (e.g. Customer_Id__c) |',
    );
  });
});
