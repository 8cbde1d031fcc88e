/**
 * Evaluates each http destination's json-e payload `template` on sample contexts at validation time,
 * so a broken expression is a configuration error before upload, not a failed delivery after it.
 */
import jsone from 'json-e';
import type { ConfigIssue } from './issues';
import { formatPath } from './paths';
import type { PathSegment } from './schema';
import { sampleContexts } from './sample-context';

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

interface JsonTemplateError extends Error {
  location?: string[];
}

/** json-e locations look like `.a`, `[0]`, `["x-y"]`. */
function locationSegments(location: readonly string[]): PathSegment[] {
  return location.map((step) => {
    const match = /^\.(.+)$|^\[(\d+)\]$|^\[(".*")\]$/.exec(step);
    if (!match) return step;
    return (
      match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3] as string) as string))
    );
  });
}

function valueAt(template: unknown, segments: readonly PathSegment[]): unknown {
  let node = template;
  for (const key of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** The expression behind the failing location: the string itself, or the operator's argument. */
function expressionOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (!isObject(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$') && typeof value === 'string') return `${key}: ${value}`;
  }
  return undefined;
}

/** json-e names the offending input in "Unexpected input for 'S' at 'R'"; turn that into a column. */
function columnOf(message: string, expression: string | undefined): string {
  const match = /Unexpected input for '([\s\S]*)' at '([\s\S]*)'$/.exec(message);
  if (match) return ` at column ${(match[1] as string).length - (match[2] as string).length + 1}`;
  if (/unterminated|end of input/i.test(message) && expression) return ' at the end of the expression';
  return '';
}

function checkOne(destination: Obj, index: number, config: Obj): ConfigIssue[] {
  const template = destination.template;
  const base: PathSegment[] = ['destinations', index, 'template'];
  const joinKey = isObject(config.joinKey) ? config.joinKey : {};
  const route = isObject(destination.route) ? destination.route : {};
  const contexts = sampleContexts({
    tenantId: typeof config.tenantId === 'string' ? config.tenantId : 'acme',
    identifiers: Array.isArray(joinKey.identifiers)
      ? joinKey.identifiers.filter((x): x is string => typeof x === 'string')
      : [],
    passType:
      Array.isArray(route.passTypes) && typeof route.passTypes[0] === 'string'
        ? route.passTypes[0]
        : 'loyalty',
    properties: isObject(destination.properties) ? (destination.properties as Record<string, string>) : {},
  });
  const issues: ConfigIssue[] = [];
  for (const sample of contexts) {
    let rendered: unknown;
    try {
      rendered = jsone(template as Obj, sample.context);
    } catch (caught) {
      const error = caught as JsonTemplateError;
      const location = locationSegments(Array.isArray(error.location) ? error.location : []);
      const expression = expressionOf(valueAt(template, location));
      const at = columnOf(error.message, expression);
      issues.push({
        path: formatPath([...base, ...location]),
        message:
          `json-e ${error.name ?? 'error'}${at}: ${error.message}` +
          (expression !== undefined ? ` in ${JSON.stringify(expression)}` : '') +
          ` (evaluated on ${sample.label})`,
        fix: 'the context is { event, events, state, fields, tenantId } (see docs/configuration.md); guard optional values with $if or the in operator',
      });
      // One failure a template is enough: the second sample usually fails the same way.
      return issues;
    }
    if (!isObject(rendered) && !Array.isArray(rendered)) {
      issues.push({
        path: formatPath(base),
        message: `renders to ${rendered === null ? 'null' : typeof rendered} on ${sample.label}; the payload must be a JSON object or array`,
        fix: 'make the template an object, e.g. { "status": "${state.walletStatus}" }',
      });
      return issues;
    }
  }
  return issues;
}

export function templateIssues(config: unknown): ConfigIssue[] {
  if (!isObject(config) || !Array.isArray(config.destinations)) return [];
  const issues: ConfigIssue[] = [];
  config.destinations.forEach((destination, index) => {
    if (isObject(destination) && destination.type === 'http' && destination.template !== undefined) {
      issues.push(...checkOne(destination, index, config));
    }
  });
  return issues;
}
