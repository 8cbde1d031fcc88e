/**
 * Braze (REST API, bearer REST API key). Writes custom attributes, and with `events: true` the
 * "Pass Installed" / "Pass Uninstalled" custom events, in `POST /users/track` calls of at most 75
 * objects. Reads for the exact status with `POST /users/export/ids` (50 external_ids a call).
 *
 * One destination has one limiter, but Braze limits the two endpoints differently: /users/track
 * takes 3,000 requests per 3 s, /users/export/ids only 250 per minute (workspaces since 2024-08).
 * In readModifyWrite mode every batch is one export and one track, so the default rate is set by
 * the slower endpoint: 4 requests/s (240/min), batches of 50 customers (one export each), i.e.
 * about 6,000 customers a minute. writeOnly mode never exports: raise `rateLimit` there.
 */
import { CANONICAL_PROPERTIES } from '../canonical-properties';
import { ConnectorError } from '../../delivery/errors';
import { MAX_OBJECTS, trackRequests, type TrackRequest } from './payload';
import { eventNames } from '../event-names';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationDefinition,
  DestinationResponse,
  ItemOutcome,
  WriteItem,
} from '../types';

export const MAX_EXPORT_IDS = 50;
/** The id testAuth exports: no real user has it, so the call reads nothing of anyone. */
export const AUTH_CHECK_ID = 'twc-connector-auth-check';

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

async function exportIds(
  ctx: DestinationContext,
  ids: string[],
  fields: string[],
): Promise<DestinationResponse> {
  return ctx.send({
    method: 'POST',
    path: '/users/export/ids',
    json: { external_ids: ids, fields_to_export: fields },
  });
}

async function read(ctx: DestinationContext, keys: string[]): Promise<Map<string, CurrentRecord | null>> {
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const parts: string[][] = [];
  for (let i = 0; i < keys.length; i += MAX_EXPORT_IDS) parts.push(keys.slice(i, i + MAX_EXPORT_IDS));
  const answers = await Promise.all(
    parts.map((part) => exportIds(ctx, part, ['external_id', 'custom_attributes'])),
  );
  for (let a = 0; a < answers.length; a++) {
    const users = field((answers[a] as DestinationResponse).json, 'users');
    if (!Array.isArray(users)) {
      throw new ConnectorError('transient', 'the export answered without a users list', {
        destination: ctx.config.id,
      });
    }
    for (let i = 0; i < users.length; i++) {
      const key = field(users[i], 'external_id');
      const attributes = field(users[i], 'custom_attributes');
      if (typeof key === 'string' && out.has(key)) {
        out.set(key, {
          fields:
            attributes !== null && typeof attributes === 'object'
              ? (attributes as Record<string, unknown>)
              : {},
        });
      }
    }
  }
  return out;
}

/** Maps a partial success's `errors` ({ type, input_array, index }) to the customers they concern. */
function outcomes(ctx: DestinationContext, request: TrackRequest, json: unknown): ItemOutcome[] {
  const failed: Record<number, string> = {};
  const errors = field(json, 'errors');
  const list = Array.isArray(errors) ? errors : [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const index = field(e, 'index');
    const array = field(e, 'input_array');
    const type = String(field(e, 'type') || 'refused');
    if (typeof index !== 'number') continue;
    if (array === 'attributes' && index < request.items.length) failed[index] = `attributes refused: ${type}`;
    if (array === 'events' && index < request.eventOwners.length) {
      const owner = request.eventOwners[index] as number;
      // The attributes went in; only the event did not, and sending it again would not help.
      if (failed[owner] === undefined) failed[owner] = `attributes written, event refused: ${type}`;
    }
  }
  const out: ItemOutcome[] = [];
  for (let i = 0; i < request.items.length; i++) {
    const key = (request.items[i] as WriteItem).key;
    const reason = failed[i];
    if (reason === undefined) out.push({ key, ok: true });
    else
      out.push({
        key,
        ok: false,
        error: new ConnectorError('permanent', `Braze: ${reason.slice(0, 200)}`, {
          destination: ctx.config.id,
          vendorCode: 'partial_error',
        }),
      });
  }
  return out;
}

async function write(ctx: DestinationContext, items: WriteItem[]): Promise<ItemOutcome[]> {
  const requests = trackRequests(items, ctx.config.events, eventNames(ctx.config.raw));
  const lists = await Promise.all(
    requests.map(function send(request) {
      return ctx.send({ method: 'POST', path: '/users/track', json: request.body }).then(
        (response) => outcomes(ctx, request, response.json),
        (error: unknown) => {
          if (!(error instanceof ConnectorError)) throw error;
          return request.items.map((item): ItemOutcome => ({ key: item.key, ok: false, error }));
        },
      );
    }),
  );
  const out: ItemOutcome[] = [];
  for (let i = 0; i < lists.length; i++) Array.prototype.push.apply(out, lists[i] as ItemOutcome[]);
  return out;
}

/** Braze's 401 and 403 say which of key or permission is wrong; say it in those words. */
function classifyBraze(response: DestinationResponse, destination: string): ConnectorError | null {
  const said = field(response.json, 'message');
  const text = typeof said === 'string' && said !== '' ? ` ("${said.slice(0, 200)}")` : '';
  if (response.status === 401) {
    return new ConnectorError(
      'authentication',
      `REST API key unknown or missing${text}: check the key secret and the instance baseUrl`,
      {
        destination,
        status: 401,
      },
    );
  }
  if (response.status === 403) {
    return new ConnectorError(
      'authentication',
      `REST API key lacks a permission${text}: it needs users.track, and users.export.ids for readModifyWrite`,
      { destination, status: 403 },
    );
  }
  return null;
}

async function testAuth(ctx: DestinationContext): Promise<string> {
  const response = await exportIds(ctx, [AUTH_CHECK_ID], ['external_id']);
  if (field(response.json, 'message') !== 'success') {
    throw new ConnectorError('permanent', `/users/export/ids answered ${response.status} without success`, {
      destination: ctx.config.id,
    });
  }
  return (
    'credentials accepted: the key can export users (users.export.ids); custom attributes need no setup. ' +
    'users.track is proven by the first write (Braze has no read-only check for it)'
  );
}

export const brazeDestination: DestinationDefinition = {
  type: 'braze',
  label: 'Braze',
  authSchemes: ['bearer'],
  // Custom attributes are free-form: the canonical names, as docs/architecture.md §6 says for Braze.
  defaultProperties: CANONICAL_PROPERTIES,
  defaultRateLimit: { requests: 4, intervalMs: 1000, maxConcurrent: 4 },
  defaultBatch: { maxSize: MAX_EXPORT_IDS, maxWaitMs: 200 },
  maxBatchSize: MAX_OBJECTS,
  maxReadBatchSize: MAX_EXPORT_IDS,
  defaultMode: 'readModifyWrite',
  read,
  write,
  classifyError: classifyBraze,
  testAuth,
};
