/**
 * Builds the tenant configuration schema from the destination descriptions (cli/config/destinations.ts): the shared parts
 * (tenant-schema.ts), every destination type's own keys with their documentation, which type
 * requires which, and the auth keys with their owners. What validation enforces, the generated
 * config type and the reference all come from here, so a definition and the schema cannot disagree
 * (test/config/definitions-schema.test.ts).
 */
import type { DestinationDescription, FieldSchema } from '../../connector/destinations/describe';
import { AUTH_FIELDS, baseSchema, SECRET_NAME, SECRET_NAME_NOTE, type AuthOwner } from './tenant-schema';
import type { JsonSchema } from './schema';

type Definitions = Record<string, DestinationDescription>;

/** "oauth2 jwt_bearer" */
export function ownerText(owner: AuthOwner): string {
  return owner.grant ? `${owner.scheme} ${owner.grant}` : owner.scheme;
}

function authProperties(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [key, field] of Object.entries(AUTH_FIELDS)) {
    const own = field.schema.description;
    const text = field.secret ? `${own} ${SECRET_NAME_NOTE}` : own;
    const description = field.owner ? `${ownerText(field.owner)}: ${text}` : text;
    out[key] = Object.assign({}, field.secret ? SECRET_NAME : {}, field.schema, { description });
  }
  return out;
}

/** For each type-specific key, the types that read it, in registry order. */
export function typeKeys(definitions: Definitions): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const definition of Object.values(definitions)) {
    for (const key of Object.keys(definition.fields)) (out[key] = out[key] || []).push(definition.type);
  }
  return out;
}

const withoutDocs = (schema: FieldSchema): string =>
  JSON.stringify(Object.assign({}, schema, { description: undefined, default: undefined }));

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * One key read by several types has one schema in the flat destination object: the types must
 * agree on its shape; each keeps its own description (and default, when theirs differ).
 */
function mergeField(key: string, owners: Array<{ type: string; schema: FieldSchema }>): JsonSchema {
  const first = owners[0] as { type: string; schema: FieldSchema };
  for (const other of owners) {
    if (withoutDocs(other.schema) !== withoutDocs(first.schema)) {
      throw new Error(
        `destination key "${key}": types "${first.type}" and "${other.type}" declare different schemas; make them agree or rename one`,
      );
    }
  }
  const defaults = owners.map((o) => JSON.stringify(o.schema.default));
  const oneDefault = defaults.every((d) => d === defaults[0]);
  const parts = owners.map((o) => {
    const own =
      o.schema.default !== undefined && !oneDefault ? ` (default ${JSON.stringify(o.schema.default)})` : '';
    return `${o.type}: ${o.schema.description.replace(/\.$/, '')}${own}`;
  });
  const merged = Object.assign({}, first.schema, { description: sentence(parts.join('; ')) }) as JsonSchema;
  if (!oneDefault) merged.default = undefined;
  return JSON.parse(JSON.stringify(merged)) as JsonSchema;
}

/** The complete configSchema for these destination types. */
export function buildConfigSchema(definitions: Definitions): JsonSchema {
  const schema = baseSchema();
  const defs = schema.definitions as Record<string, JsonSchema>;
  (defs.auth as JsonSchema).properties = authProperties();
  const destination = defs.destination as JsonSchema;
  const properties = destination.properties as Record<string, JsonSchema>;
  (properties.type as JsonSchema).enum = Object.keys(definitions);
  const owners: Record<string, Array<{ type: string; schema: FieldSchema }>> = {};
  const allOf: JsonSchema[] = [];
  for (const definition of Object.values(definitions)) {
    const required: string[] = [];
    for (const [key, field] of Object.entries(definition.fields)) {
      if (properties[key])
        throw new Error(`destination key "${key}" of "${definition.type}" is a shared key`);
      (owners[key] = owners[key] || []).push({ type: definition.type, schema: field.schema });
      if (field.required) required.push(key);
    }
    if (required.length > 0)
      allOf.push({ if: { properties: { type: { const: definition.type } } }, then: { required } });
  }
  for (const key of Object.keys(owners)) properties[key] = mergeField(key, owners[key] as []);
  destination.allOf = allOf;
  return schema;
}
