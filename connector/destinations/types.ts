/**
 * What a destination is: mostly data (auth schemes, default property names, limits) plus a few
 * small functions that speak the CRM's wire format. The delivery engine does everything else
 * (batching, ordering, throttling, retries, auth headers). Adding a CRM adds a folder here and one
 * line in destinations/registry.ts; nothing in the core changes.
 */
import type { CanonicalFieldName, CanonicalFields, WalletEvent } from '../domain/types';
import type { DestinationConfig } from '../config/tenant-config.generated';
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

/** What a destination's functions get: its resolved config and a way to send requests. */
export interface DestinationContext {
  config: ResolvedDestination;
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

export type ItemOutcome = { key: string; ok: true } | { key: string; ok: false; error: ConnectorError };

export interface DestinationDefinition {
  type: DestinationType;
  label: string;
  authSchemes: readonly AuthScheme[];
  grants?: readonly Grant[];
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
  /** Batch read of the current records; a key with no record maps to null. */
  read?(ctx: DestinationContext, keys: string[]): Promise<Map<string, CurrentRecord | null>>;
  /** Batch write; one outcome per item, in any order. Throws only when the whole request failed. */
  write(ctx: DestinationContext, items: WriteItem[]): Promise<ItemOutcome[]>;
  /** Vendor-specific error reading (throttle signals, error bodies); null leaves it to the generic rules. */
  classifyError?(response: DestinationResponse, destinationId: string): ConnectorError | null;
  /** One cheap authenticated call that proves the credentials and the configured properties. */
  testAuth(ctx: DestinationContext): Promise<string>;
}

/** A destination's config with every default filled in. */
export interface ResolvedDestination {
  id: string;
  type: DestinationType;
  baseUrl: string;
  raw: DestinationConfig;
  mode: 'readModifyWrite' | 'writeOnly';
  properties: Record<CanonicalFieldName, string>;
  rateLimit: RateLimit;
  batch: BatchLimits;
  retry: { maxElapsedMs: number; maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  events: boolean;
}
