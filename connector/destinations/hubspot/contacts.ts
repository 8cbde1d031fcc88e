/**
 * Contacts on the wire: batch/read by the unique id property, batch/upsert (200, or 207 with
 * per-input errors). Each upsert input carries its join key as objectWriteTraceId, so results and
 * errors map back to their customer even though HubSpot may answer in any order.
 */
import { ConnectorError } from '../../delivery/errors';
import type { CurrentRecord, WriteItem } from '../types';
import { createKeyMap, type KeyMap } from '../key-map';
import { idPropertyOf, mappedNames, toHubSpotValues, type HubSpotContext } from './properties';
import { list, obj, type Json } from '../shared/json';

export async function readContacts(
  ctx: HubSpotContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const idProperty = idPropertyOf(ctx);
  const properties = mappedNames(ctx);
  if (properties.indexOf(idProperty) < 0) properties.push(idProperty);
  const response = await ctx.send({
    method: 'POST',
    path: '/crm/v3/objects/contacts/batch/read',
    query: { archived: 'false' },
    json: {
      idProperty,
      inputs: keys.map((id) => ({ id })),
      properties,
      propertiesWithHistory: [],
    },
  });
  // Keys HubSpot did not find come back in `errors` (207, OBJECT_NOT_FOUND): they have no record.
  const out = new Map<string, CurrentRecord | null>();
  for (const key of keys) out.set(key, null);
  const byLower = createKeyMap<string>();
  for (const key of keys) byLower.set(key.toLowerCase(), key);
  for (const result of list(obj(response.json) && (response.json as Json).results)) {
    const props = obj(obj(result) && (result as Json).properties);
    if (!props) continue;
    const value = props[idProperty];
    if (typeof value !== 'string') continue;
    // HubSpot lowercases emails; match exactly first, then case-insensitively.
    const key = out.has(value) ? value : byLower.get(value.toLowerCase());
    if (key !== undefined) out.set(key, { fields: props });
  }
  return out;
}

export interface UpsertResult {
  /** HubSpot record id of each written key (for custom events). */
  written: KeyMap<string>;
  failed: KeyMap<ConnectorError>;
}

function errorFor(ctx: HubSpotContext, entry: Json, status: number): ConnectorError {
  const category = typeof entry.category === 'string' ? entry.category : 'ERROR';
  const message = typeof entry.message === 'string' ? entry.message.slice(0, 300) : 'refused';
  const kind = category === 'RATE_LIMITS' ? 'throttled' : 'permanent';
  return new ConnectorError(kind, `HubSpot refused this contact: "${message}" (${category})`, {
    destination: ctx.config.id,
    status,
    vendorCode: category,
  });
}

/** Keys named by an error entry: its context's ids or trace ids, whichever HubSpot filled in. */
function keysOfError(entry: Json): string[] {
  const context = obj(entry.context) || {};
  const out: string[] = [];
  for (const name of ['objectWriteTraceId', 'ids', 'id']) {
    for (const v of list(context[name])) if (typeof v === 'string') out.push(v);
  }
  return out;
}

export async function upsertContacts(ctx: HubSpotContext, items: WriteItem[]): Promise<UpsertResult> {
  const idProperty = idPropertyOf(ctx);
  const response = await ctx.send({
    method: 'POST',
    path: '/crm/v3/objects/contacts/batch/upsert',
    json: {
      inputs: items.map((item) => ({
        id: item.key,
        idProperty,
        objectWriteTraceId: item.key,
        properties: toHubSpotValues(item.fields),
      })),
    },
  });
  const body = obj(response.json) || {};
  const written = createKeyMap<string>();
  const failed = createKeyMap<ConnectorError>();
  const pending = createKeyMap<true>();
  for (const item of items) pending.set(item.key, true);
  for (const result of list(body.results)) {
    const r = obj(result);
    if (!r) continue;
    const props = obj(r.properties) || {};
    const trace = typeof r.objectWriteTraceId === 'string' ? r.objectWriteTraceId : props[idProperty];
    if (typeof trace === 'string' && pending.has(trace)) {
      written.set(trace, typeof r.id === 'string' ? r.id : '');
      pending.delete(trace);
    }
  }
  let unattributed: ConnectorError | null = null;
  for (const entry of list(body.errors)) {
    const e = obj(entry);
    if (!e) continue;
    const error = errorFor(ctx, e, response.status);
    const keys = keysOfError(e).filter((k) => pending.has(k));
    if (keys.length === 0) unattributed = unattributed || error;
    for (const key of keys) {
      failed.set(key, error);
      pending.delete(key);
    }
  }
  // Keys with neither a result nor an error of their own: an error HubSpot did not attribute is
  // theirs; with no error at all a 200 means they were written (HubSpot does not always echo traces).
  for (const key of pending.keys()) {
    if (unattributed) failed.set(key, unattributed);
    else if (response.status === 200) written.set(key, '');
    else
      failed.set(
        key,
        new ConnectorError('transient', 'HubSpot answered without a result for this contact', {
          destination: ctx.config.id,
          status: response.status,
        }),
      );
  }
  return { written, failed };
}
