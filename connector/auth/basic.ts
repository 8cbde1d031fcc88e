/** basic: `Authorization: Basic base64(user:password)`, both read from secrets. */
import type { AuthConfig } from '../config/tenant-config.generated';
import { base64Utf8 } from './base64';
import { configurationError, readSecret, secretName } from './secrets';
import { staticHeadersProvider } from './static-headers';
import type { AuthDeps, AuthProvider } from './types';

export function createBasicAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
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
  return staticHeadersProvider(`basic:${userName}`, build);
}
