/**
 * A stateful Salesforce org on loopback: an OAuth2 token endpoint that answers with the simulator's
 * own instance_url (client_credentials, refresh_token, JWT bearer), sessions checked on every API
 * call (401 INVALID_SESSION_ID), SOQL reads by External ID, sObject Collections upsert with
 * per-record results in request order, describe, restricted picklists, DateTime stored and answered
 * as Salesforce does (`...000+0000`), duplicate external IDs, validation rules, `Sforce-Limit-Info`,
 * and refusals shaped like Salesforce's (`403 [{errorCode: 'REQUEST_LIMIT_EXCEEDED'}]`, never 429).
 */
import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { FaultPlan } from './faults';
import type { RateLimitRule, WindowRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface SalesforceAppOptions {
  clientId: string;
  clientSecret: string;
  /** A refresh token the app accepts (auth-code apps). */
  refreshToken: string;
  /** PEM public key of the certificate uploaded to the app (JWT bearer flow). */
  jwtPublicKeyPem?: string;
  /** Users pre-authorized for the JWT bearer flow. */
  jwtUsers: string[];
}

function form(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (!(name in out)) out[name] = value;
  }
  return out;
}

function refuse(error: string, description: string): SimResponse {
  return { status: 400, json: { error, error_description: description } };
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Checks an RS256 assertion the way Salesforce documents it: iss = consumer key, sub = user, aud, exp. */
function checkAssertion(
  assertion: string,
  app: SalesforceAppOptions,
  key: KeyObject | null,
  audiences: string[],
  nowMs: number,
): string | null {
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !header || !claims || header.alg !== 'RS256' || !key) return 'invalid assertion';
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${parts[0]}.${parts[1]}`);
  if (!verifier.verify(key, Buffer.from(parts[2] as string, 'base64url'))) return 'invalid assertion';
  if (claims.iss !== app.clientId) return 'invalid client credentials';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < nowMs) return 'expired authorization code';
  const aud = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.indexOf(a) >= 0)) return 'audience is invalid';
  if (typeof claims.sub !== 'string' || app.jwtUsers.indexOf(claims.sub) < 0)
    return "user hasn't approved this consumer";
  return null;
}

export function tokenEndpoint(
  app: SalesforceAppOptions,
  instanceUrl: () => string,
  issue: () => string,
  nowMs: () => number,
): (req: SimRequest) => SimResponse {
  const key = app.jwtPublicKeyPem ? createPublicKey(app.jwtPublicKeyPem) : null;
  return (req) => {
    const params = form(req.body);
    const grant = params.grant_type;
    if (grant === 'client_credentials') {
      if (params.client_id !== app.clientId || params.client_secret !== app.clientSecret)
        return refuse('invalid_client', 'invalid client credentials');
    } else if (grant === 'refresh_token') {
      if (params.client_id !== app.clientId || params.client_secret !== app.clientSecret)
        return refuse('invalid_client', 'invalid client credentials');
      if (params.refresh_token !== app.refreshToken)
        return refuse('invalid_grant', 'expired access/refresh token');
    } else if (grant === JWT_BEARER_GRANT) {
      const audiences = [
        'https://login.salesforce.com',
        'https://test.salesforce.com',
        instanceUrl(),
        `${instanceUrl()}/services/oauth2/token`,
      ];
      const problem = checkAssertion(params.assertion ?? '', app, key, audiences, nowMs());
      if (problem) return refuse('invalid_grant', problem);
    } else {
      return refuse('unsupported_grant_type', 'grant type not supported');
    }
    const token = issue();
    return {
      status: 200,
      json: {
        access_token: token,
        instance_url: instanceUrl(),
        id: `${instanceUrl()}/id/00D000000000001/005000000000001`,
        token_type: 'Bearer',
        issued_at: String(nowMs()),
        signature: 'c2lnbmF0dXJl',
      },
    };
  };
}

export const SF_DEFAULT_FIELDS = [
  'Wallet_Status__c',
  'Apple_Wallet_Installed_At__c',
  'Google_Wallet_Installed_At__c',
  'Wallet_Last_Changed_At__c',
  'Wallet_Last_Event__c',
  'Wallet_Sync_State__c',
];

/** Restricted picklists: any other value is refused, as Salesforce does. */
const PICKLISTS: Record<string, string[]> = {
  Wallet_Status__c: ['none', 'apple', 'google', 'both'],
  Wallet_Last_Event__c: ['installed', 'uninstalled'],
};

export interface SalesforceSimOptions {
  app?: Partial<SalesforceAppOptions>;
  objectType?: string;
  externalIdField?: string;
  /** Custom fields that exist (and are visible to the integration user); default SF_DEFAULT_FIELDS. */
  fields?: string[];
  /** Fields that exist but the integration user cannot edit (field-level security read-only). */
  readOnlyFields?: string[];
  /** A validation rule: a message refuses the record (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
  validate?: (record: Record<string, unknown>) => string | null;
  /** Query page size (Salesforce: 2,000). */
  pageSize?: number;
  /** The org's daily API allocation (Sforce-Limit-Info; past it: 403 TotalRequests Limit exceeded). */
  dailyLimit?: number;
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
  name?: string;
}

export interface SfRecord {
  Id: string;
  fields: Record<string, unknown>;
}

export interface SalesforceTableRow {
  key: string;
  walletStatus: string;
  appleWalletInstalledAt: string;
  googleWalletInstalledAt: string;
}

export interface SalesforceSimulator {
  server: SimServer;
  url: string;
  tokenUrl: string;
  app: SalesforceAppOptions;
  records: SfRecord[];
  /** Sessions issued so far (tokens from the token endpoint or issueSession). */
  sessions: Set<string>;
  issueSession(): string;
  /** Every session expires (the next API call answers 401 INVALID_SESSION_ID). */
  expireSessions(): void;
  insert(fields: Record<string, unknown>): SfRecord;
  /** API calls counted against the daily allocation. */
  apiUsage(): number;
  table(): SalesforceTableRow[];
}

/** Salesforce's shape for a concurrency/allocation refusal, for a WindowRule of the sim core. */
export function salesforceLimitRule(requests: number, intervalMs: number): WindowRule {
  return {
    requests,
    intervalMs,
    respond: () => ({
      status: 403,
      json: [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    }),
  };
}

function sfError(status: number, errorCode: string, message: string): SimResponse {
  return { status, json: [{ message, errorCode, fields: [] }] };
}

/** 2026-11-27T09:00:00.000Z -> 2026-11-27T09:00:00.000+0000, as Salesforce answers DateTime. */
function sfDateTime(value: string): string | null {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || isNaN(ms)) return null;
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function isDateTimeField(name: string): boolean {
  return /_At__c$/.test(name);
}

/** Parses `'a','b\'c'` (SOQL string literals); null when malformed. */
function parseInList(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const unescape: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '\\': '\\',
    "'": "'",
    '"': '"',
  };
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (text[i] !== "'") return null;
    i++;
    let value = '';
    for (;;) {
      if (i >= text.length) return null;
      const c = text[i] as string;
      if (c === '\\') {
        const next = unescape[text[i + 1] as string];
        if (next === undefined) return null;
        value += next;
        i += 2;
      } else if (c === "'") {
        i++;
        break;
      } else {
        value += c;
        i++;
      }
    }
    out.push(value);
    while (text[i] === ' ') i++;
    if (i < text.length) {
      if (text[i] !== ',') return null;
      i++;
    }
  }
  return out;
}

function cell(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export async function startSalesforceSimulator(
  options: SalesforceSimOptions = {},
): Promise<SalesforceSimulator> {
  const clock = options.clock ?? Date.now;
  const object = options.objectType ?? 'Contact';
  const keyField = options.externalIdField ?? 'Customer_Id__c';
  const custom = options.fields ?? SF_DEFAULT_FIELDS;
  const readOnly = options.readOnlyFields ?? [];
  const known = ['Id', 'Name', keyField].concat(custom);
  const pageSize = options.pageSize ?? 2000;
  const dailyLimit = options.dailyLimit ?? 100000;
  const app: SalesforceAppOptions = {
    clientId: options.app?.clientId ?? '3MVG9sim.consumer.key',
    clientSecret: options.app?.clientSecret ?? randomBytes(12).toString('hex'),
    refreshToken: options.app?.refreshToken ?? randomBytes(16).toString('hex'),
    jwtPublicKeyPem: options.app?.jwtPublicKeyPem,
    jwtUsers: options.app?.jwtUsers ?? ['integration@example.com'],
  };
  const records: SfRecord[] = [];
  const sessions = new Set<string>();
  const cursors = new Map<string, Record<string, unknown>[]>();
  let usage = 0;
  let nextId = 1;
  let url = '';

  function issueSession(): string {
    const token = `00Dsim!${randomBytes(24).toString('base64url')}`;
    sessions.add(token);
    return token;
  }

  function insert(fields: Record<string, unknown>): SfRecord {
    const record = { Id: `003sim${String(nextId++).padStart(12, '0')}`, fields: { ...fields } };
    records.push(record);
    return record;
  }

  /** Session check and allocation accounting in front of every API route. */
  function api(handle: (req: SimRequest, params: Record<string, string>) => SimResponse): Route['handle'] {
    return (req, params) => {
      const auth = req.headers.authorization ?? '';
      if (!/^Bearer /.test(auth) || !sessions.has(auth.slice(7)))
        return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      if (usage >= dailyLimit) return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      usage++;
      const response = handle(req, params);
      return {
        ...response,
        headers: { ...response.headers, 'sforce-limit-info': `api-usage=${usage}/${dailyLimit}` },
      };
    };
  }

  function row(record: SfRecord, select: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${record.Id}` },
    };
    for (const name of select) out[name] = name === 'Id' ? record.Id : (record.fields[name] ?? null);
    return out;
  }

  function page(all: Record<string, unknown>[], version: string): SimResponse {
    const first = all.slice(0, pageSize);
    const rest = all.slice(pageSize);
    const body: Record<string, unknown> = { totalSize: all.length, done: rest.length === 0, records: first };
    if (rest.length > 0) {
      const cursor = `01gsim${randomBytes(6).toString('hex')}-${pageSize}`;
      cursors.set(cursor, rest);
      body.nextRecordsUrl = `/services/data/${version}/query/${cursor}`;
    }
    return { status: 200, json: body };
  }

  function query(req: SimRequest, params: Record<string, string>): SimResponse {
    const q = req.query.q ?? '';
    const m = /^SELECT\s+(.+?)\s+FROM\s+(\w+)\s+WHERE\s+(\w+)\s+IN\s+\((.*)\)\s*$/s.exec(q);
    if (!m) return sfError(400, 'MALFORMED_QUERY', 'unexpected token');
    const where = q.slice(q.indexOf(' WHERE ') + 7);
    if (where.length > 4000)
      return sfError(400, 'MALFORMED_QUERY', 'WHERE clause longer than 4000 characters');
    if (m[2] !== object) return sfError(400, 'INVALID_TYPE', `sObject type '${m[2]}' is not supported.`);
    const select = (m[1] as string).split(',').map((s) => s.trim());
    for (const name of select.concat([m[3] as string])) {
      if (known.indexOf(name) < 0)
        return sfError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'.`);
    }
    const values = parseInList(m[4] as string);
    if (!values) return sfError(400, 'MALFORMED_QUERY', 'unexpected token in IN list');
    const hits = records.filter((r) => values.indexOf(String(r.fields[m[3] as string])) >= 0);
    return page(
      hits.map((r) => row(r, select)),
      params.version as string,
    );
  }

  /** Applies one record of an upsert; returns its UpsertResult. */
  function upsertOne(body: unknown, extField: string): Record<string, unknown> {
    const fail = (statusCode: string, message: string, fields: string[] = []) => ({
      success: false,
      errors: [{ statusCode, message, fields }],
    });
    if (body === null || typeof body !== 'object')
      return fail('JSON_PARSER_ERROR', 'record is not an object');
    const rec = body as Record<string, unknown>;
    const attrs = rec.attributes as Record<string, unknown> | undefined;
    if (!attrs || attrs.type !== object)
      return fail('INVALID_TYPE', 'attributes.type must match the URI object');
    const key = rec[extField];
    if (typeof key !== 'string' || key === '') return fail('MISSING_ARGUMENT', `${extField} not specified`);
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(rec)) {
      if (name === 'attributes' || name === extField) continue;
      const value = rec[name];
      if (readOnly.indexOf(name) >= 0)
        return fail('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${name}.`, [name]);
      const allowed = PICKLISTS[name];
      if (allowed && value !== null && allowed.indexOf(String(value)) < 0)
        return fail(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `bad value for restricted picklist field: ${String(value)}`,
          [name],
        );
      if (isDateTimeField(name) && value !== null) {
        const stored = typeof value === 'string' ? sfDateTime(value) : null;
        if (stored === null)
          return fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${name}: value not of required type`, [name]);
        values[name] = stored;
      } else {
        values[name] = value;
      }
    }
    const matches = records.filter((r) => r.fields[extField] === key);
    if (matches.length > 1) {
      return fail(
        'DUPLICATE_EXTERNAL_ID',
        `${object}: more than one record found for external id field: [${matches.map((r) => r.Id).join(', ')}]`,
        [extField],
      );
    }
    const merged = { ...(matches[0]?.fields ?? {}), ...values, [extField]: key };
    const problem = options.validate ? options.validate(merged) : null;
    if (problem) return fail('FIELD_CUSTOM_VALIDATION_EXCEPTION', problem);
    if (matches[0]) {
      matches[0].fields = merged;
      return { id: matches[0].Id, success: true, errors: [], created: false };
    }
    const created = insert(merged);
    return { id: created.Id, success: true, errors: [], created: true };
  }

  function upsert(req: SimRequest, params: Record<string, string>): SimResponse {
    if (params.object !== object) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    const extField = params.field as string;
    if (extField !== keyField)
      return sfError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${extField} is not an External ID or indexed field for ${object}`,
      );
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || !Array.isArray(body.records)) return sfError(400, 'JSON_PARSER_ERROR', 'records required');
    if (body.records.length > 200)
      return sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    if (body.allOrNone !== false && body.allOrNone !== undefined && body.allOrNone !== true)
      return sfError(400, 'JSON_PARSER_ERROR', 'allOrNone must be a boolean');
    for (const rec of body.records as Record<string, unknown>[]) {
      for (const name of Object.keys(rec ?? {})) {
        if (name !== 'attributes' && known.indexOf(name) < 0)
          return sfError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object}`);
      }
    }
    // allOrNone: true would roll back on any failure; the connector always sends false.
    const snapshot = records.map((r) => ({ Id: r.Id, fields: { ...r.fields } }));
    const results = (body.records as unknown[]).map((rec) => upsertOne(rec, extField));
    if (body.allOrNone === true && results.some((r) => r.success !== true)) {
      records.splice(0, records.length, ...snapshot);
      return {
        status: 200,
        json: results.map((r) =>
          r.success
            ? {
                success: false,
                errors: [
                  {
                    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    message:
                      'Record rolled back because not all records were valid and the request was using AllOrNone header',
                    fields: [],
                  },
                ],
              }
            : r,
        ),
      };
    }
    return { status: 200, json: results };
  }

  function describe(_req: SimRequest, params: Record<string, string>): SimResponse {
    if (params.object !== object) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    const fields = known.map((name) => ({
      name,
      type:
        name === 'Id' ? 'id' : isDateTimeField(name) ? 'datetime' : PICKLISTS[name] ? 'picklist' : 'string',
      externalId: name === keyField,
      updateable: name !== 'Id' && readOnly.indexOf(name) < 0,
    }));
    return { status: 200, json: { name: object, custom: false, fields } };
  }

  const issueToken = () => issueSession();
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: '/services/oauth2/token',
      handle: tokenEndpoint(app, () => url, issueToken, clock),
    },
    { method: 'GET', pattern: '/services/data/:version/query', handle: api(query) },
    {
      method: 'GET',
      pattern: '/services/data/:version/query/:cursor',
      handle: api((_req, params) => {
        const rest = cursors.get(params.cursor as string);
        if (!rest) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        cursors.delete(params.cursor as string);
        return page(rest, params.version as string);
      }),
    },
    {
      method: 'PATCH',
      pattern: '/services/data/:version/composite/sobjects/:object/:field',
      handle: api(upsert),
    },
    { method: 'GET', pattern: '/services/data/:version/sobjects/:object/describe', handle: api(describe) },
  ];

  const server = await startSimServer({
    routes,
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock,
    name: options.name ?? 'salesforce',
  });
  url = server.url;

  return {
    server,
    url,
    tokenUrl: `${url}/services/oauth2/token`,
    app,
    records,
    sessions,
    issueSession,
    expireSessions: () => sessions.clear(),
    insert,
    apiUsage: () => usage,
    table() {
      const rows = records.map((r) => ({
        key: cell(r.fields[keyField]),
        walletStatus: cell(r.fields.Wallet_Status__c),
        appleWalletInstalledAt: cell(r.fields.Apple_Wallet_Installed_At__c),
        googleWalletInstalledAt: cell(r.fields.Google_Wallet_Installed_At__c),
      }));
      return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}
