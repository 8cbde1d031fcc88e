/**
 * HubSpot's error envelope, read beyond the generic rules: a 403 names the scopes the token lacks,
 * and a 400 for a property that does not exist is a configuration problem with a known fix.
 * Its envelope { category, message } and its throttle signals (429 + policyName,
 * X-HubSpot-RateLimit-*) are read by readHubSpotError for the generic rules (delivery/classify).
 */
import { numeric, type ErrorReading, type ResponseInput, type WaitHint } from '../../delivery/classify';
import { ConnectorError } from '../../delivery/errors';
import { obj, said, strings, type Json } from '../shared/json';

const TEN_SECONDLY_MS = 10000;
const DAY_MS = 86400000;

function msUntilNextUtcMidnight(nowMs: number): number {
  const next = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
  return Math.max(60000, next - nowMs);
}

/** The wait a 429's policyName asks for: the rolling 10 s window, or the daily limit's reset. */
function policyWait(policyName: string | undefined, input: ResponseInput): WaitHint | undefined {
  if (policyName === 'TEN_SECONDLY_ROLLING') {
    const interval = numeric(input.headers['x-hubspot-ratelimit-interval-milliseconds']);
    return interval !== undefined
      ? {
          ms: Math.max(0, Math.ceil(interval)),
          source: 'HubSpot TEN_SECONDLY_ROLLING, X-HubSpot-RateLimit-Interval-Milliseconds',
        }
      : { ms: TEN_SECONDLY_MS, source: 'HubSpot TEN_SECONDLY_ROLLING' };
  }
  if (policyName === 'DAILY') {
    return {
      ms: msUntilNextUtcMidnight(input.nowMs),
      source: 'HubSpot DAILY limit, until the next UTC midnight',
    };
  }
  return undefined;
}

/** DestinationDefinition.readError: { category, message }, and on a 429 { policyName, errorType }. */
export function readHubSpotError(input: ResponseInput): ErrorReading {
  const body = input.json;
  const policyName = input.status === 429 ? said(body, 'policyName') : undefined;
  return {
    message: said(body, 'message') ?? said(body, 'error'),
    code: policyName ?? said(body, 'category') ?? said(body, 'errorType'),
    wait: policyWait(policyName, input),
  };
}
import type { DestinationResponse } from '../types';

/** Scopes named in `context` of the envelope or of any entry of `errors`. */
export function missingScopes(body: unknown): string[] {
  const out: string[] = [];
  const add = (context: unknown) => {
    const c = obj(context);
    if (!c) return;
    const named = strings(c.missingScopes).concat(strings(c.requiredGranularScopes));
    for (const scope of named) if (out.indexOf(scope) < 0) out.push(scope);
  };
  const root = obj(body);
  if (!root) return out;
  add(root.context);
  if (Array.isArray(root.errors)) for (const e of root.errors) add(obj(e) ? (e as Json).context : null);
  return out;
}

/** Property names HubSpot says do not exist (PROPERTY_DOESNT_EXIST entries, or the message). */
export function unknownProperties(body: unknown): string[] {
  const root = obj(body);
  if (!root) return [];
  const out: string[] = [];
  const entries = Array.isArray(root.errors) ? root.errors : [];
  for (const entry of entries) {
    const e = obj(entry);
    if (!e) continue;
    const named = strings(obj(e.context) ? (e.context as Json).propertyName : null);
    if (e.code === 'PROPERTY_DOESNT_EXIST') for (const n of named) if (out.indexOf(n) < 0) out.push(n);
  }
  // Single-object endpoints put the details as escaped JSON inside `message` instead.
  const message = typeof root.message === 'string' ? root.message : '';
  const pattern = /Property \\?"([^"\\]+)\\?" does not exist/g;
  let match = pattern.exec(message);
  while (match) {
    if (out.indexOf(match[1] as string) < 0) out.push(match[1] as string);
    match = pattern.exec(message);
  }
  return out;
}

export function classifyHubSpotError(
  response: DestinationResponse,
  destination: string,
): ConnectorError | null {
  const body = obj(response.json);
  if (!body) return null;
  const category = typeof body.category === 'string' ? body.category : undefined;
  if (response.status === 403) {
    const scopes = missingScopes(body);
    if (scopes.length > 0) {
      return new ConnectorError(
        'authentication',
        `the token lacks the scope(s) ${scopes.join(', ')}: add them to the private app or the OAuth app and reinstall`,
        { destination, status: 403, vendorCode: category || 'MISSING_SCOPES' },
      );
    }
    return null;
  }
  if (response.status === 400 && category === 'VALIDATION_ERROR') {
    const unknown = unknownProperties(body);
    if (unknown.length > 0) {
      return new ConnectorError(
        'configuration',
        `contact propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} do${unknown.length > 1 ? '' : 'es'} not exist in HubSpot: create ${unknown.length > 1 ? 'them' : 'it'} (twc-connector setup-crm) or fix "properties"`,
        { destination, status: 400, vendorCode: 'PROPERTY_DOESNT_EXIST' },
      );
    }
  }
  return null;
}
