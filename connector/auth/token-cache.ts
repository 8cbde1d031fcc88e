/**
 * An access token kept until shortly before it expires, refreshed single-flight: however many
 * callers find it expired at once, one token request is made and all of them await it.
 */

export interface CachedToken {
  accessToken: string;
  /** Time (deps.now) from which the token is treated as expired and refreshed. */
  refreshAtMs: number;
  instanceUrl?: string;
}

/** Assumed lifetime when the server sends no expires_in (Salesforce). */
export const DEFAULT_LIFETIME_S = 3600;
const MARGIN_MS = 60000;

/** Refresh 60 s before expiry, or 10% of the lifetime for short-lived tokens. */
export function refreshAt(nowMs: number, expiresInS: number | undefined): number {
  const lifetimeMs = (expiresInS ?? DEFAULT_LIFETIME_S) * 1000;
  return nowMs + lifetimeMs - Math.min(MARGIN_MS, lifetimeMs * 0.1);
}

export interface TokenCache {
  get(): Promise<CachedToken>;
  /** Drops the cached token if it is still the one given (a later one stays). */
  drop(accessToken?: string): void;
  last(): CachedToken | null;
}

export function createTokenCache(fetchToken: () => Promise<CachedToken>, now: () => number): TokenCache {
  let cached: CachedToken | null = null;
  let inflight: Promise<CachedToken> | null = null;

  function settle(token: CachedToken): CachedToken {
    inflight = null;
    cached = token;
    return token;
  }

  function fail(error: unknown): CachedToken {
    inflight = null;
    throw error;
  }

  function get(): Promise<CachedToken> {
    if (cached !== null && now() < cached.refreshAtMs) return Promise.resolve(cached);
    if (inflight === null) {
      inflight = fetchToken().then(settle, fail);
    }
    return inflight;
  }

  function drop(accessToken?: string): void {
    if (cached !== null && (accessToken === undefined || cached.accessToken === accessToken)) cached = null;
  }

  function last(): CachedToken | null {
    return cached;
  }

  return { get, drop, last };
}
