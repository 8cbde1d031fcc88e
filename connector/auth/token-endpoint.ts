/**
 * One call to an OAuth2 token endpoint and what its answer means: a token, or a ConnectorError
 * (authentication for rejected credentials, transient/throttled for a busy or failing server).
 * Secret values never reach a message: the server's description is scrubbed of them.
 */
import { ConnectorError } from '../delivery/errors';
import { classifyNetworkError, classifyResponse } from '../delivery/classify';
import type { HttpResponse } from '../platform/host';
import type { AuthDeps } from './types';

export interface TokenAnswer {
  accessToken: string;
  /** Lifetime in seconds, when the server said it. */
  expiresIn?: number;
  refreshToken?: string;
  instanceUrl?: string;
}

/** How to explain a rejected grant: which secret to check or update. */
export interface RejectionHints {
  /** e.g. "refresh token revoked or expired: re-authorize and update secret \"x\"". */
  invalidGrant: string;
  invalidClient: string;
}

const MAX_DESCRIPTION = 200;

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (let i = 0; i < secrets.length; i += 1) {
    const secret = secrets[i] as string;
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_DESCRIPTION ? `${out.slice(0, MAX_DESCRIPTION - 3)}...` : out;
}

function str(json: unknown, key: string): string | undefined {
  const value =
    json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function lifetime(json: unknown): number | undefined {
  const raw =
    json !== null && typeof json === 'object' ? (json as Record<string, unknown>).expires_in : undefined;
  const n = typeof raw === 'string' ? parseFloat(raw) : raw;
  return typeof n === 'number' && isFinite(n) && n > 0 ? n : undefined;
}

function rejection(
  response: HttpResponse,
  json: unknown,
  hints: RejectionHints,
  secrets: string[],
  deps: AuthDeps,
): ConnectorError {
  const status = response.status;
  const error = str(json, 'error');
  const description = str(json, 'error_description');
  const said = description ? ` (server said: "${scrub(description, secrets)}")` : '';
  const details = { destination: deps.destination, status, vendorCode: error };
  const busy = description !== undefined && /already in progress|in progress|try again/i.test(description);

  if (error === 'temporarily_unavailable' || busy) {
    return new ConnectorError('transient', `token endpoint busy: ${error ?? 'retry later'}${said}`, details);
  }
  if (error === 'invalid_grant')
    return new ConnectorError('authentication', hints.invalidGrant + said, details);
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return new ConnectorError('authentication', `${hints.invalidClient} [${error}]${said}`, details);
  }
  if (status === 408 || status === 429 || status >= 500) {
    // Busy or failing server: the same classification (and wait hints) as any CRM answer.
    const classified = classifyResponse({
      status,
      headers: response.headers,
      json: undefined,
      destination: deps.destination,
      nowMs: deps.now(),
    });
    return new ConnectorError(classified.kind, `token endpoint ${classified.reason}${said}`, {
      destination: deps.destination,
      status,
      vendorCode: error,
      retryAfterMs: classified.retryAfterMs,
    });
  }
  const what = error ? `token request refused [${error}]` : `token request refused`;
  return new ConnectorError('authentication', what + said, details);
}

/** POSTs the form to the token endpoint; resolves with the token or rejects with a ConnectorError. */
export async function requestToken(
  deps: AuthDeps,
  tokenUrl: string,
  form: string,
  hints: RejectionHints,
  secrets: string[],
): Promise<TokenAnswer> {
  let response: HttpResponse;
  try {
    response = await deps.http({
      method: 'POST',
      url: tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
      timeoutMs: deps.timeoutMs,
    });
  } catch (error) {
    const classified = classifyNetworkError(error, deps.destination);
    throw new ConnectorError(classified.kind, `token endpoint: ${scrub(classified.reason, secrets)}`, {
      destination: deps.destination,
      code: classified.code,
    });
  }
  const json = parseJson(response.body);
  // Registered before anything can fail or log: a CRM may echo the token in an error body later.
  const issued = [str(json, 'access_token'), str(json, 'refresh_token')];
  for (let i = 0; i < issued.length; i += 1) {
    const value = issued[i];
    if (value !== undefined) deps.registerSecret(value);
  }
  if (response.status < 200 || response.status >= 300) throw rejection(response, json, hints, secrets, deps);
  const accessToken = str(json, 'access_token');
  if (!accessToken) {
    throw new ConnectorError(
      'authentication',
      `token endpoint answered ${response.status} without an access_token: check auth.tokenUrl`,
      {
        destination: deps.destination,
        status: response.status,
      },
    );
  }
  return {
    accessToken,
    expiresIn: lifetime(json),
    refreshToken: str(json, 'refresh_token'),
    instanceUrl: str(json, 'instance_url'),
  };
}
