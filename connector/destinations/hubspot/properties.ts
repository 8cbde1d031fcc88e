/**
 * HubSpot property values are strings on the wire (the spec types them `string`), and an empty
 * string clears a property. Datetime properties take ISO 8601 or epoch milliseconds; the connector
 * sends the ISO text it holds, which HubSpot stores at millisecond precision and reads back as ISO.
 */
import { ConnectorError } from '../../delivery/errors';
import type { DestinationContext } from '../types';

export function toHubSpotValues(fields: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    out[name] = value === null || value === undefined ? '' : String(value);
  }
  return out;
}

/** The unique contact property that holds the join key; the upsert cannot work without one. */
export function idPropertyOf(ctx: DestinationContext): string {
  const name = ctx.config.raw.idProperty;
  if (typeof name !== 'string' || name === '') {
    throw new ConnectorError(
      'configuration',
      'hubspot needs "idProperty": the unique contact property that holds the join key (e.g. customer_id or email)',
      { destination: ctx.config.id },
    );
  }
  return name;
}

/** Every contact property the connector reads or writes, in CRM names, without repeats. */
export function mappedNames(ctx: DestinationContext): string[] {
  const names: string[] = [];
  const props = ctx.config.properties as Record<string, string>;
  for (const canonical of Object.keys(props)) {
    const name = props[canonical] as string;
    if (names.indexOf(name) < 0) names.push(name);
  }
  return names;
}
