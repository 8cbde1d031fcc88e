/**
 * Microsoft Dynamics 365 / Dataverse Web API. Reads a batch with one filtered GET on the entity set
 * (`$filter=key eq 'a' or key eq 'b'`), which returns each row's `@odata.etag`; writes each customer
 * with a conditional PATCH on its alternate key: `If-Match: <etag>` when the row was read,
 * `If-None-Match: *` (create only) when there was none. A 412 either way means another writer got
 * there first: the outcome carries vendorCode 'conflict' and the engine reads and reduces again.
 *
 * Why a filtered GET rather than $batch: one request whatever the batch size (service protection
 * counts each $batch operation as a request too), no multipart to compose or parse, and the answer
 * is plain JSON. Dataverse has no batch upsert with per-row ETags short of $batch, so writes are one
 * PATCH each, spaced by the limiter.
 */
import { ConnectorError, isConnectorError } from '../../delivery/errors';
import { chunkFilters, isIdentifier, keySegment, nextLinkPath, selectPath } from './odata';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  DestinationResponse,
  ItemOutcome,
  WriteItem,
} from '../types';

export const DEFAULT_API_VERSION = 'v9.2';
export const DEFAULT_ENTITY_SET = 'contacts';

const ODATA_HEADERS = { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };

interface Settings {
  /** /api/data/v9.2 */
  root: string;
  /** /api/data/v9.2/contacts */
  base: string;
  entitySet: string;
  keyField: string;
  columns: string[];
}

function settings(ctx: DestinationContext): Settings {
  const raw = ctx.config.raw;
  const id = ctx.config.id;
  const version = raw.apiVersion
    ? raw.apiVersion.charAt(0) === 'v'
      ? raw.apiVersion
      : `v${raw.apiVersion}`
    : DEFAULT_API_VERSION;
  const entitySet = raw.objectType || DEFAULT_ENTITY_SET;
  const keyField = raw.externalIdField || '';
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new ConnectorError('configuration', `apiVersion "${version}" is not like v9.2`, {
      destination: id,
    });
  }
  if (!isIdentifier(keyField)) {
    throw new ConnectorError(
      'configuration',
      'dynamics needs externalIdField: the alternate key column, e.g. twc_customerid',
      {
        destination: id,
      },
    );
  }
  const props = ctx.config.properties;
  const columns: string[] = [];
  const names = Object.keys(props);
  for (let i = 0; i < names.length; i++) columns.push(props[names[i] as keyof typeof props]);
  const all = [entitySet].concat(columns);
  for (let i = 0; i < all.length; i++) {
    if (!isIdentifier(all[i] as string)) {
      throw new ConnectorError('configuration', `"${all[i]}" is not a Dataverse logical name`, {
        destination: id,
      });
    }
  }
  return {
    root: `/api/data/${version}`,
    base: `/api/data/${version}/${entitySet}`,
    entitySet,
    keyField,
    columns,
  };
}

function rows(response: DestinationResponse, id: string): Record<string, unknown>[] {
  const value =
    response.json !== null && typeof response.json === 'object'
      ? (response.json as Record<string, unknown>).value
      : undefined;
  if (!Array.isArray(value)) {
    throw new ConnectorError('transient', 'the read answered without a value list', {
      destination: id,
      status: response.status,
    });
  }
  return value as Record<string, unknown>[];
}

async function readGroup(
  ctx: DestinationContext,
  s: Settings,
  keys: string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let path: string | null = selectPath(s.base, s.keyField, [s.keyField].concat(s.columns), keys);
  while (path !== null) {
    const response: DestinationResponse = await ctx.send({ method: 'GET', path, headers: ODATA_HEADERS });
    Array.prototype.push.apply(out, rows(response, ctx.config.id));
    path = nextLinkPath((response.json as Record<string, unknown>)['@odata.nextLink']);
  }
  return out;
}

async function read(ctx: DestinationContext, keys: string[]): Promise<Map<string, CurrentRecord | null>> {
  const s = settings(ctx);
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const groups = await Promise.all(chunkFilters(s.keyField, keys).map((group) => readGroup(ctx, s, group)));
  for (let g = 0; g < groups.length; g++) {
    const list = groups[g] as Record<string, unknown>[];
    for (let i = 0; i < list.length; i++) {
      const row = list[i] as Record<string, unknown>;
      const key = row[s.keyField];
      const etag = row['@odata.etag'];
      if (typeof key === 'string' && out.has(key)) {
        out.set(key, { fields: row, etag: typeof etag === 'string' ? etag : undefined });
      }
    }
  }
  return out;
}

function conflict(ctx: DestinationContext, status: number, what: string): ConnectorError {
  return new ConnectorError('transient', `${what}: reading it again`, {
    destination: ctx.config.id,
    status,
    vendorCode: 'conflict',
  });
}

async function writeOne(ctx: DestinationContext, s: Settings, item: WriteItem): Promise<ItemOutcome> {
  const headers: Record<string, string> = { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
  // Write-only mode never reads, so it has nothing to be conditional on: a plain upsert.
  const conditional = ctx.config.mode === 'readModifyWrite';
  if (conditional && item.etag) headers['If-Match'] = item.etag;
  else if (conditional && item.created) headers['If-None-Match'] = '*';
  try {
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
      return { key: item.key, ok: false, error: conflict(ctx, 412, what) };
    }
    if (response.status === 404)
      return {
        key: item.key,
        ok: false,
        error: conflict(ctx, 404, 'the record was deleted since it was read'),
      };
    return { key: item.key, ok: true };
  } catch (error) {
    if (isConnectorError(error)) return { key: item.key, ok: false, error };
    throw error;
  }
}

function write(ctx: DestinationContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  const s = settings(ctx);
  return Promise.all(items.map((item) => writeOne(ctx, s, item)));
}

/** Dataverse's answers for a column or key that does not exist: a setup problem, not bad data. */
function classifyDynamics(response: DestinationResponse, destination: string): ConnectorError | null {
  const error =
    response.json !== null && typeof response.json === 'object'
      ? (response.json as Record<string, unknown>).error
      : undefined;
  if (response.status !== 400 || error === null || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  const message = typeof e.message === 'string' ? e.message.slice(0, 200) : '';
  if (
    !/property named|does not exist on type|not a valid (alternate )?key|key .* not (found|defined)/i.test(
      message,
    )
  )
    return null;
  return new ConnectorError(
    'configuration',
    `"${message}" (${String(e.code)}): create the column or alternate key (see docs/destinations/dynamics.md), or fix properties / externalIdField`,
    { destination, status: 400, vendorCode: typeof e.code === 'string' ? e.code : undefined },
  );
}

async function testAuth(ctx: DestinationContext): Promise<string> {
  const s = settings(ctx);
  // Selecting every column and filtering on the key proves the token, the security role's read
  // privilege and that each column exists, in one request that returns at most one row.
  const response = await ctx.send({
    method: 'GET',
    path: selectPath(s.base, s.keyField, [s.keyField].concat(s.columns), ['twc-connector-auth-check'], 1),
    headers: ODATA_HEADERS,
  });
  rows(response, ctx.config.id);
  const note = ctx.config.events ? '; events: true has no effect on dynamics (no event API)' : '';
  return `credentials accepted; ${s.entitySet} has ${s.keyField} and all ${s.columns.length} wallet columns${note}`;
}

export const dynamicsDestination: DestinationDefinition = {
  type: 'dynamics',
  label: 'Microsoft Dynamics 365 (Dataverse)',
  authSchemes: ['oauth2'],
  grants: ['client_credentials'],
  // Publisher-prefixed custom columns: "twc" is this connector's suggested publisher prefix; each
  // org picks its own (new_, contoso_...) and renames them in `properties`.
  defaultProperties: {
    walletStatus: 'twc_walletstatus',
    appleWalletInstalledAt: 'twc_applewalletinstalledat',
    googleWalletInstalledAt: 'twc_googlewalletinstalledat',
    walletLastChangedAt: 'twc_walletlastchangedat',
    walletLastEvent: 'twc_walletlastevent',
    walletSyncState: 'twc_walletsyncstate',
  },
  // Service protection: 6,000 requests per 5 minutes per user (20/s on average) and 52 at once.
  // 18/s keeps under the average with room for other work of the same application user; 16 in
  // flight stays far below 52 and below the 1,200 s of execution time per window.
  defaultRateLimit: { requests: 18, intervalMs: 1000, maxConcurrent: 16 },
  defaultBatch: { maxSize: 50, maxWaitMs: 50 },
  maxBatchSize: 100,
  maxReadBatchSize: 50,
  defaultMode: 'readModifyWrite',
  read,
  write,
  classifyError: classifyDynamics,
  testAuth,
};
