/**
 * Turns Ajv's errors into one human issue per real problem. Ajv reports the mechanics (an `if` that
 * matched, a `then` that failed, a keyword and its params); people need the location, what is wrong
 * in their terms, and the edit that fixes it.
 */
import type { ErrorObject } from 'ajv';
import type { ConfigIssue } from './issues';
import { exampleFor } from './examples';
import { formatPath, pointerToSegments } from './paths';
import { schemaAt, type JsonSchema, type PathSegment } from './schema';
import { closest, jsonType, quoteList, showValue } from './text';

/** Wording for the schema's patterns, which say nothing to a reader as regular expressions. */
const PATTERN_MEANING: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$':
    'must be 1 to 63 letters, digits, "_" or "-", starting with a letter or digit',
  '^[a-z0-9][a-z0-9_-]{0,62}$':
    'must be 1 to 63 lowercase letters, digits, "_" or "-", starting with a letter or digit',
  '^https?://': 'must start with http:// or https://',
  '^/': 'must start with "/" (it is appended to baseUrl)',
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$':
    'is not a secret name (1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit)',
};

interface Context {
  data: unknown;
  /** `if` errors by "instancePath|schemaPath of their allOf item", to explain a `then` failure. */
  conditions: Map<string, ErrorObject>;
}

function lastKey(segments: readonly PathSegment[]): string {
  const last = segments[segments.length - 1];
  return typeof last === 'string' ? last : '';
}

/** `scheme "oauth2" with grant "jwt_bearer"`, or undefined when the condition's subject is absent. */
function describeCondition(condition: ErrorObject): string | undefined {
  const ifSchema = condition.schema as JsonSchema;
  const object = condition.data as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, sub] of Object.entries(ifSchema.properties ?? {})) {
    // A missing discriminator already has its own "required" issue; a guess on top is noise.
    if (object === null || typeof object !== 'object' || !(key in object)) return undefined;
    parts.push(`${key} ${JSON.stringify(sub.const)}`);
  }
  return parts.join(' with ');
}

function required(error: ErrorObject, base: PathSegment[], ctx: Context): ConfigIssue | undefined {
  const key = (error.params as { missingProperty: string }).missingProperty;
  const segments = [...base, key];
  const conditional = /^(.*)\/then\/required$/.exec(error.schemaPath);
  let message = 'required';
  if (conditional) {
    const condition = ctx.conditions.get(`${error.instancePath}|${conditional[1]}`);
    const when = condition && describeCondition(condition);
    if (!when) return undefined;
    message = `required for ${when}`;
  }
  return { path: formatPath(segments), message, fix: `add "${key}": ${exampleFor(key, schemaAt(segments))}` };
}

function unknownKey(error: ErrorObject, base: PathSegment[]): ConfigIssue {
  const key = (error.params as { additionalProperty: string }).additionalProperty;
  const allowed = Object.keys(schemaAt(base)?.properties ?? {});
  const shown = showValue(key);
  const message = `unknown key ${shown} (allowed: ${allowed.join(', ')})`;
  const guess = closest(key, allowed);
  if (guess)
    return { path: formatPath([...base, key]), message, fix: `did you mean "${guess}"? rename the key` };
  // A key written one level off (e.g. tokenSecret beside auth instead of inside it).
  const parent = lastKey(base);
  if (typeof base[base.length - 1] === 'number' && schemaAt([...base, 'auth'])?.properties?.[key]) {
    return { path: formatPath([...base, key]), message, fix: `move it into "auth"` };
  }
  if (parent === 'auth' && schemaAt(base.slice(0, -1))?.properties?.[key]) {
    return { path: formatPath([...base, key]), message, fix: `move it out of "auth", up to the destination` };
  }
  return { path: formatPath([...base, key]), message, fix: 'remove it' };
}

function one(error: ErrorObject, ctx: Context): ConfigIssue | undefined {
  const base = pointerToSegments(error.instancePath, ctx.data);
  const path = formatPath(base);
  const key = lastKey(base);
  const schema = error.parentSchema as JsonSchema | undefined;
  const params = error.params as Record<string, unknown>;
  const example = `e.g. "${key}": ${exampleFor(key, schemaAt(base))}`;
  switch (error.keyword) {
    case 'if':
      return undefined;
    case 'required':
      return required(error, base, ctx);
    case 'additionalProperties':
      return unknownKey(error, base);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess = typeof error.data === 'string' ? closest(error.data, allowed.map(String)) : undefined;
      return {
        path,
        message: `${showValue(error.data)} is not allowed; allowed values: ${quoteList(allowed)}`,
        fix: guess ? `use "${guess}"` : `use one of ${quoteList(allowed)}`,
      };
    }
    case 'type':
      return { path, message: `must be ${params.type}, not ${jsonType(error.data)}`, fix: example };
    case 'pattern': {
      const meaning = PATTERN_MEANING[String(params.pattern)] ?? `must match the pattern ${params.pattern}`;
      return { path, message: meaning, fix: example };
    }
    case 'format':
      return { path, message: `must be an absolute URL (format ${params.format})`, fix: example };
    case 'minItems':
      return { path, message: `must have at least ${params.limit} item(s)`, fix: example };
    case 'uniqueItems':
      return {
        path: formatPath([...base, params.i as number]),
        message: `repeats ${formatPath([...base, params.j as number])}`,
        fix: 'remove one of the two',
      };
    case 'minLength':
      return {
        path,
        message: params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`,
        fix: example,
      };
    case 'maxLength':
      return { path, message: `must be at most ${params.limit} characters`, fix: example };
    case 'minimum':
    case 'maximum':
      return {
        path,
        message: `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${params.limit}, not ${showValue(error.data)}`,
        fix: `use a value from ${schema?.minimum ?? '-∞'} to ${schema?.maximum ?? '∞'}`,
      };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}`, fix: example };
  }
}

const RANK: Record<string, number> = { format: 1 };

export function issuesFromAjv(errors: readonly ErrorObject[], data: unknown): ConfigIssue[] {
  const conditions = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'if')
      conditions.set(`${error.instancePath}|${error.schemaPath.replace(/\/if$/, '')}`, error);
  }
  const ctx: Context = { data, conditions };
  // One issue a location: "not a URL" adds nothing to "must start with https://".
  const byPath = new Map<string, { issue: ConfigIssue; rank: number }>();
  for (const error of errors) {
    const issue = one(error, ctx);
    if (!issue) continue;
    const rank = RANK[error.keyword] ?? 0;
    const held = byPath.get(issue.path);
    if (!held || rank < held.rank) byPath.set(issue.path, { issue, rank });
  }
  const issues = [...byPath.values()].map((held) => held.issue);
  // A misspelt key explains the "required" error of the key it was meant to be.
  const meant = new Set<string>();
  for (const issue of issues) {
    const guess = /^did you mean "(.+)"\? rename the key$/.exec(issue.fix);
    if (!guess) continue;
    const parent = /^(.*?)(\.[^.[\]]+|\[[^\]]+\])$/.exec(issue.path)?.[1] ?? '';
    meant.add(parent ? `${parent}.${guess[1]}` : (guess[1] as string));
  }
  return issues.filter((issue) => !(issue.message.startsWith('required') && meant.has(issue.path)));
}
