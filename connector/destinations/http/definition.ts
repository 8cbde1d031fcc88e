/**
 * The generic `http` destination: any HTTP API. One request per customer (there is no batch API to
 * assume): reads with GET on `readPath` (default: `path`) for read-modify-write, writes with the
 * configured method on `path`. The body is the json-e `template` evaluated on
 * { event, events, state, fields, tenantId } or, without a template, the CRM fields plus the event.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import { ConnectorError } from '../../delivery/errors';
import { allCrmFields } from '../../domain/fields';
import { fillPath } from './path';
import { renderTemplate } from './template';
import type { WalletEvent } from '../../domain/types';
import { eachAlone } from '../shared/outcomes';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  ResolvedDestination,
  WriteItem,
} from '../types';

/** The http destination's own settings, read once at registration. */
export interface HttpSettings {
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  /** The GET path of a read: readPath, else path. */
  readPath: string;
  headers: Record<string, string> | undefined;
}

type HttpContext = DestinationContext<HttpSettings>;

/**
 * `path` is there and starts with "/": the tenant file's validation requires it (http/describe.ts),
 * and every config comes through it, so it is not checked again here.
 */
function resolveHttp(config: ResolvedDestination): HttpSettings {
  const raw = config.raw;
  return {
    method: raw.method || 'POST',
    path: raw.path as string,
    readPath: raw.readPath || (raw.path as string),
    headers: raw.headers as Record<string, string> | undefined,
  };
}

function eventSummary(event: WalletEvent): Record<string, unknown> {
  return {
    name: event.name,
    passId: event.passId,
    passType: event.passType,
    wallet: event.wallet,
    receivedAt: event.receivedAt,
    idempotencyKey: event.idempotencyKey,
    source: event.source,
  };
}

export function buildPayload(ctx: DestinationContext, item: WriteItem): unknown {
  const last = item.events[item.events.length - 1] as WalletEvent;
  const fields = allCrmFields(item.next, ctx.config.properties);
  const template = ctx.config.raw.template;
  if (template === undefined) return Object.assign({}, fields, { event: eventSummary(last) });
  const context = { event: last, events: item.events, state: item.next, fields, tenantId: ctx.tenantId };
  return renderTemplate(template as object, context, ctx.config.id);
}

async function readOne(ctx: HttpContext, key: string): Promise<CurrentRecord | null> {
  const path = fillPath(ctx.settings.readPath, { joinKey: key, tenantId: ctx.tenantId });
  const response = await ctx.send({ method: 'GET', path, acceptStatuses: [404], expectJson: true });
  if (response.status === 404) return null;
  const json = response.json;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConnectorError('permanent', `GET ${path} did not answer a JSON object`, {
      destination: ctx.config.id,
      status: response.status,
    });
  }
  return { fields: json as Record<string, unknown> };
}

async function writeOne(ctx: HttpContext, item: WriteItem): Promise<void> {
  const s = ctx.settings;
  const last = item.events[item.events.length - 1] as WalletEvent;
  const path = fillPath(s.path, {
    joinKey: item.key,
    tenantId: ctx.tenantId,
    passId: last.passId,
    passType: last.passType,
    wallet: last.wallet,
  });
  await ctx.send({ method: s.method, path, headers: s.headers, json: buildPayload(ctx, item) });
}

export const httpDestination: DestinationDefinition<HttpSettings> = {
  type: 'http',
  defaultProperties: CANONICAL_PROPERTIES,
  defaultRateLimit: { requests: 50, intervalMs: 1000, maxConcurrent: 8 },
  defaultBatch: { maxSize: 50, maxWaitMs: 25 },
  maxBatchSize: 500,
  maxReadBatchSize: 500,
  defaultMode: 'readModifyWrite',
  resolve: resolveHttp,
  async read(ctx, keys) {
    const records = await Promise.all(keys.map((key) => readOne(ctx, key)));
    const out = new Map<string, CurrentRecord | null>();
    keys.forEach((key, i) => out.set(key, records[i] as CurrentRecord | null));
    return out;
  },
  write(ctx, items) {
    return eachAlone(items, (item) => writeOne(ctx, item));
  },
};
