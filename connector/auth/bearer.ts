/** bearer: `Authorization: Bearer <secret>`. */
import type { AuthConfig } from '../config/tenant-config.generated';
import { readSecret, secretName } from './secrets';
import { staticHeadersProvider } from './static-headers';
import type { AuthDeps, AuthProvider } from './types';

export function createBearerAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const name = secretName(auth, 'tokenSecret', deps);
  async function build(): Promise<Record<string, string>> {
    const token = await readSecret(deps, name);
    return { Authorization: `Bearer ${token}` };
  }
  return staticHeadersProvider(`bearer:${name}`, build);
}
