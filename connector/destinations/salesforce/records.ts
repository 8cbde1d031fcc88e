/**
 * Salesforce records on the wire: one SOQL query per batch read, one sObject Collections upsert by
 * External ID per write (`allOrNone: false`, up to 200 records, one result per record in request
 * order), and the describe call that proves the setup.
 */
import { ConnectorError } from '../../delivery/errors';
import { field, list } from '../shared/json';
import { chunks, perRequest, written } from '../shared/outcomes';
import { chunkByLength, selectByKeys } from './soql';
import { recordRefusal } from './results';
import type { SalesforceContext, SalesforceSettings } from './settings';
import type { CurrentRecord, ItemOutcome, WriteItem } from '../types';

export const MAX_COLLECTION = 200;

/** Salesforce answers DateTime as 2026-11-27T09:00:00.000+0000; the core expects ISO with Z. */
function normalizeValue(value: unknown): unknown {
  return typeof value === 'string'
    ? value.replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)\+0000$/, '$1Z')
    : value;
}

function toRecord(row: Record<string, unknown>, fields: string[]): CurrentRecord {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i] as string;
    out[name] = normalizeValue(row[name]);
  }
  return { fields: out };
}

/** The path part of a nextRecordsUrl (it is relative to the instance already). */
function nextPage(json: unknown): string | null {
  const next = field(json, 'nextRecordsUrl');
  return field(json, 'done') === false && typeof next === 'string' ? next : null;
}

async function queryAll(ctx: SalesforceContext, soql: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let response = await ctx.send({
    method: 'GET',
    path: `/services/data/${ctx.settings.version}/query`,
    query: { q: soql },
  });
  for (;;) {
    const records = field(response.json, 'records');
    if (!Array.isArray(records)) {
      throw new ConnectorError('transient', 'the query answer has no records list', {
        destination: ctx.config.id,
        status: response.status,
      });
    }
    for (let i = 0; i < records.length; i++) rows.push(records[i] as Record<string, unknown>);
    const next = nextPage(response.json);
    if (next === null) return rows;
    response = await ctx.send({ method: 'GET', path: next });
  }
}

export async function readRecords(
  ctx: SalesforceContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const s = ctx.settings;
  const select = ['Id', s.keyField].concat(s.fields);
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const pages = await Promise.all(
    chunkByLength(keys).map((group) => queryAll(ctx, selectByKeys(s.object, s.keyField, select, group))),
  );
  for (let p = 0; p < pages.length; p++) {
    const rows = pages[p] as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Record<string, unknown>;
      const key = row[s.keyField];
      // Several records with one external ID: keep the first; the upsert then reports the duplicate.
      if (typeof key === 'string' && out.has(key) && out.get(key) === null)
        out.set(key, toRecord(row, s.fields));
    }
  }
  return out;
}

function recordBody(s: SalesforceSettings, item: WriteItem): Record<string, unknown> {
  const body: Record<string, unknown> = { attributes: { type: s.object } };
  body[s.keyField] = item.key;
  const names = Object.keys(item.fields);
  for (let i = 0; i < names.length; i++) body[names[i] as string] = item.fields[names[i] as string];
  return body;
}

async function upsertCollection(ctx: SalesforceContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  const s = ctx.settings;
  const id = ctx.config.id;
  const response = await ctx.send({
    method: 'PATCH',
    path: `/services/data/${s.version}/composite/sobjects/${s.object}/${s.keyField}`,
    json: { allOrNone: false, records: items.map((item) => recordBody(s, item)) },
  });
  const results = response.json;
  if (!Array.isArray(results) || results.length !== items.length) {
    throw new ConnectorError(
      'transient',
      `the upsert answered ${Array.isArray(results) ? results.length : 'no'} results for ${items.length} records`,
      { destination: id, status: response.status },
    );
  }
  // Results come in request order: the i-th result is the i-th record's.
  return items.map((item, i) =>
    field(results[i], 'success') === true
      ? written(item.key)
      : recordRefusal(item.key, list(field(results[i], 'errors')), id),
  );
}

export function writeRecords(ctx: SalesforceContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  return perRequest(
    chunks(items, MAX_COLLECTION),
    (part) => part,
    (part) => upsertCollection(ctx, part),
  );
}
