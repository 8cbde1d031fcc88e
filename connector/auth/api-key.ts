/** apiKey: the secret (after an optional prefix) in a header the tenant names. */
import type { AuthConfig } from '../config/tenant-config.generated';
import { readSecret, secretName } from './secrets';
import { staticHeadersProvider } from './static-headers';
import type { AuthDeps, AuthProvider } from './types';

export function createApiKeyAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const name = secretName(auth, 'secret', deps);
  // A valid header name: the tenant file's validation refuses any other (cli/config/semantic.ts).
  const header = auth.header as string;
  async function build(): Promise<Record<string, string>> {
    const key = await readSecret(deps, name);
    const out: Record<string, string> = {};
    out[header] = (auth.prefix ?? '') + key;
    return out;
  }
  return staticHeadersProvider(`apiKey:${header.toLowerCase()}:${name}`, build);
}
