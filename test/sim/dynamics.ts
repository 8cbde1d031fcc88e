/**
 * A stateful Dataverse environment on loopback: an Entra ID-like token endpoint
 * (`POST /<tenant>/oauth2/v2.0/token`, client_credentials, scope `<org>/.default`), bearer tokens
 * checked on every call, contacts addressed by an alternate key, `@odata.etag` versions that change
 * on every write, conditional PATCH (`If-Match`, `If-None-Match: *`: 412 on mismatch), filtered reads
 * with $select/$filter/$top and paging, OData error bodies `{ error: { code, message } }`, DateTime
 * columns stored to the second as Dataverse does, and 429 + Retry-After for service protection.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FaultPlan } from './faults';
import type { RateLimitRule, WindowRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export const DYNAMICS_DEFAULT_COLUMNS = [
  'twc_walletstatus',
  'twc_applewalletinstalledat',
  'twc_googlewalletinstalledat',
  'twc_walletlastchangedat',
  'twc_walletlastevent',
  'twc_walletsyncstate',
];

export interface DynamicsSimOptions {
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  entitySet?: string;
  /** The alternate key column; default twc_customerid. */
  keyField?: string;
  /** Custom columns that exist; default DYNAMICS_DEFAULT_COLUMNS. */
  columns?: string[];
  /** A plug-in or business rule: a message refuses the write (400, code 0x80040265). */
  validate?: (key: string, row: Record<string, unknown>) => string | null;
  /** Rows per page of a read (Dataverse: 5,000, or odata.maxpagesize). */
  pageSize?: number;
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
  name?: string;
}

export interface DynamicsRow {
  id: string;
  version: number;
  fields: Record<string, unknown>;
}

export interface DynamicsTableRow {
  key: string;
  walletStatus: string;
  appleWalletInstalledAt: string;
  googleWalletInstalledAt: string;
}

export interface DynamicsSimulator {
  server: SimServer;
  url: string;
  tokenUrl: string;
  scope: string;
  clientId: string;
  clientSecret: string;
  rows: Map<string, DynamicsRow>;
  tokens: Set<string>;
  insert(key: string, fields: Record<string, unknown>): DynamicsRow;
  /** Another writer updates this row just before the next PATCH of it is handled (once). */
  interfereOnce(key: string, fields: Record<string, unknown>): void;
  table(): DynamicsTableRow[];
}

/** Service protection's answer, for a WindowRule of the sim core. */
export function dynamicsLimitRule(requests: number, intervalMs: number): WindowRule {
  return {
    requests,
    intervalMs,
    respond: (info) => ({
      status: 429,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(info.retryAfterMs / 1000))) },
      json: {
        error: {
          code: '0x80072322',
          message: `Number of requests exceeded the limit of ${requests} over time window of ${intervalMs / 1000} seconds.`,
        },
      },
    }),
  };
}

function odataError(status: number, code: string, message: string): SimResponse {
  return { status, json: { error: { code, message } } };
}

function form(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0)
      out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
  }
  return out;
}

/** Date and Time columns keep whole seconds and answer with Z. */
function dataverseDate(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value) || isNaN(Date.parse(value)))
    return undefined;
  return new Date(Date.parse(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isDateColumn(name: string): boolean {
  return /installedat$|changedat$/.test(name);
}

/** `k eq 'a' or k eq 'b''c'` -> ['a', "b'c"]; null when it is not that shape. */
function parseFilter(filter: string, keyField: string): string[] | null {
  const values: string[] = [];
  const clause = new RegExp(`^\\s*${keyField} eq '((?:[^']|'')*)'\\s*(or\\s|$)`);
  let rest = filter;
  while (rest.trim() !== '') {
    const m = clause.exec(rest);
    if (!m) return null;
    values.push((m[1] as string).replace(/''/g, "'"));
    rest = rest.slice(m[0].length);
    if (m[2] === '' && rest.trim() !== '') return null;
  }
  return values;
}

function cell(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export async function startDynamicsSimulator(options: DynamicsSimOptions = {}): Promise<DynamicsSimulator> {
  const tenant = options.tenant ?? 'contoso.onmicrosoft.com';
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? randomBytes(15).toString('base64url');
  const entitySet = options.entitySet ?? 'contacts';
  const keyField = options.keyField ?? 'twc_customerid';
  const known = ['contactid', 'firstname', keyField].concat(options.columns ?? DYNAMICS_DEFAULT_COLUMNS);
  const pageSize = options.pageSize ?? 5000;
  const rows = new Map<string, DynamicsRow>();
  const tokens = new Set<string>();
  const interference = new Map<string, Record<string, unknown>>();
  const pages = new Map<string, Record<string, unknown>[]>();
  let version = 1000;
  let url = '';

  function insert(key: string, fields: Record<string, unknown>): DynamicsRow {
    const row = { id: randomUUID(), version: ++version, fields: { ...fields, [keyField]: key } };
    rows.set(key, row);
    return row;
  }

  const etagOf = (row: DynamicsRow) => `W/"${row.version}"`;

  function token(req: SimRequest): SimResponse {
    const p = form(req.body);
    if (p.grant_type !== 'client_credentials')
      return {
        status: 400,
        json: {
          error: 'unsupported_grant_type',
          error_description: 'AADSTS70003: grant type not supported.',
        },
      };
    if (p.client_id !== clientId || p.client_secret !== clientSecret)
      return {
        status: 401,
        json: {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        },
      };
    if (p.scope !== `${url}/.default`)
      return {
        status: 400,
        json: {
          error: 'invalid_scope',
          error_description: `AADSTS70011: The provided value for scope ${p.scope ?? ''} is not valid.`,
        },
      };
    const value = `eyJ0eXAiOiJKV1Qi.${randomBytes(24).toString('base64url')}`;
    tokens.add(value);
    return {
      status: 200,
      json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: value },
    };
  }

  /** Bearer check and OData headers in front of every Web API route. */
  function api(handle: (req: SimRequest, segment: string) => SimResponse): Route['handle'] {
    return (req, params) => {
      const auth = req.headers.authorization ?? '';
      if (!/^Bearer /.test(auth) || !tokens.has(auth.slice(7)))
        return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: '' };
      if (params.version !== 'v9.2' && params.version !== 'v9.1' && params.version !== 'v9.0')
        return odataError(404, '0x8006088a', 'Resource not found for the segment');
      const response = handle(req, params.segment as string);
      return {
        ...response,
        headers: {
          ...response.headers,
          'odata-version': '4.0',
          'x-ms-ratelimit-burst-remaining-xrm-requests': '5999',
        },
      };
    };
  }

  function unknownColumn(name: string): SimResponse {
    return odataError(
      400,
      '0x80060888',
      `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.contact'.`,
    );
  }

  function list(req: SimRequest): SimResponse {
    const skip = req.query.$skiptoken;
    if (skip !== undefined) {
      const rest = pages.get(skip);
      if (!rest) return odataError(400, '0x80040203', 'Invalid skip token');
      pages.delete(skip);
      return pageOf(rest);
    }
    const select = (req.query.$select ?? '').split(',').filter((s) => s !== '');
    for (const name of select) if (known.indexOf(name) < 0) return unknownColumn(name);
    const filter = req.query.$filter;
    let hits = [...rows.values()];
    if (filter !== undefined) {
      const field = /^\s*(\w+) eq /.exec(filter);
      if (field && known.indexOf(field[1] as string) < 0) return unknownColumn(field[1] as string);
      const values = parseFilter(filter, keyField);
      if (!values) return odataError(400, '0x80060888', 'Syntax error in $filter');
      hits = hits.filter((r) => values.indexOf(String(r.fields[keyField])) >= 0);
    }
    const top = req.query.$top !== undefined ? Number(req.query.$top) : Infinity;
    const out = hits.slice(0, top).map((r) => {
      const o: Record<string, unknown> = { '@odata.etag': etagOf(r), contactid: r.id };
      for (const name of select) o[name] = name === 'contactid' ? r.id : (r.fields[name] ?? null);
      return o;
    });
    return pageOf(out);
  }

  function pageOf(all: Record<string, unknown>[]): SimResponse {
    const body: Record<string, unknown> = {
      '@odata.context': `${url}/api/data/v9.2/$metadata#${entitySet}`,
      value: all.slice(0, pageSize),
    };
    if (all.length > pageSize) {
      const tokenId = randomBytes(6).toString('hex');
      pages.set(tokenId, all.slice(pageSize));
      body['@odata.nextLink'] = `${url}/api/data/v9.2/${entitySet}?$skiptoken=${tokenId}`;
    }
    return { status: 200, json: body };
  }

  function patch(req: SimRequest, segment: string): SimResponse {
    const m = /^(\w+)\((\w+)='((?:[^']|'')*)'\)$/.exec(segment);
    if (!m || m[1] !== entitySet)
      return odataError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`);
    if (m[2] !== keyField)
      return odataError(
        400,
        '0x80060892',
        `The key '${m[2]}' is not a valid alternate key for ${entitySet}.`,
      );
    const key = (m[3] as string).replace(/''/g, "'");
    const other = interference.get(key);
    if (other && rows.has(key)) {
      interference.delete(key);
      const row = rows.get(key) as DynamicsRow;
      row.fields = { ...row.fields, ...other };
      row.version = ++version;
    }
    const body = req.json;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return odataError(400, '0x80048d19', 'Error identified in Payload provided by the user for Entity');
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(body)) {
      if (known.indexOf(name) < 0)
        return odataError(
          400,
          '0x80048d19',
          `The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.contact'.`,
        );
      const value = (body as Record<string, unknown>)[name];
      const stored = isDateColumn(name) ? dataverseDate(value) : value;
      if (stored === undefined)
        return odataError(
          400,
          '0x80048d19',
          `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`,
        );
      values[name] = stored;
    }
    const existing = rows.get(key);
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifMatch !== undefined && !existing)
      return odataError(404, '0x80040217', `contact With Ids = ${keyField}:${key} Does Not Exist`);
    if (ifMatch !== undefined && ifMatch !== '*' && existing && ifMatch !== etagOf(existing))
      return odataError(
        412,
        '0x80060882',
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    if (ifNoneMatch === '*' && existing)
      return odataError(412, '0x80040237', 'A record with matching key values already exists.');
    const merged = { ...(existing?.fields ?? {}), ...values, [keyField]: key };
    const problem = options.validate ? options.validate(key, merged) : null;
    if (problem) return odataError(400, '0x80040265', problem);
    if (existing) {
      existing.fields = merged;
      existing.version = ++version;
      return {
        status: 204,
        headers: { 'odata-entityid': `${url}/api/data/v9.2/${entitySet}(${existing.id})` },
      };
    }
    const created = insert(key, merged);
    return { status: 204, headers: { 'odata-entityid': `${url}/api/data/v9.2/${entitySet}(${created.id})` } };
  }

  const routes: Route[] = [
    { method: 'POST', pattern: `/${tenant}/oauth2/v2.0/token`, handle: token },
    {
      method: 'GET',
      pattern: '/api/data/:version/:segment',
      handle: api((req, segment) =>
        segment === entitySet
          ? list(req)
          : odataError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`),
      ),
    },
    { method: 'PATCH', pattern: '/api/data/:version/:segment', handle: api(patch) },
  ];

  const server = await startSimServer({
    routes,
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock: options.clock,
    name: options.name ?? 'dynamics',
  });
  url = server.url;

  return {
    server,
    url,
    tokenUrl: `${url}/${tenant}/oauth2/v2.0/token`,
    scope: `${url}/.default`,
    clientId,
    clientSecret,
    rows,
    tokens,
    insert,
    interfereOnce: (key, fields) => void interference.set(key, fields),
    table() {
      const keys = [...rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return keys.map((key) => {
        const f = (rows.get(key) as DynamicsRow).fields;
        return {
          key,
          walletStatus: cell(f.twc_walletstatus),
          appleWalletInstalledAt: cell(f.twc_applewalletinstalledat),
          googleWalletInstalledAt: cell(f.twc_googlewalletinstalledat),
        };
      });
    },
  };
}
