/**
 * HubSpot (CRM v3 contacts): read with batch/read by the unique id property, write with
 * batch/upsert, 100 contacts a call, every value a string. Optional custom events for the
 * contacts written. See docs/destinations/hubspot.md for setup, limits and retries.
 */
import { classifyHubSpotError } from './errors';
import { readContacts, upsertContacts } from './contacts';
import { sendHubSpotEvents } from './events';
import { idPropertyOf, mappedNames, resolveHubSpot, type HubSpotSettings } from './properties';
import { eventNamesField } from '../event-names';
import { readProperties } from './setup';
import { ConnectorError } from '../../delivery/errors';
import { createKeyMap } from '../key-map';
import { eventFailure, recordFailure, written as writtenOk } from '../shared/outcomes';
import type { DestinationDefinition, ItemOutcome } from '../types';

export const hubspotDestination: DestinationDefinition<HubSpotSettings> = {
  type: 'hubspot',
  label: 'HubSpot',
  docs: 'docs/destinations/hubspot.md',
  authSchemes: ['bearer', 'oauth2'],
  grants: ['refresh_token'],
  fields: {
    idProperty: {
      required: true,
      schema: {
        type: 'string',
        minLength: 1,
        description: 'the unique contact property that holds the join key (e.g. customer_id or email)',
      },
    },
    eventNames: eventNamesField(
      'the internal names of your custom event definitions, e.g. pe12345_pass_installed (default pass_installed / pass_uninstalled)',
    ),
  },
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
  setupSteps: () => [
    'Nothing to create by hand: setup-crm creates the contact properties (and their group) by API.',
    'Create a private app with the scopes crm.objects.contacts.read, crm.objects.contacts.write and crm.schemas.contacts.write (analytics.behavioral_events.send for events).',
  ],
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
  async testAuth(ctx) {
    const idProperty = idPropertyOf(ctx);
    const names = mappedNames(ctx);
    if (names.indexOf(idProperty) < 0) names.push(idProperty);
    const found = await readProperties(ctx, names);
    const missing = names.filter((name) => !found[name]);
    if (missing.length > 0) {
      throw new ConnectorError(
        'configuration',
        `token accepted, but contact propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')} missing: run twc-connector setup-crm or fix "properties"/"idProperty"`,
        { destination: ctx.config.id },
      );
    }
    const id = found[idProperty];
    if (id && !id.hasUniqueValue && idProperty !== 'email') {
      throw new ConnectorError(
        'configuration',
        `token accepted, but ${idProperty} is not a unique property (hasUniqueValue): batch upsert needs one`,
        { destination: ctx.config.id },
      );
    }
    return `token accepted; ${names.length} contact properties present; upserts by ${idProperty}`;
  },
};
