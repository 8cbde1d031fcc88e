/**
 * What a destination is at run time: mostly data (auth schemes and grants, default property names,
 * limits) plus a few small functions that speak the CRM's wire format. The delivery engine does
 * everything else (batching, ordering, throttling, retries, auth headers). What only the CLI needs
 * (the tenant-file keys and their docs, setup steps, the credentials check) is the type's
 * description (describe.ts), kept out of the upload bundle; the config schema, the generated
 * config type, the validator's key lists and the reference are generated from the descriptions
 * (cli/config/generate.ts). Adding a CRM adds a folder here, one line in destinations/registry.ts
 * and one in cli/config/destinations.ts (docs/adding-a-destination.md).
 */
import type { CanonicalFieldName, CanonicalFields, WalletEvent } from '../domain/types';
import type { DestinationConfig } from '../config/tenant-config.generated';
import type { ErrorReader } from '../delivery/classify';
import type { ConnectorError } from '../delivery/errors';
import type { HttpResponse } from '../platform/host';

export type DestinationType = DestinationConfig['type'];
export type AuthScheme = 'apiKey' | 'bearer' | 'basic' | 'oauth2';
export type Grant = 'client_credentials' | 'refresh_token' | 'jwt_bearer';

export interface RateLimit {
  requests: number;
  intervalMs: number;
  maxConcurrent: number;
}

export interface BatchLimits {
  maxSize: number;
  maxWaitMs: number;
}

/** A request relative to the destination's base URL; the engine adds auth, timeout, throttle, retry. */
export interface DestinationRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `rawBody` is given. */
  json?: unknown;
  rawBody?: string;
  /** Statuses the caller handles itself instead of having them classified as errors (e.g. 404 on read). */
  acceptStatuses?: number[];
  /** A 2xx must carry a JSON body (results were due); an empty or non-JSON one is a transient failure. */
  expectJson?: boolean;
}

/** A response whose body was parsed as JSON when it could be. */
export interface DestinationResponse extends HttpResponse {
  json: unknown;
}

/**
 * What a destination's functions get: its resolved config, its own settings (what its `resolve`
 * returned at registration) and a way to send requests.
 */
export interface DestinationContext<S = unknown> {
  config: ResolvedDestination;
  settings: S;
  tenantId: string;
  send(request: DestinationRequest): Promise<DestinationResponse>;
}

/** The current CRM record of one customer, in CRM property names. */
export interface CurrentRecord {
  fields: Record<string, unknown>;
  /** Concurrency token (Dynamics @odata.etag), when the CRM offers one. */
  etag?: string;
}

/** One customer's write: the CRM fields that changed (CRM names) and what produced them. */
export interface WriteItem {
  key: string;
  /** Only the changed fields, in CRM names; null clears a field. */
  fields: Record<string, string | null>;
  /** The complete next state in canonical names. */
  next: CanonicalFields;
  /** The events folded into this write, oldest first (context for templates and paths). */
  events: WalletEvent[];
  /**
   * The events that really changed the customer's state (no duplicates, no stale ones): what event
   * APIs send, so a redelivered install never starts a second welcome journey.
   */
  applied: WalletEvent[];
  /** True when the record did not exist before. */
  created: boolean;
  etag?: string;
}

/**
 * One customer's result of a write. A failure says whose it is: `refused: 'record'` when the CRM
 * named this record (its own data is at fault), `'request'` when the whole request carrying it was
 * refused (a bad neighbour, or the CRM itself), so the engine can retry such records one by one.
 * Destinations build failures with recordFailure / requestFailures (outcomes.ts), which always
 * set it; an outcome without it (from the engine itself) counts as the request's.
 * `conditional`: the write was conditional (an ETag's If-Match, or create-only), so it cannot have
 * overwritten another writer's and needs no read-back. A conflict is the CRM refusing such a write
 * because the record changed since it was read: the engine reads and reduces again; not an error.
 */
export type ItemOutcome =
  | { key: string; ok: true; conditional?: boolean }
  | { key: string; ok: false; conflict?: false; error: ConnectorError; refused?: 'record' | 'request' }
  | WriteConflict;

export interface WriteConflict {
  key: string;
  ok: false;
  conflict: true;
  /** What the CRM said, for the log (e.g. "the record changed since it was read"). */
  reason: string;
}

export interface DestinationDefinition<S = unknown> {
  type: DestinationType;
  /**
   * Reads and checks the type's own settings once, at registration: a bad value fails the
   * registration with a configuration error naming the key, instead of failing every event.
   * Every function below gets the result as `ctx.settings`.
   */
  resolve(config: ResolvedDestination): S;
  /** Default CRM name of each canonical field, after the CRM's conventions. */
  defaultProperties: Record<CanonicalFieldName, string>;
  defaultRateLimit: RateLimit;
  defaultBatch: BatchLimits;
  /** The vendor's hard maximum records per write request. */
  maxBatchSize: number;
  /** The vendor's hard maximum keys per read request. */
  maxReadBatchSize: number;
  /** Default mode when the tenant does not set one. */
  defaultMode: 'readModifyWrite' | 'writeOnly';
  /**
   * The finest time the CRM stores, in ms, when coarser than a millisecond (Dataverse: 1000). A time
   * it echoes at that precision is the same instant, so a redelivery does not rewrite it.
   */
  timePrecisionMs?: number;
  /** Batch read of the current records; a key with no record maps to null. */
  read?(ctx: DestinationContext<S>, keys: string[]): Promise<Map<string, CurrentRecord | null>>;
  /**
   * Batch write; one outcome per item, in any order. A request refused as a whole reports its
   * items with `refused: 'request'` (or throws, when the write is that one request).
   */
  write(ctx: DestinationContext<S>, items: WriteItem[]): Promise<ItemOutcome[]>;
  /** Vendor-specific classification of a whole answer (a known code's meaning); null leaves it to the generic rules. */
  classifyError?(response: DestinationResponse, destinationId: string): ConnectorError | null;
  /**
   * Reads the vendor's error envelope (message, code, a throttle wait in its own terms) for the
   * generic rules (delivery/classify.ts), which otherwise know only { message } and { error }.
   */
  readError?: ErrorReader;
}

/** A destination's config with every default filled in. */
export interface ResolvedDestination {
  id: string;
  type: DestinationType;
  baseUrl: string;
  raw: DestinationConfig;
  mode: 'readModifyWrite' | 'writeOnly';
  /** When a non-conditional write is read back (README, "Racing writers"). */
  readBack: 'auto' | 'always' | 'never';
  properties: Record<CanonicalFieldName, string>;
  rateLimit: RateLimit;
  batch: BatchLimits;
  retry: { maxElapsedMs: number; maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  events: boolean;
  /** What the definition's `resolve` returned (the type's own settings, checked once). */
  settings: unknown;
}
