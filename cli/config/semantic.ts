/**
 * Rules JSON Schema cannot express. Runs on data that may have failed the schema, so every access
 * checks its shape first and a malformed part is simply skipped (the schema already reported it).
 */
import { destinationDescriptions } from './destinations';
import { unusedAuthKeys, type SupersedingIssue } from './auth-keys';
import { typeKeys as typeKeysOf } from './build-schema';
import { AUTH_FIELDS } from './tenant-schema';
import type { ConfigIssue } from './issues';
import { formatPath } from './paths';
import type { PathSegment } from './schema';
import { closest } from './text';

/** Values the http destination fills in a write path (connector/destinations/http). */
export const PATH_PLACEHOLDERS = ['joinKey', 'passId', 'passType', 'wallet', 'tenantId'] as const;
/** A read serves one customer, not one event: only these have a value there. */
export const READ_PATH_PLACEHOLDERS = ['joinKey', 'tenantId'] as const;

/**
 * Keys only some destination types read (from their descriptions' `fields`, describe.ts). Elsewhere they would be
 * ignored without a word, which hides a mistake (a `path` on a HubSpot destination, an
 * `idProperty` meant for another one).
 */
export const TYPE_KEYS: Record<string, readonly string[]> = typeKeysOf(destinationDescriptions);

const KNOWN_TYPES = Object.keys(destinationDescriptions);
const KNOWN_SCHEMES = (AUTH_FIELDS.scheme?.schema.enum ?? []) as string[];

function typeKeys(d: Obj, base: PathSegment[]): ConfigIssue[] {
  // An unknown type has its own issue; which keys it reads is then anyone's guess.
  if (typeof d.type !== 'string' || KNOWN_TYPES.indexOf(d.type) < 0) return [];
  const type = d.type;
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(TYPE_KEYS)) {
    const types = TYPE_KEYS[key] as readonly string[];
    if (d[key] === undefined || types.indexOf(type) >= 0) continue;
    issues.push({
      path: formatPath([...base, key]),
      message: `is not read by type "${type}" (only by ${types.map((t) => `"${t}"`).join(', ')})`,
      fix: `remove "${key}", or check the destination's "type"`,
    });
  }
  return issues;
}

const quoted = (items: readonly string[]): string => items.map((i) => `"${i}"`).join(', ');

/**
 * The auth schemes and OAuth2 grants the destination type declares (its description's
 * authSchemes and grants). Anything else passes the schema, builds, and then fails every event at the CRM.
 */
function authSupport(d: Obj, base: PathSegment[]): ConfigIssue[] {
  // An unknown type or scheme has its own schema issue.
  if (typeof d.type !== 'string' || KNOWN_TYPES.indexOf(d.type) < 0) return [];
  const definition = destinationDescriptions[d.type] as (typeof destinationDescriptions)[string];
  const scheme = isObject(d.auth) ? d.auth.scheme : undefined;
  if (!isObject(d.auth) || typeof scheme !== 'string' || KNOWN_SCHEMES.indexOf(scheme) < 0) return [];
  const schemes = definition.authSchemes as readonly string[];
  const grants = (definition.grants || []) as readonly string[];
  const docs = definition.docs;
  const oauthHint = grants.length > 0 ? ` with "grant": ${quoted(grants)}` : '';
  if (schemes.indexOf(scheme) < 0) {
    const example = schemes[0] === 'oauth2' ? `"oauth2"${oauthHint}` : `"${schemes[0]}"`;
    return [
      {
        path: formatPath([...base, 'auth', 'scheme']),
        message: `${definition.label} does not accept scheme "${scheme}" (it accepts ${quoted(schemes)})`,
        fix: `set "scheme": ${example} and its keys (see ${docs})`,
      },
    ];
  }
  if (scheme === 'oauth2' && typeof d.auth.grant === 'string' && grants.indexOf(d.auth.grant) < 0) {
    return [
      {
        path: formatPath([...base, 'auth', 'grant']),
        message: `${definition.label} does not accept grant "${d.auth.grant}" (it accepts ${quoted(grants)})`,
        fix: `set "grant": "${grants[0]}" and its keys (see ${docs})`,
      },
    ];
  }
  return [];
}

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_IDENTIFIERS = ['__proto__', 'constructor', 'prototype'];

type Obj = Record<string, unknown>;
/** Control characters (and DEL): invisible in an editor, fatal in a header or an identifier. */
const hasControl = (text: string): boolean =>
  [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const isObject = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function uniqueIds(destinations: unknown[]): ConfigIssue[] {
  const first = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  destinations.forEach((destination, index) => {
    if (!isObject(destination) || typeof destination.id !== 'string') return;
    const earlier = first.get(destination.id);
    if (earlier === undefined) {
      first.set(destination.id, index);
      return;
    }
    issues.push({
      path: formatPath(['destinations', index, 'id']),
      message: `duplicate id ${JSON.stringify(destination.id)} (also destinations[${earlier}].id)`,
      fix: `give each destination its own id, e.g. "${destination.id.toLowerCase()}-${index + 1}"`,
    });
  });
  return issues;
}

function identifiers(joinKey: unknown): ConfigIssue[] {
  if (!isObject(joinKey) || !Array.isArray(joinKey.identifiers)) return [];
  const issues: ConfigIssue[] = [];
  joinKey.identifiers.forEach((name, index) => {
    if (typeof name !== 'string' || name === '') return;
    const path = formatPath(['joinKey', 'identifiers', index]);
    if (name.trim() !== name || /\s/.test(name) || hasControl(name)) {
      issues.push({
        path,
        message: `identifier ${JSON.stringify(name)} contains spaces or control characters`,
        fix: `use the identifier key exactly as the pass has it, e.g. "${name.trim().replace(/\s+/g, '') || 'customerId'}"`,
      });
    } else if (RESERVED_IDENTIFIERS.includes(name)) {
      issues.push({
        path,
        message: `"${name}" is not a usable identifier key`,
        fix: 'use a real pass identifier key, e.g. "customerId"',
      });
    } else if (name.length > 100) {
      issues.push({
        path,
        message: 'identifier key is longer than 100 characters',
        fix: 'use the identifier key as the pass has it',
      });
    }
  });
  return issues;
}

/** Checks `{placeholder}` use in a path template against the names that have a value there. */
function pathTemplate(
  value: unknown,
  path: PathSegment[],
  allowed: readonly string[],
  why: string,
): ConfigIssue[] {
  if (typeof value !== 'string') return [];
  const where = formatPath(path);
  if (/\$\{/.test(value)) {
    return [
      {
        path: where,
        message: 'uses ${...}; path placeholders are written {name}',
        fix: `write e.g. "/customers/{joinKey}"`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  for (const match of value.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] as string;
    if (allowed.includes(name)) continue;
    const guess = closest(name, allowed);
    issues.push({
      path: where,
      message: `placeholder {${name}} ${(PATH_PLACEHOLDERS as readonly string[]).includes(name) ? why : 'is unknown'}; allowed: ${allowed.map((n) => `{${n}}`).join(', ')}`,
      fix:
        guess && guess !== name
          ? `use {${guess}}`
          : 'use {joinKey} for the customer (the value of the first present joinKey.identifiers key)',
    });
  }
  const stray = value.replace(/\{[^{}]*\}/g, '');
  if (/[{}]/.test(stray)) {
    issues.push({
      path: where,
      message: 'has an unmatched "{" or "}"',
      fix: 'write placeholders as {name}, e.g. "/customers/{joinKey}"',
    });
  }
  return issues;
}

function headers(value: unknown, base: PathSegment[]): ConfigIssue[] {
  if (!isObject(value)) return [];
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  for (const [name, headerValue] of Object.entries(value)) {
    const path = formatPath([...base, name]);
    if (!HEADER_NAME.test(name)) {
      issues.push({
        path,
        message: 'is not a valid HTTP header name',
        fix: 'use letters, digits and "-" only, e.g. "X-Source"',
      });
    }
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      issues.push({
        path,
        message: `repeats header "${earlier}" (header names ignore case)`,
        fix: 'keep one of the two',
      });
    }
    seen.set(name.toLowerCase(), name);
    if (typeof headerValue === 'string' && hasControl(headerValue)) {
      issues.push({
        path,
        message: 'value contains a line break or another control character',
        fix: 'put the value on one line',
      });
    }
  }
  return issues;
}

function destination(d: unknown, index: number): SupersedingIssue[] {
  if (!isObject(d)) return [];
  const base: PathSegment[] = ['destinations', index];
  const issues: SupersedingIssue[] = [
    ...typeKeys(d, base),
    ...authSupport(d, base),
    ...headers(d.headers, [...base, 'headers']),
    ...unusedAuthKeys(d.auth, [...base, 'auth']),
  ];
  if (
    isObject(d.auth) &&
    typeof d.auth.header === 'string' &&
    d.auth.header !== '' &&
    !HEADER_NAME.test(d.auth.header)
  ) {
    issues.push({
      path: formatPath([...base, 'auth', 'header']),
      message: 'is not a valid HTTP header name',
      fix: 'use letters, digits and "-" only, e.g. "X-API-KEY"',
    });
  }
  if (d.type !== 'http') return issues;
  issues.push(...pathTemplate(d.path, [...base, 'path'], PATH_PLACEHOLDERS, 'has no value here'));
  const reads = d.mode === undefined || d.mode === 'readModifyWrite';
  if (typeof d.readPath === 'string') {
    issues.push(
      ...pathTemplate(
        d.readPath,
        [...base, 'readPath'],
        READ_PATH_PLACEHOLDERS,
        'has no value in a read (one customer, not one event)',
      ),
    );
  } else if (reads && typeof d.path === 'string') {
    // Without readPath, the read (GET) of readModifyWrite uses path: only per-customer values exist there.
    const eventOnly = [...d.path.matchAll(/\{([^{}]*)\}/g)]
      .map((m) => m[1] as string)
      .filter(
        (name) =>
          (PATH_PLACEHOLDERS as readonly string[]).includes(name) &&
          !(READ_PATH_PLACEHOLDERS as readonly string[]).includes(name),
      );
    if (eventOnly.length > 0) {
      issues.push({
        path: formatPath([...base, 'path']),
        message: `uses {${eventOnly[0]}}, but readModifyWrite also reads with this path, where only {joinKey} and {tenantId} have a value`,
        fix: `add "readPath": "/customers/{joinKey}" or set "mode": "writeOnly"`,
      });
    }
  }
  return issues;
}

/** Expects the file as written (before defaults), so a defaulted key is not taken for the user's. */
export function semanticIssues(config: unknown): SupersedingIssue[] {
  if (!isObject(config)) return [];
  const issues: SupersedingIssue[] = identifiers(config.joinKey);
  if (Array.isArray(config.destinations)) {
    issues.push(...uniqueIds(config.destinations));
    config.destinations.forEach((d, index) => issues.push(...destination(d, index)));
  }
  return issues;
}
