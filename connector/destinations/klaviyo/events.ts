/**
 * Klaviyo events for the profiles just written: metric "Pass Installed" / "Pass Uninstalled",
 * unique_id = the event's idempotency key (Klaviyo keeps the first of a profile+metric+unique_id,
 * so a retried request records nothing twice), time = when the connector received the event.
 */
import type { WalletEvent } from '../../domain/types';
import { headers, type KlaviyoContext } from './wire';
import { eventProperties } from '../shared/event-properties';

export function eventBody(ctx: KlaviyoContext, key: string, event: WalletEvent): unknown {
  const profile: Record<string, string> = {};
  profile[ctx.settings.identifier] = key;
  const properties = eventProperties(event, [
    'pass_id',
    'pass_type',
    'wallet',
    'source_medium',
    'source_tags',
    'utm_source',
    'utm_medium',
    'utm_campaign',
  ]);
  return {
    data: {
      type: 'event',
      attributes: {
        properties,
        time: event.receivedAt,
        unique_id: event.idempotencyKey,
        metric: { data: { type: 'metric', attributes: { name: ctx.settings.eventNames[event.kind] } } },
        profile: { data: { type: 'profile', attributes: profile } },
      },
    },
  };
}

/** Sends one event per request (POST /api/events answers 202); rejects with the first failure. */
export async function sendEvents(ctx: KlaviyoContext, key: string, events: WalletEvent[]): Promise<void> {
  for (const event of events) {
    await ctx.send({
      method: 'POST',
      path: '/api/events',
      headers: headers(ctx, true),
      json: eventBody(ctx, key, event),
    });
  }
}
