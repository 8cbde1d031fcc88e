/**
 * HubSpot (CRM v3 contacts): read with batch/read by the unique id property, write with
 * batch/upsert, 100 contacts a call, every value a string. Optional custom events for the
 * contacts written. See docs/destinations/hubspot.md for setup, limits and retries.
 */
import { classifyHubSpotError, readHubSpotError } from './errors';
import { readContacts, upsertContacts } from './contacts';
import { sendHubSpotEvents } from './events';
import { idPropertyOf, resolveHubSpot, type HubSpotSettings } from './properties';
import { ConnectorError } from '../../delivery/errors';
import { createKeyMap } from '../key-map';
import { eventFailure, recordFailure, written as writtenOk } from '../shared/outcomes';
import type { DestinationDefinition, ItemOutcome } from '../types';

export const hubspotDestination: DestinationDefinition<HubSpotSettings> = {
  type: 'hubspot',
  defaultProperties: {
    walletStatus: 'wallet_status',
    appleWalletInstalledAt: 'apple_wallet_installed_at',
    googleWalletInstalledAt: 'google_wallet_installed_at',
    walletLastChangedAt: 'wallet_last_changed_at',
    walletLastEvent: 'wallet_last_event',
    walletSyncState: 'wallet_sync_state',
  },
  // Free/Starter private apps get 100 requests per rolling 10 s; 90 leaves room for other callers
  // of the same token (setup, test-auth) and for the edges of a rolling window.
  defaultRateLimit: { requests: 90, intervalMs: 10000, maxConcurrent: 4 },
  // Requests are the scarce resource: wait a little longer to fill batches of up to 100.
  defaultBatch: { maxSize: 100, maxWaitMs: 200 },
  maxBatchSize: 100,
  maxReadBatchSize: 100,
  defaultMode: 'readModifyWrite',
  resolve: resolveHubSpot,
  read: readContacts,
  async write(ctx, items) {
    const { written, failed } = await upsertContacts(ctx, items);
    const eventFailures =
      ctx.config.events && written.size() > 0
        ? await sendHubSpotEvents(
            ctx,
            items.filter((item) => written.has(item.key)),
            written,
            idPropertyOf(ctx),
          )
        : createKeyMap<ConnectorError>();
    return items.map((item): ItemOutcome => {
      const error = failed.get(item.key);
      if (error) return recordFailure(item.key, error);
      const eventError = eventFailures.get(item.key);
      if (!eventError) return writtenOk(item.key);
      return eventFailure(item.key, 'contact', eventError, ctx.config.id);
    });
  },
  classifyError: classifyHubSpotError,
  readError: readHubSpotError,
};
