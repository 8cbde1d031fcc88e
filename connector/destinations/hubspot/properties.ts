/**
 * HubSpot property values are strings on the wire (the spec types them `string`), and an empty
 * string clears a property. Datetime properties take ISO 8601 or epoch milliseconds; the connector
 * sends the ISO text it holds, which HubSpot stores at millisecond precision and reads back as ISO.
 */
import { configurationError, propertyNames } from '../shared/settings';
import type { DestinationContext, ResolvedDestination } from '../types';

export function toHubSpotValues(fields: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    out[name] = value === null || value === undefined ? '' : String(value);
  }
  return out;
}

/** HubSpot's own settings, read and checked once at registration. */
export interface HubSpotSettings {
  /** The unique contact property that holds the join key; the upsert cannot work without one. */
  idProperty: string;
  /** Every contact property the connector reads or writes, in CRM names, without repeats. */
  names: string[];
}

export type HubSpotContext = DestinationContext<HubSpotSettings>;

export function resolveHubSpot(config: ResolvedDestination): HubSpotSettings {
  const idProperty = config.raw.idProperty;
  if (typeof idProperty !== 'string' || idProperty === '') {
    throw configurationError(
      config,
      'needs "idProperty": the unique contact property that holds the join key (e.g. customer_id or email)',
    );
  }
  const names: string[] = [];
  for (const name of propertyNames(config)) if (names.indexOf(name) < 0) names.push(name);
  return { idProperty, names };
}

export function idPropertyOf(ctx: HubSpotContext): string {
  return ctx.settings.idProperty;
}

/** A fresh list of the mapped contact property names (callers may add to it). */
export function mappedNames(ctx: HubSpotContext): string[] {
  return ctx.settings.names.slice(0);
}
