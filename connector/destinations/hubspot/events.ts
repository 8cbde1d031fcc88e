/**
 * HubSpot custom events (Enterprise tiers): one `/events/v3/send/batch` call for the events of the
 * contacts just written, so journeys can start from a pass install or uninstall. The event must be
 * defined in HubSpot first; its internal name is configured per tenant (docs/destinations/hubspot.md).
 */
import { eventNames } from '../event-names';
import { isConnectorError, type ConnectorError } from '../../delivery/errors';
import type { WalletEvent } from '../../domain/types';
import { createKeyMap, type KeyMap } from '../key-map';
import type { WriteItem } from '../types';
import type { HubSpotContext } from './properties';
import { eventProperties as propertiesOf } from '../shared/event-properties';

/** HubSpot accepts at most 500 events per batch call. */
const MAX_EVENTS_PER_CALL = 500;

export interface HubSpotEventNames {
  installed: string;
  uninstalled: string;
}

/**
 * Internal names of the two event definitions, from the tenant's `eventNames` (HubSpot prefixes
 * them, e.g. pe12345_pass_installed); the defaults are the names the setup docs tell the Brand to use.
 */
export function eventNamesOf(ctx: HubSpotContext): HubSpotEventNames {
  return eventNames(ctx.config.raw, { installed: 'pass_installed', uninstalled: 'pass_uninstalled' });
}

/** The properties the event definitions declare (HubSpot refuses others): strings only. */
function eventProperties(event: WalletEvent): Record<string, string> {
  return propertiesOf(event, [
    'pass_id',
    'pass_type',
    'wallet',
    'source_medium',
    'utm_source',
    'utm_medium',
    'utm_campaign',
  ]) as Record<string, string>;
}

/** Sends the events of written items; returns the keys whose events failed, with the reason. */
export async function sendHubSpotEvents(
  ctx: HubSpotContext,
  items: WriteItem[],
  objectIds: KeyMap<string>,
  idProperty: string,
): Promise<KeyMap<ConnectorError>> {
  const names = eventNamesOf(ctx);
  const inputs: Array<{ key: string; body: Record<string, unknown> }> = [];
  for (const item of items) {
    for (const event of item.applied) {
      const body: Record<string, unknown> = {
        eventName: event.kind === 'installed' ? names.installed : names.uninstalled,
        occurredAt: event.receivedAt,
        properties: eventProperties(event),
      };
      const objectId = objectIds.get(item.key);
      if (objectId) body.objectId = objectId;
      else if (idProperty === 'email') body.email = item.key;
      inputs.push({ key: item.key, body });
    }
  }
  const failed = createKeyMap<ConnectorError>();
  for (let i = 0; i < inputs.length; i += MAX_EVENTS_PER_CALL) {
    const part = inputs.slice(i, i + MAX_EVENTS_PER_CALL);
    try {
      await ctx.send({
        method: 'POST',
        path: '/events/v3/send/batch',
        json: { inputs: part.map((p) => p.body) },
      });
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      for (const p of part) failed.set(p.key, error);
    }
  }
  return failed;
}
