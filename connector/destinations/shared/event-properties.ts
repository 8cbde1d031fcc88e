/**
 * The properties of a wallet event as the CRMs' event APIs receive them (snake_case, empty values
 * left out), built once; each destination keeps the ones its event API accepts.
 */
import type { WalletEvent } from '../../domain/types';

export type EventPropertyName =
  | 'pass_id'
  | 'pass_type'
  | 'wallet'
  | 'source_medium'
  | 'source_tags'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'utm_term'
  | 'utm_content';

export function eventProperties(
  event: WalletEvent,
  keep: readonly EventPropertyName[],
): Record<string, string | string[]> {
  const source = event.source;
  const utm = source.utm;
  const all: Record<EventPropertyName, string | string[] | undefined> = {
    pass_id: event.passId,
    pass_type: event.passType,
    wallet: event.wallet,
    source_medium: source.medium || undefined,
    source_tags: source.tags.length > 0 ? source.tags.slice(0) : undefined,
    utm_source: utm.source || undefined,
    utm_medium: utm.medium || undefined,
    utm_campaign: utm.campaign || undefined,
    utm_term: utm.term || undefined,
    utm_content: utm.content || undefined,
  };
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < keep.length; i++) {
    const name = keep[i] as EventPropertyName;
    const value = all[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
