/**
 * Turns a CRM's non-2xx answer, or a request that got no answer, into one ConnectorError of the
 * closed taxonomy (docs/architecture.md §9), with the wait the server asked for (retryAfterMs) when it said one.
 *
 * The generic rules only: statuses, network codes, the standard wait headers and the envelopes any
 * API may use ({ message }, { error }, OAuth's { error, error_description }). A vendor's own error
 * body (its envelope, its throttle signals) is read by its destination (`readError` and
 * `classifyError` in connector/destinations/<type>), which the sender passes in.
 *
 * What may reach a reason: the status, the vendor's own error message (truncated), the vendor's
 * error code, and where a wait hint came from. Never header values or whole bodies: those can carry
 * tokens, keys or personal data.
 */
import { ConnectorError, type ErrorKind } from './errors';
import { REDIRECT_CODE } from '../platform/host';

export interface ResponseInput {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed body, or undefined when it was not JSON. */
  json: unknown;
  destination: string;
  /** The time the answer arrived (HTTP-date hints are relative to it). */
  nowMs: number;
}

const MAX_TEXT = 300;

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 3)}...` : oneLine;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export interface WaitHint {
  ms: number;
  source: string;
}

/** What a destination reads in its vendor's error body: the message, the code, a wait it signals. */
export interface ErrorReading {
  message?: string;
  code?: string;
  /** A wait in the vendor's own terms (after Retry-After, before the generic reset headers). */
  wait?: WaitHint;
}

/** A destination's reader of its vendor's error answers (DestinationDefinition.readError). */
export type ErrorReader = (input: ResponseInput) => ErrorReading;

/** The envelopes any API may use: { message }, { error: "..." }, OAuth's { error, error_description }. */
export function readGenericError(input: ResponseInput): ErrorReading {
  const json = input.json;
  const error = field(json, 'error');
  if (text(error) && text(field(json, 'error_description'))) {
    return { message: text(field(json, 'error_description')), code: text(error) };
  }
  return { message: text(field(json, 'message')) ?? text(error) };
}

function nonNegative(ms: number): number {
  return ms > 0 ? Math.ceil(ms) : 0;
}

export function numeric(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return parseFloat(value);
}

/** Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = numeric(value);
  if (seconds !== undefined) return nonNegative(seconds * 1000);
  const at = Date.parse(value);
  return isNaN(at) ? undefined : nonNegative(at - nowMs);
}

function waitHint(input: ResponseInput, vendorWait: WaitHint | undefined): WaitHint | undefined {
  const h = input.headers;
  const retryAfter = parseRetryAfter(h['retry-after'], input.nowMs);
  if (retryAfter !== undefined) return { ms: retryAfter, source: 'Retry-After' };
  if (vendorWait) return vendorWait;
  const reset = numeric(h['x-ratelimit-reset']);
  if (reset !== undefined) {
    // Braze sends epoch seconds; some APIs send seconds from now under the same name.
    const ms = reset > 1e9 ? reset * 1000 - input.nowMs : reset * 1000;
    return { ms: nonNegative(ms), source: 'X-RateLimit-Reset' };
  }
  const windowReset = numeric(h['ratelimit-reset']);
  if (windowReset !== undefined) return { ms: nonNegative(windowReset * 1000), source: 'RateLimit-Reset' };
  return undefined;
}

function kindOf(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'authentication';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 423) return 'transient';
  if (status >= 500 && status !== 501) return 'transient';
  return 'permanent';
}

function label(kind: ErrorKind, status: number): string {
  if (kind === 'authentication') return status === 403 ? 'access denied' : 'credentials rejected';
  if (kind === 'throttled') return 'rate limited';
  if (kind === 'transient') return status >= 500 ? 'server error' : 'temporarily refused';
  if (status === 400 || status === 422) return 'rejected as invalid';
  if (status === 404) return 'not found';
  if (status === 409) return 'conflict';
  return 'refused';
}

/** Classifies a non-2xx answer; `read` is the destination's reader of its vendor's error body. */
export function classifyResponse(input: ResponseInput, read: ErrorReader = readGenericError): ConnectorError {
  const vendor = read(input);
  const vendorCode = vendor.code;
  const kind = kindOf(input.status);
  const hint = kind === 'throttled' || kind === 'transient' ? waitHint(input, vendor.wait) : undefined;

  const parts = [label(kind, input.status)];
  if (vendor.message) parts.push(`"${truncate(vendor.message)}"`);
  if (vendorCode) parts.push(`(${truncate(vendorCode)})`);
  let reason = parts.join(' ');
  if (hint) reason += `; server asked to wait ${hint.ms} ms (${hint.source})`;

  return new ConnectorError(kind, reason, {
    destination: input.destination,
    status: input.status,
    retryAfterMs: hint ? hint.ms : undefined,
    vendorCode,
  });
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'request timed out',
  ECONNREFUSED: 'connection refused',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ENOTFOUND: 'host name not found',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'request timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  ERR_CANCELED: 'request aborted',
};

/** Looks for a network code on the error and on its cause (fetch wraps the socket error). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== null && typeof current === 'object'; depth += 1) {
    const code = text(field(current, 'code'));
    if (code && NETWORK_REASONS[code]) return code;
    current = field(current, 'cause');
  }
  return undefined;
}

/** Removes query strings (which can carry API keys) from a message. */
function scrubMessage(message: string): string {
  return truncate(message.replace(/\?[^\s'"]*/g, '?...'));
}

function hasCode(error: unknown, wanted: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== null && typeof current === 'object'; depth += 1) {
    if (field(current, 'code') === wanted) return true;
    current = field(current, 'cause');
  }
  return false;
}

/**
 * A redirect is a configuration error, never retried: the base URL (or token URL) points at an
 * address that moved, and following it would hand the credentials to whatever host it names.
 */
function redirectError(message: string, destination: string): ConnectorError {
  const host = /redirected to host (\S+)/.exec(message);
  const where = host ? `host ${host[1]}` : 'another location';
  return new ConnectorError(
    'configuration',
    `the server answered with a redirect to ${where}; the connector never follows redirects (they would carry the credentials): set the destination's baseUrl (or auth.tokenUrl) to the final https address`,
    { destination, code: REDIRECT_CODE },
  );
}

/** Classifies a request that got no answer (network failure, timeout, abort), or a refused redirect. */
export function classifyNetworkError(error: unknown, destination: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (hasCode(error, REDIRECT_CODE)) return redirectError(text(field(error, 'message')) ?? '', destination);
  const code = networkCode(error);
  const name = text(field(error, 'name')) ?? '';
  const message = text(field(error, 'message')) ?? (typeof error === 'string' ? error : '');
  if (code) {
    return new ConnectorError('transient', `network error: ${NETWORK_REASONS[code]} (${code})`, {
      destination,
      code,
    });
  }
  if (/socket hang up/i.test(message)) {
    return new ConnectorError('transient', 'network error: socket hang up', {
      destination,
      code: 'ECONNRESET',
    });
  }
  if (name === 'TimeoutError' || /time(d)?\s?out/i.test(message)) {
    return new ConnectorError('transient', 'network error: request timed out', {
      destination,
      code: 'ETIMEDOUT',
    });
  }
  if (name === 'AbortError' || /abort/i.test(message)) {
    return new ConnectorError('transient', 'network error: request aborted', {
      destination,
      code: 'ABORTED',
    });
  }
  const shown = message ? scrubMessage(message) : 'no message';
  return new ConnectorError('transient', `request failed without an answer: ${shown}`, { destination });
}
