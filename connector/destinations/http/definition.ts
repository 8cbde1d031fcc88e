/**
 * The generic `http` destination: any HTTP API. One request per customer (there is no batch API to
 * assume): reads with GET on `readPath` (default: `path`) for read-modify-write, writes with the
 * configured method on `path`. The body is the json-e `template` evaluated on
 * { event, events, state, fields, tenantId } or, without a template, the CRM fields plus the event.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import jsone from 'json-e';
import { ConnectorError } from '../../delivery/errors';
import { allCrmFields } from '../../domain/fields';
import { fillPath } from './path';
import type { WalletEvent } from '../../domain/types';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  ItemOutcome,
  WriteItem,
} from '../types';
import { isConnectorError } from '../../delivery/errors';

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
  try {
    return jsone(template as object, {
      event: last,
      events: item.events,
      state: item.next,
      fields,
      tenantId: ctx.tenantId,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConnectorError('configuration', `payload template failed: ${message}`, {
      destination: ctx.config.id,
    });
  }
}

async function readOne(ctx: DestinationContext, key: string): Promise<CurrentRecord | null> {
  const raw = ctx.config.raw;
  const path = fillPath(raw.readPath || (raw.path as string), { joinKey: key, tenantId: ctx.tenantId });
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

async function writeOne(ctx: DestinationContext, item: WriteItem): Promise<ItemOutcome> {
  const raw = ctx.config.raw;
  const last = item.events[item.events.length - 1] as WalletEvent;
  try {
    const path = fillPath(raw.path as string, {
      joinKey: item.key,
      tenantId: ctx.tenantId,
      passId: last.passId,
      passType: last.passType,
      wallet: last.wallet,
    });
    await ctx.send({
      method: raw.method || 'POST',
      path,
      headers: raw.headers as Record<string, string> | undefined,
      json: buildPayload(ctx, item),
    });
    return { key: item.key, ok: true };
  } catch (error) {
    if (isConnectorError(error)) return { key: item.key, ok: false, error };
    throw error;
  }
}

export const httpDestination: DestinationDefinition = {
  type: 'http',
  label: 'Any HTTP API',
  authSchemes: ['apiKey', 'bearer', 'basic', 'oauth2'],
  grants: ['client_credentials', 'refresh_token', 'jwt_bearer'],
  defaultProperties: CANONICAL_PROPERTIES,
  defaultRateLimit: { requests: 50, intervalMs: 1000, maxConcurrent: 8 },
  defaultBatch: { maxSize: 50, maxWaitMs: 25 },
  maxBatchSize: 500,
  maxReadBatchSize: 500,
  defaultMode: 'readModifyWrite',
  async read(ctx, keys) {
    const records = await Promise.all(keys.map((key) => readOne(ctx, key)));
    const out = new Map<string, CurrentRecord | null>();
    keys.forEach((key, i) => out.set(key, records[i] as CurrentRecord | null));
    return out;
  },
  write(ctx, items) {
    return Promise.all(items.map((item) => writeOne(ctx, item)));
  },
  async testAuth(ctx) {
    const raw = ctx.config.raw;
    const path = fillPath(raw.readPath || (raw.path as string), {
      joinKey: 'twc-connector-auth-check',
      tenantId: ctx.tenantId,
    });
    const response = await ctx.send({ method: 'GET', path, acceptStatuses: [404] });
    return `GET ${path} answered ${response.status}: credentials accepted`;
  },
};
