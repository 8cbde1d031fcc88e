/**
 * The CLI side of a destination: what only the command line needs (the tenant-file keys with their
 * documentation, the setup steps, the credentials check, automated setup). Each type's
 * `<type>/describe.ts` builds one with describeDestination from its runtime definition; the CLI
 * registers them in cli/config/destinations.ts. Nothing the upload bundle reaches may import a
 * `describe*` file: the bundle carries the runtime definition only
 * (test/destinations/bundle-inputs.test.ts).
 */
import type {
  AuthScheme,
  DestinationContext,
  DestinationDefinition,
  Grant,
  ResolvedDestination,
} from './types';

/**
 * A JSON Schema (draft-07) fragment for one tenant-file key. Its description is the documentation
 * of the key for this destination type (the generated reference prints it).
 */
export interface FieldSchema {
  description: string;
  type?: 'string' | 'integer' | 'boolean' | 'object' | 'array';
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  properties?: Record<string, Omit<FieldSchema, 'properties'>>;
  additionalProperties?: boolean | { type: 'string' };
}

/** A key of the tenant file that this destination type reads, besides the keys every type has. */
export interface ConfigField {
  schema: FieldSchema;
  /** The destination cannot work without it: validation refuses a file that leaves it out. */
  required?: boolean;
}

/** What only the CLI reads of a destination type. */
export interface DescriptionParts<S = unknown> {
  /** The CRM's name in messages and docs. */
  label: string;
  /**
   * Enforced by the tenant file's validation (cli/config/semantic.ts), which every config passes:
   * registration does not check them again, so the upload script carries none of these.
   */
  authSchemes: readonly AuthScheme[];
  /** The OAuth2 grants accepted when authSchemes has oauth2 (enforced like authSchemes). */
  grants?: readonly Grant[];
  /** Where the guide for this CRM is, for the validator's messages and the reference. */
  docs: string;
  /** The keys only this type reads (the shared ones are in cli/config/tenant-schema.ts). */
  fields: Record<string, ConfigField>;
  /** What to create by hand in the CRM (fields, keys, apps), for `setup-crm`; in the names this tenant writes. */
  setupSteps(config: ResolvedDestination): string[];
  /** One cheap authenticated call that proves the credentials and the configured properties. */
  testAuth(ctx: DestinationContext<S>): Promise<string>;
  /**
   * Creates in the CRM what the connector needs, where its API can (`setup-crm`), and says what it
   * did, one line each. Without it, `setup-crm` prints `setupSteps`.
   */
  setup?(ctx: DestinationContext<S>): Promise<string[]>;
}

/** A destination type as the CLI sees it: the runtime definition and its description. */
export type DestinationDescription<S = unknown> = DestinationDefinition<S> & DescriptionParts<S>;

export function describeDestination<S>(
  definition: DestinationDefinition<S>,
  parts: DescriptionParts<S>,
): DestinationDescription<S> {
  return Object.assign({}, definition, parts);
}

/** The `eventNames` key, for the types with an event API; `description` says what the names are there. */
export function eventNamesField(description: string): ConfigField {
  const name = (kind: string) => ({
    type: 'string' as const,
    minLength: 1,
    maxLength: 200,
    description: `Name of the event sent for an ${kind}.`,
  });
  return {
    schema: {
      type: 'object',
      description,
      properties: { installed: name('install'), uninstalled: name('uninstall') },
      additionalProperties: false,
    },
  };
}

/** Setup-step lines, one per canonical field: the CRM name this tenant writes, and the type to create it with. */
export function fieldLines(config: ResolvedDestination, types: Record<string, string>): string[] {
  const props = config.properties as Record<string, string>;
  return Object.keys(types).map((canonical) => `  - ${props[canonical]}: ${types[canonical]}`);
}
