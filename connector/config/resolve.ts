/**
 * Fills every default a destination needs: the tenant's values where given, else the destination
 * type's published defaults (rate limits, batch sizes, property names), and runs the type's own
 * `resolve` once. Pure; throws a configuration error naming the key, so a bad setting fails the
 * registration, not each event. What the tenant file's validation already refuses (an auth scheme
 * or grant the type does not accept: cli/config/semantic.ts) is not checked again here: every
 * config reaches the connector through it (the build, and the Node tools' loadTenantFile).
 */
import type { DestinationConfig } from './tenant-config.generated';
import type { DestinationDefinition, ResolvedDestination } from '../destinations/types';

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
