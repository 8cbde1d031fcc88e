/**
 * The tenant configuration JSON Schema, built from the destination descriptions (build-schema.ts;
 * connector.manifest.json carries a generated copy), and a walker that finds the subschema
 * describing any location of a tenant file.
 */
import { destinationDescriptions } from './destinations';
import { buildConfigSchema } from './build-schema';

/** The subset of draft-07 that configSchema uses. */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
}

export type PathSegment = string | number;

export const configSchema: JsonSchema = buildConfigSchema(destinationDescriptions);

/** Follows a local `#/definitions/x` reference (the only kind configSchema uses). */
export function deref(schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (!ref) return schema;
  const name = ref.replace(/^#\/definitions\//, '');
  const target = configSchema.definitions?.[name];
  if (!target) throw new Error(`configSchema: unresolved $ref ${ref}`);
  return target;
}

/** The subschema for one step down from `schema`, or undefined when the schema does not describe it. */
export function childSchema(schema: JsonSchema, segment: PathSegment): JsonSchema | undefined {
  const s = deref(schema);
  if (typeof segment === 'number') return s.items ? deref(s.items) : undefined;
  const declared = s.properties && Object.prototype.hasOwnProperty.call(s.properties, segment);
  if (declared) return deref((s.properties as Record<string, JsonSchema>)[segment] as JsonSchema);
  return typeof s.additionalProperties === 'object' ? deref(s.additionalProperties) : undefined;
}

export function schemaAt(segments: readonly PathSegment[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = configSchema;
  for (const segment of segments) {
    if (!current) return undefined;
    current = childSchema(current, segment);
  }
  return current;
}

/** `*Secret` keys (and auth's plain `secret`) hold the NAME of a secret read with getSecret. */
export function isSecretNameKey(key: string): boolean {
  return key === 'secret' || /Secret$/.test(key);
}

/** The schema's own rule for a secret name (kept in one place: the manifest). */
export const SECRET_NAME_PATTERN = new RegExp(
  (schemaAt(['destinations', 0, 'auth', 'tokenSecret'])?.pattern as string) ??
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
);

/** A `{ if: { properties: { k: { const } } }, then: { required } }` rule of an allOf. */
export interface Condition {
  consts: Record<string, unknown>;
  required: string[];
}

export function conditionsOf(schema: JsonSchema): Condition[] {
  return (schema.allOf ?? []).flatMap((item) => {
    if (!item.if?.properties || !item.then?.required) return [];
    const consts = Object.fromEntries(Object.entries(item.if.properties).map(([k, v]) => [k, v.const]));
    return [{ consts, required: item.then.required }];
  });
}

/** Keys `object` must have: the schema's own required ones plus those of every condition it meets. */
export function requiredFor(schema: JsonSchema, object: Record<string, unknown>): string[] {
  const met = conditionsOf(schema).filter((c) => Object.entries(c.consts).every(([k, v]) => object[k] === v));
  return [...(schema.required ?? []), ...met.flatMap((c) => c.required)];
}
