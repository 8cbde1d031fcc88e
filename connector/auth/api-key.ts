/** apiKey: the secret (after an optional prefix) in a header the tenant names. */
import type { AuthConfig } from '../config/tenant-config.generated';
import { configurationError, readSecret, secretName } from './secrets';
import { staticHeadersProvider } from './static-headers';
import type { AuthDeps, AuthProvider } from './types';

export function createApiKeyAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
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
  return staticHeadersProvider(`apiKey:${header.toLowerCase()}:${name}`, build);
}
