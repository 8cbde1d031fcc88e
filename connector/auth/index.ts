/**
 * createAuth: the AuthProvider for a destination's auth config (docs/architecture.md §7). A configuration
 * mistake does not throw here: the provider's headers() rejects with the configuration error, so
 * callers see it where they see every other failure.
 */
import type { AuthConfig } from '../config/tenant-config.generated';
import { ConnectorError } from '../delivery/errors';
import { createApiKeyAuth } from './api-key';
import { createBasicAuth } from './basic';
import { createBearerAuth } from './bearer';
import { createOAuth2Auth } from './oauth2';
import type { AuthDeps, AuthProvider } from './types';

export type { AuthDeps, AuthProvider, TokenInfo } from './types';

function failing(identity: string, error: ConnectorError): AuthProvider {
  async function headers(): Promise<Record<string, string>> {
    throw error;
  }
  return { identity, headers, invalidate: function invalidate() {}, canRefresh: false };
}

export function createAuth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  try {
    // One module per scheme: the build leaves out (stubs) the schemes a tenant does not use.
    if (auth.scheme === 'apiKey') return createApiKeyAuth(auth, deps);
    if (auth.scheme === 'bearer') return createBearerAuth(auth, deps);
    if (auth.scheme === 'basic') return createBasicAuth(auth, deps);
    if (auth.scheme === 'oauth2') return createOAuth2Auth(auth, deps);
    throw new ConnectorError('configuration', `unknown auth scheme "${String(auth.scheme)}"`, {
      destination: deps.destination,
    });
  } catch (error) {
    const configError =
      error instanceof ConnectorError
        ? error
        : new ConnectorError('configuration', 'auth configuration could not be read', {
            destination: deps.destination,
          });
    return failing(`invalid:${deps.destination}`, configError);
  }
}
