/**
 * send: one logical request to a destination, made exact. Its layers, top to bottom:
 *
 *   pRetry      THE retry loop. `decideRetry` (pure) decides after each failed attempt; p-retry's
 *               `shouldRetry` returns that decision, and the wait before the next attempt (backoff,
 *               or the server's Retry-After) is the promise `onFailedAttempt` returns, p-retry's
 *               documented place for a custom delay, slept on the host's timers (virtual ones in
 *               the bundle, fired by the hook drivers). p-retry's own timer stays at zero: it reads
 *               the global setTimeout, which is not the host's everywhere.
 *   limiter     the destination's rate and concurrency, one job per attempt
 *   exchange    auth headers, body, status -> response or classified ConnectorError
 *   host.http   platform/http.ts: one axios instance over the host's fetch, with the timeout
 *
 * A 401 on a destination whose auth can refresh refreshes once and retries once.
 */
import pRetry from 'p-retry';
import { classifyNetworkError, classifyResponse } from './classify';
import { classifyUnexpected, ConnectorError, isConnectorError } from './errors';
import { decideRetry, type RetryDecision } from './retry-decision';
import type { JobPriority, Limiter } from './limiter';
import type { DestinationMetrics } from './metrics';
import type { AuthProvider } from '../auth/types';
import type {
  DestinationDefinition,
  DestinationRequest,
  DestinationResponse,
  ResolvedDestination,
} from '../destinations/types';
import type { Host, HttpRequest } from '../platform/host';
import type { Logger } from '../platform/logger';

export interface SenderDeps {
  host: Host;
  definition: DestinationDefinition;
  destination: ResolvedDestination;
  auth: AuthProvider;
  limiter: Limiter;
  metrics: DestinationMetrics;
  log: Logger;
  random: () => number;
}

/** The retry budget of one delivery starts when its oldest event arrived. */
export interface Budget {
  startedAtMs: number;
  /** Reads start a customer's batch, writes finish it: writes may pass queued reads. */
  priority?: JobPriority;
}

export type Send = (request: DestinationRequest, budget: Budget) => Promise<DestinationResponse>;

function encodeQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  const parts = Object.keys(query).map(
    (k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] as string)}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What an auth header carries: the whole value, and the credential after a scheme word ("Basic x"). */
function credentialsIn(authHeaders: Record<string, string>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(authHeaders)) {
    const value = authHeaders[name] as string;
    out.push(value);
    const space = value.indexOf(' ');
    if (space > 0) out.push(value.slice(space + 1));
  }
  return out;
}

/**
 * The error without the credentials the request carried: a CRM that echoes the Authorization
 * header in its error body must not put it in the rejection the platform receives (the log
 * redactor covers log lines; this covers the error itself).
 */
function withoutCredentials(error: ConnectorError, credentials: string[]): ConnectorError {
  let reason = error.reason;
  for (const value of credentials) if (value.length >= 4) reason = reason.split(value).join('[redacted]');
  if (reason === error.reason) return error;
  return new ConnectorError(error.kind, reason, {
    destination: error.destination,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    code: error.code,
    vendorCode: error.vendorCode,
  });
}

/** The wait before a retry, on the host's timers. */
function waitOnHostTimers(host: Host, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  const timers = host.timers;
  if (!timers)
    return Promise.reject(
      new ConnectorError('transient', 'cannot wait before retrying: this host lends no timers'),
    );
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}

export function createSender(deps: SenderDeps): Send {
  const { host, definition, destination, auth, limiter, metrics, log } = deps;
  const id = destination.id;

  /** How long the limiter holds after a throttle signal: the server's word, else a short default. */
  function throttlePauseMs(error: ConnectorError): number {
    return error.retryAfterMs !== undefined
      ? error.retryAfterMs
      : Math.min(destination.retry.maxDelayMs, 1000);
  }

  function baseUrl(): string {
    const fromToken = auth.tokenResponse ? auth.tokenResponse() : undefined;
    return fromToken && fromToken.instanceUrl
      ? fromToken.instanceUrl.replace(/\/+$/, '')
      : destination.baseUrl;
  }

  async function exchange(
    request: DestinationRequest,
    authHeaders: Record<string, string>,
  ): Promise<DestinationResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (request.rawBody !== undefined) body = request.rawBody;
    else if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, request.headers || {}, authHeaders);
    const http: HttpRequest = {
      method: request.method,
      url: baseUrl() + request.path + encodeQuery(request.query),
      headers,
      body,
      timeoutMs: destination.timeoutMs,
    };
    metrics.counters.requests++;
    const sentAt = host.now();
    let raw;
    try {
      raw = await host.http(http);
    } catch (error) {
      throw classifyNetworkError(error, id);
    }
    const response: DestinationResponse = Object.assign({}, raw, { json: parseJson(raw.body) });
    const accepted = request.acceptStatuses && request.acceptStatuses.indexOf(response.status) >= 0;
    if ((response.status >= 200 && response.status < 300) || accepted) {
      if (request.expectJson && !accepted && (response.json === null || typeof response.json !== 'object')) {
        throw new ConnectorError(
          'transient',
          `${request.method} ${request.path}: a ${response.status} without the JSON results that were due`,
          { destination: id, status: response.status },
        );
      }
      limiter.onSuccess();
      return response;
    }
    const vendor = definition.classifyError ? definition.classifyError(response, id) : null;
    const classified =
      vendor ||
      classifyResponse(
        {
          status: response.status,
          headers: response.headers,
          json: response.json,
          destination: id,
          nowMs: host.now(),
        },
        definition.readError,
      );
    const error = withoutCredentials(classified, credentialsIn(authHeaders));
    // Pause the limiter before this job ends, so no queued request leaves during the wait.
    if (error.kind === 'throttled') limiter.onThrottle(host.now() + throttlePauseMs(error), sentAt);
    throw error;
  }

  /** One attempt through the limiter; a 401 on refreshable auth gets one fresh token and one more try. */
  function attempt(request: DestinationRequest, priority: JobPriority): Promise<DestinationResponse> {
    const once = (authHeaders: Record<string, string>) =>
      limiter.schedule(() => exchange(request, authHeaders), priority);
    return auth.headers().then((authHeaders) =>
      once(authHeaders).then(undefined, (error: unknown) => {
        if (!(isConnectorError(error) && error.status === 401 && auth.canRefresh)) throw error;
        auth.invalidate(authHeaders);
        return auth.headers().then(once);
      }),
    );
  }

  return function send(request: DestinationRequest, budget: Budget): Promise<DestinationResponse> {
    const policy = destination.retry;
    const priority = budget.priority || 'write';
    /** decideRetry's word on the attempt that failed last: onFailedAttempt sets it, shouldRetry reads it. */
    let decision: RetryDecision = { retry: false, waitMs: 0, reason: '' };
    return pRetry(() => attempt(request, priority), {
      retries: Math.max(0, policy.maxAttempts - 1),
      minTimeout: 0,
      onFailedAttempt: (context) => {
        const error = classifyUnexpected(context.error, id);
        const elapsed = host.now() - budget.startedAtMs;
        decision = decideRetry(error, context.attemptNumber, policy, elapsed, deps.random);
        if (error.kind === 'throttled') metrics.counters.throttled++;
        log.warn('attempt failed', {
          destination: id,
          attempt: `${context.attemptNumber}/${policy.maxAttempts}`,
          status: error.status,
          kind: error.kind,
          waitMs: decision.retry ? Math.round(decision.waitMs) : null,
          reason: decision.reason,
        });
        if (!decision.retry) return undefined;
        metrics.counters.retried++;
        return waitOnHostTimers(host, decision.waitMs);
      },
      shouldRetry: () => decision.retry,
    }).then(undefined, (error: unknown) => {
      // p-retry rethrows the attempt's own error: the caller gets it classified.
      throw classifyUnexpected(error, id);
    });
  };
}
