/**
 * Profiles: read up to 100 with one GET /api/profiles?filter=any(external_id,[...]); write each
 * with POST /api/profile-import (one profile a call: the synchronous import takes no batch; the
 * engine's limiter runs them concurrently within the rate). A null property clears it in Klaviyo.
 */
import { obj, type Json } from '../shared/json';
import type { CurrentRecord, WriteItem } from '../types';
import { headers, type KlaviyoContext } from './wire';

/** Klaviyo filter strings are double-quoted with backslash escapes, as JSON strings are. */
export function anyFilter(attribute: string, keys: string[]): string {
  return `any(${attribute},[${keys.map((k) => JSON.stringify(k)).join(',')}])`;
}

export async function readProfiles(
  ctx: KlaviyoContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const attribute = ctx.settings.identifier;
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

export async function importProfile(ctx: KlaviyoContext, item: WriteItem): Promise<void> {
  const attributes: Json = { properties: item.fields };
  attributes[ctx.settings.identifier] = item.key;
  await ctx.send({
    method: 'POST',
    path: '/api/profile-import',
    headers: headers(ctx, true),
    json: { data: { type: 'profile', attributes } },
  });
}
