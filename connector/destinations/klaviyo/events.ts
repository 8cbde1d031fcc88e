/**
 * Klaviyo events for the profiles just written: metric "Pass Installed" / "Pass Uninstalled",
 * unique_id = the event's idempotency key (Klaviyo keeps the first of a profile+metric+unique_id,
 * so a retried request records nothing twice), time = when the connector received the event.
 */
import type { WalletEvent } from '../../domain/types';
import type { DestinationContext } from '../types';
import { headers, identifierOf } from './wire';
import { eventName } from '../event-names';

export function eventBody(ctx: DestinationContext, key: string, event: WalletEvent): unknown {
  const profile: Record<string, string> = {};
  profile[identifierOf(ctx)] = key;
  const source = event.source;
  const properties: Record<string, unknown> = {
    pass_id: event.passId,
    pass_type: event.passType,
    wallet: event.wallet,
  };
  if (source.medium) properties.source_medium = source.medium;
  if (source.tags.length > 0) properties.source_tags = source.tags;
  if (source.utm.source) properties.utm_source = source.utm.source;
  if (source.utm.medium) properties.utm_medium = source.utm.medium;
  if (source.utm.campaign) properties.utm_campaign = source.utm.campaign;
  return {
    data: {
      type: 'event',
      attributes: {
        properties,
        time: event.receivedAt,
        unique_id: event.idempotencyKey,
        metric: { data: { type: 'metric', attributes: { name: eventName(ctx.config.raw, event.kind) } } },
        profile: { data: { type: 'profile', attributes: profile } },
      },
    },
  };
}

/** Sends one event per request (POST /api/events answers 202); rejects with the first failure. */
export async function sendEvents(ctx: DestinationContext, key: string, events: WalletEvent[]): Promise<void> {
  for (const event of events) {
    await ctx.send({
      method: 'POST',
      path: '/api/events',
      headers: headers(ctx, true),
      json: eventBody(ctx, key, event),
    });
  }
}
