/**
 * Profiles: read up to 100 with one GET /api/profiles?filter=any(external_id,[...]); write each
 * with POST /api/profile-import (one profile a call: the synchronous import takes no batch; the
 * engine's limiter runs them concurrently within the rate). A null property clears it in Klaviyo.
 */
import { isConnectorError } from '../../delivery/errors';
import type { CurrentRecord, DestinationContext, ItemOutcome, WriteItem } from '../types';
import { headers, identifierOf } from './wire';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** Klaviyo filter strings are double-quoted with backslash escapes, as JSON strings are. */
export function anyFilter(attribute: string, keys: string[]): string {
  return `any(${attribute},[${keys.map((k) => JSON.stringify(k)).join(',')}])`;
}

export async function readProfiles(
  ctx: DestinationContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const attribute = identifierOf(ctx);
  const response = await ctx.send({
    method: 'GET',
    path: '/api/profiles',
    query: {
      filter: anyFilter(attribute, keys),
      'fields[profile]': `${attribute},properties`,
      'page[size]': '100',
    },
    headers: headers(ctx, false),
  });
  const out = new Map<string, CurrentRecord | null>();
  for (const key of keys) out.set(key, null);
  const data = obj(response.json)?.data;
  for (const entry of Array.isArray(data) ? data : []) {
    const attributes = obj(obj(entry)?.attributes);
    const id = attributes ? attributes[attribute] : undefined;
    if (typeof id !== 'string' || !out.has(id)) continue;
    out.set(id, { fields: obj(attributes?.properties) || {} });
  }
  return out;
}

export async function importProfile(ctx: DestinationContext, item: WriteItem): Promise<ItemOutcome> {
  const attributes: Json = { properties: item.fields };
  attributes[identifierOf(ctx)] = item.key;
  try {
    await ctx.send({
      method: 'POST',
      path: '/api/profile-import',
      headers: headers(ctx, true),
      json: { data: { type: 'profile', attributes } },
    });
    return { key: item.key, ok: true };
  } catch (error) {
    if (isConnectorError(error)) return { key: item.key, ok: false, error };
    throw error;
  }
}
