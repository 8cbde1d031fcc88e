/**
 * Klaviyo's JSON:API conventions, shared by every call: the `revision` header (the API version the
 * payloads are written for), vnd.api+json both ways, and the profile identifier the join key is.
 */
import { configurationError } from '../shared/settings';
import { eventNames, type EventNames } from '../event-names';
import type { DestinationContext, ResolvedDestination } from '../types';

/** The revision the payloads were written and contract-tested against (the spec's default). */
export const DEFAULT_REVISION = '2026-07-15';

export const IDENTIFIERS = ['external_id', 'email', 'phone_number'];

/** Klaviyo's own settings, read and checked once at registration. */
export interface KlaviyoSettings {
  revision: string;
  /** Which profile attribute holds the join key: external_id unless the tenant says email/phone. */
  identifier: string;
  eventNames: EventNames;
}

export type KlaviyoContext = DestinationContext<KlaviyoSettings>;

export function resolveKlaviyo(config: ResolvedDestination): KlaviyoSettings {
  const identifier = config.raw.idProperty || 'external_id';
  if (IDENTIFIERS.indexOf(identifier) < 0) {
    throw configurationError(
      config,
      `"idProperty" must be one of ${IDENTIFIERS.join(', ')} (got "${identifier}")`,
    );
  }
  return {
    revision: config.raw.apiVersion || DEFAULT_REVISION,
    identifier,
    eventNames: eventNames(config.raw),
  };
}

export function headers(ctx: KlaviyoContext, withBody: boolean): Record<string, string> {
  const out: Record<string, string> = {
    revision: ctx.settings.revision,
    accept: 'application/vnd.api+json',
  };
  if (withBody) out['content-type'] = 'application/vnd.api+json';
  return out;
}
