/**
 * Reading the Pass API (twc-platform.md §4.2): `GET /api/{tenantId}/passes?pageIndex=&pageSize=`,
 * the total in `x-pagination-total`. Two shapes are not published and are read defensively here,
 * in one place, so that they are easy to pin once seen on a real tenant:
 * - the body: a JSON array of passes, or an object with the array under `items` or `data`;
 * - `providers` ("installation date per provider"): `{ apple?: date, google?: date }`, where a
 *   missing, null or empty value means "not installed"; an object value with `installationDate`,
 *   `installedAt` or `date` is accepted too.
 */
import { ConnectorError } from '../../connector/delivery/errors';
import type { PlatformClient } from './platform-client';

/** One pass reduced to what the backfill needs. Dates are epoch ms; null: not installed there. */
export interface PassRow {
  passId: string;
  passType: string;
  identifiers: Record<string, string | number | boolean>;
  apple: number | null;
  google: number | null;
  /** A provider date that could not be read: that wallet is left as the CRM has it. */
  invalid: Array<'apple' | 'google'>;
}

export interface PassPage {
  rows: PassRow[];
  /** Items in the body that were not passes (no id): counted, never guessed at. */
  skipped: number;
  total: number | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function itemsOf(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (isObject(json)) {
    if (Array.isArray(json.items)) return json.items;
    if (Array.isArray(json.data)) return json.data;
  }
  return null;
}

/** A provider's installation date: ms, null (not installed), or 'invalid'. */
export function installDateOf(value: unknown): number | null | 'invalid' {
  if (value === undefined || value === null || value === '' || value === false) return null;
  const raw = isObject(value) ? (value.installationDate ?? value.installedAt ?? value.date ?? null) : value;
  if (raw === null) return null;
  const ms = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : NaN;
  return isFinite(ms) ? ms : 'invalid';
}

/** Provider keys are matched case-insensitively ("Apple", "apple"). */
function provider(providers: Record<string, unknown>, wallet: string): unknown {
  for (const key of Object.keys(providers)) if (key.toLowerCase() === wallet) return providers[key];
  return undefined;
}

function identifiersOf(value: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!isObject(value)) return out;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v)))
      out[key] = v;
  }
  return out;
}

export function passRowOf(item: unknown): PassRow | null {
  if (!isObject(item) || typeof item.id !== 'string' || item.id === '') return null;
  const providers = isObject(item.providers) ? item.providers : {};
  const row: PassRow = {
    passId: item.id,
    passType: typeof item.passType === 'string' ? item.passType : '',
    identifiers: identifiersOf(item.identifiers),
    apple: null,
    google: null,
    invalid: [],
  };
  for (const wallet of ['apple', 'google'] as const) {
    const date = installDateOf(provider(providers, wallet));
    if (date === 'invalid') row.invalid.push(wallet);
    else row[wallet] = date;
  }
  return row;
}

export interface PageQuery {
  tenantId: string;
  pageIndex: number;
  pageSize: number;
  passType?: string;
}

export async function fetchPassPage(client: PlatformClient, query: PageQuery): Promise<PassPage> {
  const params: Record<string, string> = {
    pageIndex: String(query.pageIndex),
    pageSize: String(query.pageSize),
    // A stable order, so pages do not shift under a long run more than the data itself does.
    'sortBy[0].field': 'creationDate',
    'sortBy[0].direction': 'ASC',
  };
  if (query.passType) {
    params['filter[0].field'] = 'passType';
    params['filter[0].operator'] = 'equals';
    params['filter[0].value'] = query.passType;
  }
  const path = `/api/${encodeURIComponent(query.tenantId)}/passes`;
  const response = await client.send({ method: 'GET', path, query: params, expectJson: true });
  const items = itemsOf(response.json);
  if (!items) {
    throw new ConnectorError(
      'permanent',
      `GET ${path} answered neither a JSON array nor { items | data: [...] }`,
      {
        destination: 'pass-api',
        status: response.status,
      },
    );
  }
  const rows: PassRow[] = [];
  for (const item of items) {
    const row = passRowOf(item);
    if (row) rows.push(row);
  }
  const header = response.headers['x-pagination-total'];
  const total = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : null;
  return { rows, skipped: items.length - rows.length, total };
}
