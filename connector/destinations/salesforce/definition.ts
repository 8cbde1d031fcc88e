/**
 * Salesforce (core platform REST API). Reads the current records with one SOQL query per batch,
 * writes them with one sObject Collections upsert by External ID (`allOrNone: false`, up to 200
 * records, one result per record in request order). The base URL is the org's instance_url from the
 * token answer (the sender picks it up); `baseUrl` is only the fallback. Platform Events are not
 * sent (see docs/destinations/salesforce.md: a record-triggered flow on the wallet fields does it).
 */
import { ConnectorError, isConnectorError } from '../../delivery/errors';
import { chunkByLength, isApiName, selectByKeys } from './soql';
import { classifySalesforce, firstError, recordError } from './results';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  ItemOutcome,
  WriteItem,
} from '../types';

export const DEFAULT_API_VERSION = 'v62.0';
export const DEFAULT_OBJECT = 'Contact';
export const MAX_COLLECTION = 200;

interface Settings {
  version: string;
  object: string;
  keyField: string;
  fields: string[];
}

function settings(ctx: DestinationContext): Settings {
  const raw = ctx.config.raw;
  const id = ctx.config.id;
  const version = raw.apiVersion
    ? raw.apiVersion.charAt(0) === 'v'
      ? raw.apiVersion
      : `v${raw.apiVersion}`
    : DEFAULT_API_VERSION;
  const object = raw.objectType || DEFAULT_OBJECT;
  const keyField = raw.externalIdField || '';
  if (!/^v\d+\.\d$/.test(version)) {
    throw new ConnectorError('configuration', `apiVersion "${version}" is not like v62.0`, {
      destination: id,
    });
  }
  if (!isApiName(keyField)) {
    throw new ConnectorError(
      'configuration',
      'salesforce needs externalIdField: an External ID field API name such as Customer_Id__c',
      {
        destination: id,
      },
    );
  }
  const props = ctx.config.properties;
  const fields: string[] = [];
  const names = Object.keys(props);
  for (let i = 0; i < names.length; i++) fields.push(props[names[i] as keyof typeof props]);
  const all = [object].concat(fields);
  for (let i = 0; i < all.length; i++) {
    if (!isApiName(all[i] as string)) {
      throw new ConnectorError('configuration', `"${all[i]}" is not a Salesforce API name`, {
        destination: id,
      });
    }
  }
  return { version, object, keyField, fields };
}

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
  const obj = json as Record<string, unknown> | null;
  if (!obj || obj.done !== false || typeof obj.nextRecordsUrl !== 'string') return null;
  return obj.nextRecordsUrl;
}

async function queryAll(
  ctx: DestinationContext,
  s: Settings,
  soql: string,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let response = await ctx.send({
    method: 'GET',
    path: `/services/data/${s.version}/query`,
    query: { q: soql },
  });
  for (;;) {
    const records =
      response.json !== null && typeof response.json === 'object'
        ? (response.json as Record<string, unknown>).records
        : undefined;
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

async function read(ctx: DestinationContext, keys: string[]): Promise<Map<string, CurrentRecord | null>> {
  const s = settings(ctx);
  const select = ['Id', s.keyField].concat(s.fields);
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const groups = chunkByLength(keys);
  const pages = await Promise.all(
    groups.map((group) => queryAll(ctx, s, selectByKeys(s.object, s.keyField, select, group))),
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

function recordBody(s: Settings, item: WriteItem): Record<string, unknown> {
  const body: Record<string, unknown> = { attributes: { type: s.object } };
  body[s.keyField] = item.key;
  const names = Object.keys(item.fields);
  for (let i = 0; i < names.length; i++) body[names[i] as string] = item.fields[names[i] as string];
  return body;
}

async function writeChunk(ctx: DestinationContext, s: Settings, items: WriteItem[]): Promise<ItemOutcome[]> {
  const id = ctx.config.id;
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < items.length; i++) records.push(recordBody(s, items[i] as WriteItem));
  const response = await ctx.send({
    method: 'PATCH',
    path: `/services/data/${s.version}/composite/sobjects/${s.object}/${s.keyField}`,
    json: { allOrNone: false, records },
  });
  const results = response.json;
  if (!Array.isArray(results) || results.length !== items.length) {
    throw new ConnectorError(
      'transient',
      `the upsert answered ${Array.isArray(results) ? results.length : 'no'} results for ${items.length} records`,
      {
        destination: id,
        status: response.status,
      },
    );
  }
  // Results come in request order: the i-th result is the i-th record's.
  const outcomes: ItemOutcome[] = [];
  for (let i = 0; i < items.length; i++) {
    const result = results[i] as Record<string, unknown> | null;
    const key = (items[i] as WriteItem).key;
    if (result && result.success === true) outcomes.push({ key, ok: true });
    else outcomes.push({ key, ok: false, error: recordError(result ? result.errors : null, id) });
  }
  return outcomes;
}

async function write(ctx: DestinationContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  const s = settings(ctx);
  const parts: WriteItem[][] = [];
  for (let i = 0; i < items.length; i += MAX_COLLECTION) parts.push(items.slice(i, i + MAX_COLLECTION));
  const lists = await Promise.all(
    parts.map((part) =>
      writeChunk(ctx, s, part).catch((error: unknown) => {
        if (!isConnectorError(error)) throw error;
        return part.map((item): ItemOutcome => ({ key: item.key, ok: false, error }));
      }),
    ),
  );
  const out: ItemOutcome[] = [];
  for (let i = 0; i < lists.length; i++) Array.prototype.push.apply(out, lists[i] as ItemOutcome[]);
  return out;
}

interface DescribedField {
  name: string;
  externalId: boolean;
  updateable: boolean;
}

async function testAuth(ctx: DestinationContext): Promise<string> {
  const s = settings(ctx);
  const id = ctx.config.id;
  const response = await ctx.send({
    method: 'GET',
    path: `/services/data/${s.version}/sobjects/${s.object}/describe`,
  });
  const list =
    response.json !== null && typeof response.json === 'object'
      ? (response.json as Record<string, unknown>).fields
      : undefined;
  if (!Array.isArray(list)) {
    const first = firstError(response.json);
    throw new ConnectorError(
      'permanent',
      `describe of ${s.object} answered without fields${first ? `: ${first.message}` : ''}`,
      { destination: id },
    );
  }
  const byName: Record<string, DescribedField> = {};
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as Record<string, unknown>;
    if (typeof f.name === 'string')
      byName[f.name] = { name: f.name, externalId: f.externalId === true, updateable: f.updateable === true };
  }
  const problems: string[] = [];
  const key = byName[s.keyField];
  if (!key) problems.push(`${s.keyField} (the externalIdField) is missing`);
  else if (!key.externalId) problems.push(`${s.keyField} is not marked External ID`);
  for (let i = 0; i < s.fields.length; i++) {
    const name = s.fields[i] as string;
    const field = byName[name];
    if (!field) problems.push(`${name} is missing`);
    else if (!field.updateable) problems.push(`${name} is read-only for this user`);
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'configuration',
      `${s.object}: ${problems.join('; ')}. Create the fields (see docs/destinations/salesforce.md) and grant the integration user field-level security (read and edit) on them`,
      { destination: id },
    );
  }
  const note = ctx.config.events
    ? '; events: true is not supported for salesforce (use a record-triggered flow)'
    : '';
  return `credentials accepted; ${s.object} has ${s.keyField} (External ID) and all ${s.fields.length} wallet fields, editable${note}`;
}

export const salesforceDestination: DestinationDefinition = {
  type: 'salesforce',
  label: 'Salesforce',
  authSchemes: ['oauth2'],
  grants: ['client_credentials', 'jwt_bearer', 'refresh_token'],
  defaultProperties: {
    walletStatus: 'Wallet_Status__c',
    appleWalletInstalledAt: 'Apple_Wallet_Installed_At__c',
    googleWalletInstalledAt: 'Google_Wallet_Installed_At__c',
    walletLastChangedAt: 'Wallet_Last_Changed_At__c',
    walletLastEvent: 'Wallet_Last_Event__c',
    walletSyncState: 'Wallet_Sync_State__c',
  },
  // Salesforce counts every call against the org's rolling 24 h allocation (shared with every other
  // integration) and never answers 429: a modest steady rate, large batches and few calls is the
  // way to stay out of REQUEST_LIMIT_EXCEEDED. 25/s = 2 calls per 200 customers at full batches.
  defaultRateLimit: { requests: 25, intervalMs: 1000, maxConcurrent: 10 },
  defaultBatch: { maxSize: 200, maxWaitMs: 200 },
  maxBatchSize: MAX_COLLECTION,
  maxReadBatchSize: MAX_COLLECTION,
  defaultMode: 'readModifyWrite',
  read,
  write,
  classifyError: classifySalesforce,
  testAuth,
};
