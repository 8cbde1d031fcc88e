/** apiKey, bearer and basic: a header built once from secrets, then reused. */
import type { AuthConfig } from '../config/tenant-config.generated';
import { base64Utf8 } from './base64';
import { configurationError, readSecret, secretName } from './secrets';
import type { AuthDeps, AuthProvider } from './types';

type Build = () => Promise<Record<string, string>>;

function cachedHeaders(build: Build): () => Promise<Record<string, string>> {
  let cached: Record<string, string> | null = null;
  async function headers(): Promise<Record<string, string>> {
    if (cached === null) {
      const built = await build();
      cached = built;
    }
    return Object.assign({}, cached);
  }
  return headers;
}

function provider(identity: string, build: Build): AuthProvider {
  return { identity, headers: cachedHeaders(build), invalidate: function invalidate() {}, canRefresh: false };
}

function apiKey(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const name = secretName(auth, 'secret', deps);
  const header = auth.header;
  if (typeof header !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
    throw configurationError(
      deps,
      'auth scheme "apiKey" needs auth.header, a valid HTTP header name (e.g. X-API-KEY)',
    );
  }
  async function build(): Promise<Record<string, string>> {
    const key = await readSecret(deps, name);
    const out: Record<string, string> = {};
    out[header as string] = (auth.prefix ?? '') + key;
    return out;
  }
  return provider(`apiKey:${header.toLowerCase()}:${name}`, build);
}

function bearer(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const name = secretName(auth, 'tokenSecret', deps);
  async function build(): Promise<Record<string, string>> {
    const token = await readSecret(deps, name);
    return { Authorization: `Bearer ${token}` };
  }
  return provider(`bearer:${name}`, build);
}

function basic(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const userName = secretName(auth, 'usernameSecret', deps);
  const passwordName = secretName(auth, 'passwordSecret', deps);
  async function build(): Promise<Record<string, string>> {
    const user = await readSecret(deps, userName);
    const password = await readSecret(deps, passwordName);
    if (user.indexOf(':') !== -1) {
      throw configurationError(
        deps,
        `secret "${userName}" holds a user name with ":", which HTTP Basic cannot carry`,
      );
    }
    const encoded = base64Utf8(`${user}:${password}`);
    // Neither the user nor the password appears in the header: its base64 is a credential of its own.
    deps.registerSecret(encoded);
    return { Authorization: `Basic ${encoded}` };
  }
  return provider(`basic:${userName}`, build);
}

export function createStaticAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  if (auth.scheme === 'apiKey') return apiKey(auth, deps);
  if (auth.scheme === 'bearer') return bearer(auth, deps);
  return basic(auth, deps);
}
