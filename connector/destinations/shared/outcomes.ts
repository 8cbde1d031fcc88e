/**
 * Per-item write outcomes, built the same way by every destination so the engine can tell a
 * record the CRM refused (its own data) from a request refused as a whole (retry its records one
 * by one: one bad neighbour must not fail the others).
 */
import { ConnectorError, isConnectorError } from '../../delivery/errors';
import type { ItemOutcome } from '../types';

/** conditional: the write was guarded (If-Match / create-only), so it overwrote no other writer. */
export function written(key: string, conditional?: boolean): ItemOutcome {
  return conditional ? { key, ok: true, conditional } : { key, ok: true };
}

/** The CRM refused a conditional write: the record changed since it was read (read it again). */
export function writeConflict(key: string, reason: string): ItemOutcome {
  return { key, ok: false, conflict: true, reason };
}

/** The CRM named this record as refused. */
export function recordFailure(key: string, error: ConnectorError): ItemOutcome {
  return { key, ok: false, error, refused: 'record' };
}

/** The whole request carrying these items was refused: none of them is to blame yet. */
export function requestFailures(items: ReadonlyArray<{ key: string }>, error: ConnectorError): ItemOutcome[] {
  return items.map((item): ItemOutcome => ({ key: item.key, ok: false, error, refused: 'request' }));
}

/**
 * Runs one request per part; a part whose request fails with a classified error reports its items
 * (`itemsOf(part)`) as refused by request, so the other parts' results stand. Anything else (a
 * bug) propagates.
 */
export async function perRequest<P>(
  parts: P[],
  itemsOf: (part: P) => ReadonlyArray<{ key: string }>,
  run: (part: P) => Promise<ItemOutcome[]>,
): Promise<ItemOutcome[]> {
  const lists = await Promise.all(
    parts.map((part) =>
      run(part).catch((error: unknown) => {
        if (!isConnectorError(error)) throw error;
        return requestFailures(itemsOf(part), error);
      }),
    ),
  );
  const out: ItemOutcome[] = [];
  for (let i = 0; i < lists.length; i++) Array.prototype.push.apply(out, lists[i] as ItemOutcome[]);
  return out;
}

/**
 * One request per item (CRMs without a batch write): a refused request is that record's failure.
 * `run` may answer the outcome itself (a conflict, a conditional write); nothing means written.
 */
export function eachAlone<T extends { key: string }>(
  items: T[],
  run: (item: T) => Promise<ItemOutcome | void>,
): Promise<ItemOutcome[]> {
  return Promise.all(
    items.map((item) =>
      run(item).then(
        (outcome) => outcome || written(item.key),
        (error: unknown) => {
          if (!isConnectorError(error)) throw error;
          return recordFailure(item.key, error);
        },
      ),
    ),
  );
}

/** Splits items into parts of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The record was written but its event was not sent: the record's failure (of the event's kind),
 * named as such, so a retry or a log line says what is missing.
 */
export function eventFailure(
  key: string,
  what: string,
  error: ConnectorError,
  destination: string,
): ItemOutcome {
  return recordFailure(
    key,
    new ConnectorError(error.kind, `${what} written, but its event was not sent: ${error.reason}`, {
      destination,
      status: error.status,
      vendorCode: error.vendorCode,
    }),
  );
}
