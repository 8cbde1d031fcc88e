/**
 * Klaviyo: read profiles 100 at a time by external_id, write each with profile-import, the wallet
 * fields in profile `properties` (camelCase canonical names). Optional events for the profiles
 * written. See docs/destinations/klaviyo.md for setup, limits and retries.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import { ConnectorError, isConnectorError } from '../../delivery/errors';
import type { DestinationContext, DestinationDefinition, ItemOutcome, WriteItem } from '../types';
import { classifyKlaviyoError } from './errors';
import { sendEvents } from './events';
import { importProfile, readProfiles } from './profiles';
import { headers, identifierOf } from './wire';

/** Import one profile, then its events; an event failure is reported on the item, named as such. */
async function writeProfile(ctx: DestinationContext, item: WriteItem): Promise<ItemOutcome> {
  const outcome = await importProfile(ctx, item);
  if (!outcome.ok || !ctx.config.events) return outcome;
  try {
    await sendEvents(ctx, item.key, item.applied);
    return outcome;
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return {
      key: item.key,
      ok: false,
      error: new ConnectorError(error.kind, `profile written, but its event was not sent: ${error.reason}`, {
        destination: ctx.config.id,
        status: error.status,
        vendorCode: error.vendorCode,
      }),
    };
  }
}

export const klaviyoDestination: DestinationDefinition = {
  type: 'klaviyo',
  label: 'Klaviyo',
  authSchemes: ['apiKey', 'oauth2'],
  grants: ['refresh_token'],
  defaultProperties: CANONICAL_PROPERTIES,
  // profile-import allows 75/s burst and 750/min steady per account; one limiter serves reads,
  // imports and events alike, so 10/s (600/min) stays under the steady window with room to spare.
  defaultRateLimit: { requests: 10, intervalMs: 1000, maxConcurrent: 10 },
  // A batch is what one read covers (page[size] <= 100); the write fans out one import per profile.
  defaultBatch: { maxSize: 100, maxWaitMs: 100 },
  maxBatchSize: 100,
  maxReadBatchSize: 100,
  defaultMode: 'readModifyWrite',
  read: readProfiles,
  write(ctx, items) {
    return Promise.all(items.map((item) => writeProfile(ctx, item)));
  },
  classifyError: classifyKlaviyoError,
  async testAuth(ctx) {
    const attribute = identifierOf(ctx);
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
