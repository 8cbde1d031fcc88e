/**
 * serve checks at start that every secret the tenant names for it is in the secrets file: without
 * one, each delivery to that destination would fail as a configuration error and be answered 200
 * (permanently unprocessable), so the platform would never deliver those events again.
 */
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { isSecretNameKey } from '../config/schema';
import { formatPath } from '../config/paths';

export interface NamedSecret {
  name: string;
  /** Where the tenant file names it, e.g. destinations[0].auth.tokenSecret. */
  path: string;
}

/** The secrets serve reads: the webhook secret and each destination's auth secrets. */
export function secretsServeReads(config: TenantConfig): NamedSecret[] {
  const out: NamedSecret[] = [];
  const webhook = config.platform && config.platform.webhookSecret;
  if (webhook) out.push({ name: webhook, path: 'platform.webhookSecret' });
  config.destinations.forEach((destination, index) => {
    const auth = destination.auth as unknown as Record<string, unknown>;
    for (const key of Object.keys(auth)) {
      const name = auth[key];
      if (isSecretNameKey(key) && typeof name === 'string' && name !== '')
        out.push({ name, path: formatPath(['destinations', index, 'auth', key]) });
    }
  });
  return out;
}

/** The named secrets absent (or empty) in the secrets file. */
export function missingSecrets(config: TenantConfig, secrets: Record<string, string>): NamedSecret[] {
  return secretsServeReads(config).filter(
    (s) => !Object.prototype.hasOwnProperty.call(secrets, s.name) || secrets[s.name] === '',
  );
}
