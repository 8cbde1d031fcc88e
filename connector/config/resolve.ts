/**
 * Fills every default a destination needs: the tenant's values where given, else the destination
 * type's published defaults (rate limits, batch sizes, property names); checks the auth scheme
 * and grant against the type's, and runs the type's own `resolve` once. Pure; throws a
 * configuration error naming the key, so a bad setting fails the registration, not each event.
 */
import { ConnectorError } from '../delivery/errors';
import type { DestinationConfig } from './tenant-config.generated';
import type { DestinationDefinition, ResolvedDestination } from '../destinations/types';

function checkAuth(config: DestinationConfig, definition: DestinationDefinition): void {
  const auth = config.auth;
  const grants = (definition.grants || []) as readonly string[];
  let refused = '';
  if ((definition.authSchemes as readonly string[]).indexOf(auth.scheme) < 0)
    refused = `"auth.scheme" "${auth.scheme}" (it accepts ${definition.authSchemes.join(', ')})`;
  else if (auth.scheme === 'oauth2' && grants.indexOf(String(auth.grant)) < 0)
    refused = `"auth.grant" "${String(auth.grant)}" (it accepts ${grants.join(', ')})`;
  if (refused) {
    throw new ConnectorError(
      'configuration',
      `${definition.label} destination "${config.id}" does not accept ${refused}; see ${definition.docs}`,
      { destination: config.id },
    );
  }
}

export const RETRY_DEFAULTS = { maxElapsedMs: 25000, maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 10000 };
export const DEFAULT_TIMEOUT_MS = 10000;

export function resolveDestination(
  config: DestinationConfig,
  definition: DestinationDefinition,
): ResolvedDestination {
  const rate = config.rateLimit || {};
  const batch = config.batch || {};
  const retry = config.retry || {};
  const properties = Object.assign({}, definition.defaultProperties, config.properties || {});
  checkAuth(config, definition);
  const resolved: ResolvedDestination = {
    id: config.id,
    type: config.type,
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    raw: config,
    mode: config.mode || definition.defaultMode,
    readBack: config.readBack || 'auto',
    properties,
    rateLimit: {
      requests: rate.requests ?? definition.defaultRateLimit.requests,
      intervalMs: rate.intervalMs ?? definition.defaultRateLimit.intervalMs,
      maxConcurrent: rate.maxConcurrent ?? definition.defaultRateLimit.maxConcurrent,
    },
    batch: {
      // A tenant may ask for smaller batches, never larger than the vendor accepts.
      maxSize: Math.min(batch.maxSize ?? definition.defaultBatch.maxSize, definition.maxBatchSize),
      maxWaitMs: batch.maxWaitMs ?? definition.defaultBatch.maxWaitMs,
    },
    retry: {
      maxElapsedMs: retry.maxElapsedMs ?? RETRY_DEFAULTS.maxElapsedMs,
      maxAttempts: retry.maxAttempts ?? RETRY_DEFAULTS.maxAttempts,
      baseDelayMs: retry.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
    },
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    events: config.events === true,
    settings: null,
  };
  resolved.settings = definition.resolve(resolved);
  return resolved;
}
