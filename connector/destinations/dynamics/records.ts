/**
 * Dataverse rows on the wire. Reads a batch with one filtered GET on the entity set
 * (`$filter=key eq 'a' or key eq 'b'`), which returns each row's `@odata.etag`; writes each customer
 * with a conditional PATCH on its alternate key: `If-Match: <etag>` when the row was read,
 * `If-None-Match: *` (create only) when there was none. A 412 either way means another writer got
 * there first: the outcome is a write conflict and the engine reads and reduces again.
 *
 * Why a filtered GET rather than $batch: one request whatever the batch size (service protection
 * counts each $batch operation as a request too), no multipart to compose or parse, and the answer
 * is plain JSON. Dataverse has no batch upsert with per-row ETags short of $batch, so writes are one
 * PATCH each, spaced by the limiter.
 */
import { ConnectorError } from '../../delivery/errors';
import { field } from '../shared/json';
import { eachAlone, writeConflict, written } from '../shared/outcomes';
import { chunkFilters, keySegment, nextLinkPath, selectPath } from './odata';
import type { DynamicsContext } from './settings';
import type { CurrentRecord, DestinationResponse, ItemOutcome, WriteItem } from '../types';

export const ODATA_HEADERS = { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };

export function rows(response: DestinationResponse, id: string): Record<string, unknown>[] {
  const value = field(response.json, 'value');
  if (!Array.isArray(value)) {
    throw new ConnectorError('transient', 'the read answered without a value list', {
      destination: id,
      status: response.status,
    });
  }
  return value as Record<string, unknown>[];
}

async function readGroup(ctx: DynamicsContext, keys: string[]): Promise<Record<string, unknown>[]> {
  const s = ctx.settings;
  const out: Record<string, unknown>[] = [];
  let path: string | null = selectPath(s.base, s.keyField, [s.keyField].concat(s.columns), keys);
  while (path !== null) {
    const response: DestinationResponse = await ctx.send({ method: 'GET', path, headers: ODATA_HEADERS });
    Array.prototype.push.apply(out, rows(response, ctx.config.id));
    path = nextLinkPath(field(response.json, '@odata.nextLink'));
  }
  return out;
}

export async function readRows(
  ctx: DynamicsContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const keyField = ctx.settings.keyField;
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const groups = await Promise.all(chunkFilters(keyField, keys).map((group) => readGroup(ctx, group)));
  for (let g = 0; g < groups.length; g++) {
    const list = groups[g] as Record<string, unknown>[];
    for (let i = 0; i < list.length; i++) {
      const row = list[i] as Record<string, unknown>;
      const key = row[keyField];
      const etag = row['@odata.etag'];
      if (typeof key === 'string' && out.has(key)) {
        out.set(key, { fields: row, etag: typeof etag === 'string' ? etag : undefined });
      }
    }
  }
  return out;
}

async function patchRow(ctx: DynamicsContext, item: WriteItem): Promise<ItemOutcome> {
  const s = ctx.settings;
  const headers: Record<string, string> = Object.assign({}, ODATA_HEADERS);
  // Write-only mode never reads, so it has nothing to be conditional on: a plain upsert.
  const conditional = ctx.config.mode === 'readModifyWrite';
  if (conditional && item.etag) headers['If-Match'] = item.etag;
  else if (conditional && item.created) headers['If-None-Match'] = '*';
  const response = await ctx.send({
    method: 'PATCH',
    path: `${s.root}/${keySegment(s.entitySet, s.keyField, item.key)}`,
    headers,
    json: item.fields,
    acceptStatuses: conditional ? [404, 412] : undefined,
  });
  if (response.status === 412) {
    const what = item.etag
      ? 'the record changed since it was read'
      : 'the record was created since it was read';
    return writeConflict(item.key, what);
  }
  if (response.status === 404) return writeConflict(item.key, 'the record was deleted since it was read');
  // Only a guarded write is sure not to have overwritten another writer's (no read-back needed).
  return written(item.key, !!(headers['If-Match'] || headers['If-None-Match']));
}

export function writeRows(ctx: DynamicsContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  return eachAlone(items, (item) => patchRow(ctx, item));
}
