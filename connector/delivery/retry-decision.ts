/**
 * The retry decision (docs/architecture.md §9): one pure function of (error, attempt, policy, elapsed, random)
 * -> { retry, waitMs, reason }. No clock, no timers, no I/O: the caller measures elapsed time and
 * does the waiting. The reason is written for the person reading the log line.
 */
import { isPermanentKind, type ConnectorError, type FinalKind } from './errors';

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Backoff base: the cap of the first wait, doubling each attempt. */
  baseDelayMs: number;
  /** Cap of one backoff wait (a server hint may ask for more). */
  maxDelayMs: number;
  /** Total time budget; no retry whose wait would end past it. */
  maxElapsedMs: number;
}

export interface RetryDecision {
  retry: boolean;
  waitMs: number;
  reason: string;
}

/** Why each final kind (errors.ts FINAL_KINDS) is not retried; the type makes the list exhaustive. */
const NOT_RETRIED: Record<FinalKind, string> = {
  configuration: 'a configuration error is not retried: fix the tenant configuration or secrets',
  validation: 'invalid input is not retried',
  permanent: 'a refusal no retry can fix is not retried',
  authentication: 'credentials rejected: not retried (fix the credentials or the granted scopes)',
};

/** Upper bound of the small jitter added on top of a server's wait hint. */
function hintJitterCap(hintMs: number): number {
  return Math.min(1000, Math.max(50, hintMs * 0.1));
}

function head(error: ConnectorError): string {
  const what = error.status !== undefined ? String(error.status) : error.code;
  return what ? `${what} ${error.kind}` : error.kind;
}

/** Full-jitter exponential backoff: random in [0, min(maxDelay, base * 2^(attempt-1))). */
function backoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.pow(2, exponent));
  return Math.floor(random() * Math.max(cap, 0));
}

export function decideRetry(
  error: ConnectorError,
  attempt: number,
  policy: RetryPolicy,
  elapsedMs: number,
  random: () => number,
): RetryDecision {
  const prefix = `${head(error)}: ${error.reason}; `;
  const counter = `attempt ${attempt}/${policy.maxAttempts}`;

  if (isPermanentKind(error.kind))
    return { retry: false, waitMs: 0, reason: prefix + NOT_RETRIED[error.kind] };

  if (attempt >= policy.maxAttempts) {
    return { retry: false, waitMs: 0, reason: `${prefix}giving up after ${counter}` };
  }

  const remaining = policy.maxElapsedMs - elapsedMs;
  const budget = `the ${policy.maxElapsedMs} ms retry budget (${Math.max(elapsedMs, 0)} ms spent)`;
  const hint = error.retryAfterMs;
  if (hint !== undefined && hint > remaining) {
    return {
      retry: false,
      waitMs: 0,
      reason: `${prefix}giving up after ${counter}: waiting the ${hint} ms the server asked for would exceed ${budget}`,
    };
  }
  if (remaining <= 0) {
    return { retry: false, waitMs: 0, reason: `${prefix}giving up after ${counter}: ${budget} has run out` };
  }

  let waitMs = backoff(attempt, policy, random);
  if (hint !== undefined) {
    // The server's hint is a floor, even past maxDelayMs; a little jitter spreads the herd.
    waitMs = Math.max(waitMs, hint + Math.floor(random() * hintJitterCap(hint)));
  }
  // Never wait past the budget: the jitter is trimmed, the server's floor was checked above.
  waitMs = Math.min(waitMs, remaining);
  return { retry: true, waitMs, reason: `${prefix}${counter} failed, retrying in ${waitMs} ms` };
}
