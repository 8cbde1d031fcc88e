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
import { eventNames, type EventNames } from '../event-names';
import { classifyBraze } from './errors';
import { MAX_OBJECTS } from './payload';
import { MAX_EXPORT_IDS, readUsers, writeUsers } from './users';
import type { DestinationDefinition } from '../types';

export const brazeDestination: DestinationDefinition<EventNames> = {
  type: 'braze',
  // Custom attributes are free-form: the canonical names, as docs/architecture.md §6 says for Braze.
  defaultProperties: CANONICAL_PROPERTIES,
  defaultRateLimit: { requests: 4, intervalMs: 1000, maxConcurrent: 4 },
  defaultBatch: { maxSize: MAX_EXPORT_IDS, maxWaitMs: 200 },
  maxBatchSize: MAX_OBJECTS,
  maxReadBatchSize: MAX_EXPORT_IDS,
  defaultMode: 'readModifyWrite',
  resolve: (config) => eventNames(config.raw),
  read: readUsers,
  write: writeUsers,
  classifyError: classifyBraze,
};
