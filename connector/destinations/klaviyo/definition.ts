/**
 * Klaviyo: read profiles 100 at a time by external_id, write each with profile-import, the wallet
 * fields in profile `properties` (camelCase canonical names). Optional events for the profiles
 * written. See docs/destinations/klaviyo.md for setup, limits and retries.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import { isConnectorError } from '../../delivery/errors';
import { eventNamesField } from '../event-names';
import { eventFailure, recordFailure, written } from '../shared/outcomes';
import type { DestinationDefinition, ItemOutcome, WriteItem } from '../types';
import { classifyKlaviyoError } from './errors';
import { sendEvents } from './events';
import { importProfile, readProfiles } from './profiles';
import { DEFAULT_REVISION, headers, resolveKlaviyo, type KlaviyoContext, type KlaviyoSettings } from './wire';

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
  label: 'Klaviyo',
  docs: 'docs/destinations/klaviyo.md',
  authSchemes: ['apiKey', 'oauth2'],
  grants: ['refresh_token'],
  fields: {
    idProperty: {
      schema: {
        type: 'string',
        minLength: 1,
        default: 'external_id',
        description: 'the profile attribute that holds the join key: external_id, email or phone_number',
      },
    },
    apiVersion: {
      schema: { type: 'string', default: DEFAULT_REVISION, description: 'the API revision (YYYY-MM-DD)' },
    },
    eventNames: eventNamesField(
      'the metric names of the events (default "Pass Installed" / "Pass Uninstalled")',
    ),
  },
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
  setupSteps: () => [
    'Nothing to create: Klaviyo profile properties are created on first write.',
    'Create a private API key with profiles:read, profiles:write (and events:write when events is on).',
  ],
  read: readProfiles,
  write(ctx, items) {
    return Promise.all(items.map((item) => writeProfile(ctx, item)));
  },
  classifyError: classifyKlaviyoError,
  async testAuth(ctx) {
    const attribute = ctx.settings.identifier;
    await ctx.send({
      method: 'GET',
      path: '/api/profiles',
      query: { 'fields[profile]': attribute, 'page[size]': '1' },
      headers: headers(ctx, false),
    });
    // Profile properties are free-form in Klaviyo: there is nothing to create or check.
    return `credentials accepted (profiles:read); profiles matched by ${attribute}; properties need no setup`;
  },
};
