/**
 * The destination definitions are the source of the config schema: connector.manifest.json, the
 * config type and docs/configuration.md are generated from them (cli/config/generate.ts). These
 * tests fail when a definition and the generated schema disagree.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import manifest from '../../connector.manifest.json';
import { buildConfigSchema } from '../../cli/config/build-schema';
import { TYPE_KEYS } from '../../cli/config/semantic';
import { validateTenantConfig } from '../../cli/config/validate';
import { destinationDescriptions } from '../../cli/config/destinations';
import { destinationDefinitions } from '../../connector/destinations/registry';
import type { DestinationDescription } from '../../connector/destinations/describe';
import { httpDescription } from '../../connector/destinations/http/describe';

const root = join(__dirname, '../..');
type Schema = {
  properties: Record<string, Record<string, unknown>>;
  allOf: Array<{ if: { properties: { type: { const: string } } }; then: { required: string[] } }>;
};
const destinationSchema = (schema: unknown): Schema =>
  (schema as { definitions: { destination: Schema } }).definitions.destination;

describe('destination definitions and the generated schema', () => {
  test('every runtime definition has its description, built on that very definition', () => {
    expect(Object.keys(destinationDescriptions)).toEqual(Object.keys(destinationDefinitions));
    for (const [type, definition] of Object.entries(destinationDefinitions)) {
      const description = destinationDescriptions[type] as DestinationDescription;
      // Same runtime part: the description adds to the definition, it never overrides it.
      for (const key of Object.keys(definition) as Array<keyof typeof definition>)
        expect([type, key, description[key]]).toEqual([type, key, definition[key]]);
    }
  });

  test('the manifest configSchema is exactly what the definitions generate', () => {
    expect(manifest.configSchema).toEqual(buildConfigSchema(destinationDescriptions));
  });

  test('manifest, config type and docs/configuration.md are current (npx tsx cli/config/generate.ts)', () => {
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'cli/config/generate.ts', '--check'], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  const manifestDestination = destinationSchema(manifest.configSchema);
  describe.each(Object.values(destinationDescriptions).map((d) => [d.type, d] as const))(
    '%s',
    (type, definition) => {
      test('is a type of the manifest schema', () => {
        expect(manifestDestination.properties.type?.enum).toContain(type);
      });

      test.each(Object.entries(definition.fields))(
        'its key %s is in the manifest with its shape',
        (key, field) => {
          const { description, default: _default, ...shape } = field.schema;
          expect(manifestDestination.properties[key]).toMatchObject(shape);
          expect(manifestDestination.properties[key]?.description).toContain(description.replace(/\.$/, ''));
          expect(TYPE_KEYS[key]).toContain(type);
        },
      );

      test('the manifest requires exactly its required keys', () => {
        const required = Object.keys(definition.fields).filter((k) => definition.fields[k]?.required);
        const condition = manifestDestination.allOf.find((c) => c.if.properties.type.const === type);
        expect(condition ? condition.then.required : []).toEqual(required);
      });
    },
  );

  test('a key no definition declares is not in the manifest', () => {
    const declared = new Set(Object.values(destinationDescriptions).flatMap((d) => Object.keys(d.fields)));
    const shared = Object.keys(buildConfigSchema({}).definitions?.destination?.properties ?? {});
    for (const key of Object.keys(manifestDestination.properties)) {
      expect(declared.has(key) || shared.includes(key)).toBe(true);
    }
  });

  describe('a new or changed definition shows as a disagreement', () => {
    const crm: DestinationDescription = {
      ...(httpDescription as DestinationDescription),
      type: 'http',
      fields: {
        ...httpDescription.fields,
        listId: {
          required: true,
          schema: { type: 'string', minLength: 1, description: 'the list to add to' },
        },
      },
    };
    const withNew = { ...destinationDescriptions, http: crm };

    test('the generated schema then differs from the manifest, naming the key', () => {
      const generated = destinationSchema(buildConfigSchema(withNew));
      expect(generated.properties.listId).toEqual({
        type: 'string',
        minLength: 1,
        description: 'http: the list to add to.',
      });
      expect(manifest.configSchema).not.toEqual(buildConfigSchema(withNew));
    });

    test('two types declaring one key with different shapes is refused, naming both', () => {
      const clash: DestinationDescription = {
        ...crm,
        fields: { objectType: { schema: { type: 'integer', description: 'a number' } } },
      };
      expect(() => buildConfigSchema({ ...destinationDescriptions, http: clash })).toThrow(
        /"objectType": types "salesforce" and "http" declare different schemas/,
      );
    });
  });

  test('validation refuses a key of another type, from the definitions', () => {
    const result = validateTenantConfig({
      tenantId: 'acme',
      joinKey: { identifiers: ['customerId'] },
      destinations: [
        {
          id: 'braze',
          type: 'braze',
          baseUrl: 'https://rest.iad-01.braze.com',
          auth: { scheme: 'bearer', tokenSecret: 'braze-key' },
          objectType: 'Contact',
        },
      ],
    });
    expect(result.ok ? [] : result.errors).toEqual([
      {
        path: 'destinations[0].objectType',
        message: 'is not read by type "braze" (only by "salesforce", "dynamics")',
        fix: `remove "objectType", or check the destination's "type"`,
      },
    ]);
  });
});
