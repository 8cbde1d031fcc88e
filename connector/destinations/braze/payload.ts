/**
 * /users/track bodies: one attributes object per customer (external_id + the changed custom
 * attributes; null removes one) and, with `events: true`, one custom event per distinct wallet event
 * folded into the write. Requests are cut so none carries more than 75 objects in total (Braze's
 * combined limit), and each object remembers which customer it belongs to, so the `errors` of a
 * partial success (`input_array` + `index`) can be mapped back.
 */
import { createKeyMap } from '../key-map';
import { eventProperties, type EventPropertyName } from '../shared/event-properties';
import { DEFAULT_EVENT_NAMES, type EventNames } from '../event-names';
import type { WalletEvent } from '../../domain/types';
import type { WriteItem } from '../types';

export const MAX_OBJECTS = 75;

export interface TrackRequest {
  body: { attributes: Record<string, unknown>[]; events?: Record<string, unknown>[] };
  /** items[i] owns attributes[i]. */
  items: WriteItem[];
  /** eventOwners[j] is the index in items of the customer events[j] belongs to. */
  eventOwners: number[];
}

/** Braze custom event properties take arrays and every UTM parameter. */
const EVENT_PROPERTIES: readonly EventPropertyName[] = [
  'pass_id',
  'pass_type',
  'wallet',
  'source_tags',
  'source_medium',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
];

/** Braze keeps every event it is sent (no dedup): a delivery repeated within the batch is sent once. */
export function distinctEvents(events: WalletEvent[]): WalletEvent[] {
  const seen = createKeyMap<true>();
  const out: WalletEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as WalletEvent;
    if (seen.has(e.idempotencyKey)) continue;
    seen.set(e.idempotencyKey, true);
    out.push(e);
  }
  return out;
}

export function brazeEvent(
  key: string,
  event: WalletEvent,
  names: EventNames = DEFAULT_EVENT_NAMES,
): Record<string, unknown> {
  return {
    external_id: key,
    name: names[event.kind],
    time: event.receivedAt,
    properties: eventProperties(event, EVENT_PROPERTIES),
  };
}

function attributesOf(item: WriteItem): Record<string, unknown> {
  const out: Record<string, unknown> = { external_id: item.key };
  const names = Object.keys(item.fields);
  for (let i = 0; i < names.length; i++) out[names[i] as string] = item.fields[names[i] as string];
  return out;
}

/** Cuts the items into /users/track requests of at most MAX_OBJECTS objects each. */
export function trackRequests(
  items: WriteItem[],
  withEvents: boolean,
  names: EventNames = DEFAULT_EVENT_NAMES,
): TrackRequest[] {
  const out: TrackRequest[] = [];
  let current: TrackRequest | null = null;
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as WriteItem;
    // The newest events win when a customer alone would overflow a request (never in practice).
    const all = withEvents ? distinctEvents(item.applied) : [];
    const events = all.slice(Math.max(0, all.length - (MAX_OBJECTS - 1)));
    const size = 1 + events.length;
    if (current === null || count + size > MAX_OBJECTS) {
      current = { body: { attributes: [] }, items: [], eventOwners: [] };
      if (withEvents) current.body.events = [];
      out.push(current);
      count = 0;
    }
    current.body.attributes.push(attributesOf(item));
    current.items.push(item);
    for (let j = 0; j < events.length; j++) {
      (current.body.events as Record<string, unknown>[]).push(
        brazeEvent(item.key, events[j] as WalletEvent, names),
      );
      current.eventOwners.push(current.items.length - 1);
    }
    count += size;
  }
  return out;
}
