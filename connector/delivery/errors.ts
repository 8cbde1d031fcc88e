/**
 * The one closed error taxonomy (docs/architecture.md §9). Every failure the connector reports is a
 * ConnectorError of one of these kinds, with the destination, the HTTP status where there is one,
 * and a reason a person can act on.
 */

/**
 * The final kinds, listed here and nowhere else: a failure of one of them outlives no retry, so
 * the hook resolves (the event is refused, named once in the outcome and the log) instead of
 * rejecting. Every other kind is retried, then rejected for the platform to deliver again.
 */
export const FINAL_KINDS = ['configuration', 'validation', 'authentication', 'permanent'] as const;
export type FinalKind = (typeof FINAL_KINDS)[number];
export type ErrorKind = FinalKind | 'throttled' | 'transient';

export interface ErrorDetails {
  destination?: string;
  status?: number;
  /** Milliseconds the server asked us to wait (Retry-After, X-RateLimit-Reset), when it did. */
  retryAfterMs?: number;
  /** Network error code (ECONNRESET, ETIMEDOUT, ...) when there was no response. */
  code?: string;
  /** Vendor error code or category (REQUEST_LIMIT_EXCEEDED, policyName, invalid_grant, ...). */
  vendorCode?: string;
}

/**
 * The fields are `declare`d and set in the constructor, in the order they are listed: a plain
 * declaration would make the build define each one empty first, code the upload script carries
 * for nothing.
 */
export class ConnectorError extends Error {
  declare readonly kind: ErrorKind;
  declare readonly destination: string | undefined;
  declare readonly status: number | undefined;
  declare readonly retryAfterMs: number | undefined;
  declare readonly code: string | undefined;
  declare readonly vendorCode: string | undefined;
  /** The reason alone, without the prefix the message carries. */
  declare readonly reason: string;

  constructor(kind: ErrorKind, reason: string, details: ErrorDetails = {}) {
    const where = details.destination ? `[${details.destination}] ` : '';
    const status = details.status !== undefined ? ` (HTTP ${details.status})` : '';
    super(`${kind} error: ${where}${reason}${status}`);
    this.kind = kind;
    this.destination = details.destination;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
    this.vendorCode = details.vendorCode;
    this.reason = reason;
    this.name = 'ConnectorError';
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/**
 * An exception that is not a ConnectorError. Most are transient for want of knowing better, but a
 * URIError is the input itself (a lone surrogate cannot be URL-encoded): it fails the same way on
 * every redelivery, so it is a validation error, logged once and resolved, never retried forever.
 */
export function classifyUnexpected(error: unknown, destination: string | undefined): ConnectorError {
  if (isConnectorError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof URIError || (error instanceof Error && error.name === 'URIError')) {
    return new ConnectorError(
      'validation',
      `a value of this event cannot be URL-encoded (${message}): it holds text that is not valid Unicode`,
      { destination },
    );
  }
  return new ConnectorError('transient', `unexpected failure: ${message}`, { destination });
}

/** Whether a kind is final (FINAL_KINDS): the hook then resolves instead of rejecting. */
export function isPermanentKind(kind: ErrorKind): kind is FinalKind {
  return (FINAL_KINDS as readonly ErrorKind[]).indexOf(kind) >= 0;
}
