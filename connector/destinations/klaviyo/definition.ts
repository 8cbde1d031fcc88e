/**
 * Klaviyo: read profiles 100 at a time by external_id, write each with profile-import, the wallet
 * fields in profile `properties` (camelCase canonical names). Optional events for the profiles
 * written. See docs/destinations/klaviyo.md for setup, limits and retries.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import { isConnectorError } from '../../delivery/errors';
import { eventFailure, recordFailure, written } from '../shared/outcomes';
import type { DestinationDefinition, ItemOutcome, WriteItem } from '../types';
import { classifyKlaviyoError, readKlaviyoError } from './errors';
import { sendEvents } from './events';
import { importProfile, readProfiles } from './profiles';
import { resolveKlaviyo, type KlaviyoContext, type KlaviyoSettings } from './wire';

/** Import one profile, then its events; an event failure is reported on the item, named as such. */
async function writeProfile(ctx: KlaviyoContext, item: WriteItem): Promise<ItemOutcome> {
  try {
    await importProfile(ctx, item);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return recordFailure(item.key, error);
  }
  if (!ctx.config.events) return written(item.key);
  try {
    await sendEvents(ctx, item.key, item.applied);
    return written(item.key);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return eventFailure(item.key, 'profile', error, ctx.config.id);
  }
}

export const klaviyoDestination: DestinationDefinition<KlaviyoSettings> = {
  type: 'klaviyo',
  defaultProperties: CANONICAL_PROPERTIES,
  // profile-import allows 75/s burst and 750/min steady per account; one limiter serves reads,
  // imports and events alike, so 10/s (600/min) stays under the steady window with room to spare.
  defaultRateLimit: { requests: 10, intervalMs: 1000, maxConcurrent: 10 },
  // A batch is what one read covers (page[size] <= 100); the write fans out one import per profile.
  defaultBatch: { maxSize: 100, maxWaitMs: 100 },
  maxBatchSize: 100,
  maxReadBatchSize: 100,
  defaultMode: 'readModifyWrite',
  resolve: resolveKlaviyo,
  read: readProfiles,
  write(ctx, items) {
    return Promise.all(items.map((item) => writeProfile(ctx, item)));
  },
  classifyError: classifyKlaviyoError,
  readError: readKlaviyoError,
};
