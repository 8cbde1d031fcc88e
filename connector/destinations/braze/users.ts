/**
 * Braze users on the wire: reads with `POST /users/export/ids` (50 external_ids a call), writes
 * custom attributes (and events) with `POST /users/track` (payload.ts cuts the requests). A partial
 * success names the refused objects by `input_array` + `index`; they map back to their customers.
 */
import { ConnectorError } from '../../delivery/errors';
import type { EventNames } from '../event-names';
import { field, list } from '../shared/json';
import { chunks, perRequest, recordFailure, written } from '../shared/outcomes';
import { trackRequests, type TrackRequest } from './payload';
import type {
  CurrentRecord,
  DestinationContext,
  DestinationResponse,
  ItemOutcome,
  WriteItem,
} from '../types';

export const MAX_EXPORT_IDS = 50;
/** The id testAuth exports: no real user has it, so the call reads nothing of anyone. */
export const AUTH_CHECK_ID = 'twc-connector-auth-check';

export function exportIds(
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

export async function readUsers(
  ctx: DestinationContext,
  keys: string[],
): Promise<Map<string, CurrentRecord | null>> {
  const out = new Map<string, CurrentRecord | null>();
  for (let i = 0; i < keys.length; i++) out.set(keys[i] as string, null);
  const answers = await Promise.all(
    chunks(keys, MAX_EXPORT_IDS).map((part) => exportIds(ctx, part, ['external_id', 'custom_attributes'])),
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
  const errors = list(field(json, 'errors'));
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
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
  return request.items.map((item, i) => {
    const reason = failed[i];
    if (reason === undefined) return written(item.key);
    return recordFailure(
      item.key,
      new ConnectorError('permanent', `Braze: ${reason.slice(0, 200)}`, {
        destination: ctx.config.id,
        vendorCode: 'partial_error',
      }),
    );
  });
}

export function writeUsers(ctx: DestinationContext<EventNames>, items: WriteItem[]): Promise<ItemOutcome[]> {
  const requests = trackRequests(items, ctx.config.events, ctx.settings);
  // A refused /users/track request fails only its own customers.
  return perRequest(
    requests,
    (request) => request.items,
    async (request) => {
      const response = await ctx.send({ method: 'POST', path: '/users/track', json: request.body });
      return outcomes(ctx, request, response.json);
    },
  );
}
