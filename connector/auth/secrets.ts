/** Reads named secrets; failures name the secret, never a value. */
import { ConnectorError } from '../delivery/errors';
import type { AuthConfig } from '../config/tenant-config.generated';
import type { AuthDeps } from './types';

export type SecretKey =
  | 'secret'
  | 'tokenSecret'
  | 'usernameSecret'
  | 'passwordSecret'
  | 'clientIdSecret'
  | 'clientSecretSecret'
  | 'refreshTokenSecret'
  | 'privateKeySecret';

export function configurationError(deps: AuthDeps, reason: string): ConnectorError {
  return new ConnectorError('configuration', reason, { destination: deps.destination });
}

/** The secret NAME a config key holds; throws a configuration error naming the missing key. */
export function secretName(auth: AuthConfig, key: SecretKey, deps: AuthDeps): string {
  const name = auth[key];
  if (typeof name !== 'string' || name === '') {
    throw configurationError(deps, `auth scheme "${auth.scheme}" needs auth.${key} (the name of a secret)`);
  }
  return name;
}

/** Reads a secret; a missing or empty one is a configuration error naming it. */
export async function readSecret(deps: AuthDeps, name: string): Promise<string> {
  let value: unknown;
  try {
    value = await deps.getSecret(name);
  } catch {
    throw configurationError(deps, `secret "${name}" could not be read: define it for this tenant`);
  }
  if (typeof value !== 'string' || value === '') {
    throw configurationError(deps, `secret "${name}" is missing or empty: define it for this tenant`);
  }
  deps.registerSecret(value);
  return value;
}
