/**
 * Klaviyo's JSON:API conventions, shared by every call: the `revision` header (the API version the
 * payloads are written for), vnd.api+json both ways, and the profile identifier the join key is.
 */
import { ConnectorError } from '../../delivery/errors';
import type { DestinationContext } from '../types';

/** The revision the payloads were written and contract-tested against (the spec's default). */
export const DEFAULT_REVISION = '2026-07-15';

const IDENTIFIERS = ['external_id', 'email', 'phone_number'];

export function headers(ctx: DestinationContext, withBody: boolean): Record<string, string> {
  const out: Record<string, string> = {
    revision: ctx.config.raw.apiVersion || DEFAULT_REVISION,
    accept: 'application/vnd.api+json',
  };
  if (withBody) out['content-type'] = 'application/vnd.api+json';
  return out;
}

/** Which profile attribute holds the join key: external_id unless the tenant says email/phone. */
export function identifierOf(ctx: DestinationContext): string {
  const name = ctx.config.raw.idProperty || 'external_id';
  if (IDENTIFIERS.indexOf(name) < 0) {
    throw new ConnectorError(
      'configuration',
      `klaviyo "idProperty" must be one of ${IDENTIFIERS.join(', ')} (got "${name}")`,
      { destination: ctx.config.id },
    );
  }
  return name;
}
