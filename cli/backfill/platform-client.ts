/**
 * The Wallet Crew REST API (Pass API, Insights) as the delivery engine sees a CRM: the same sender
 * (auth header, limiter, timeout, error classification, retries with Retry-After) built for a
 * pseudo-destination. It is not a CRM, but the same retry rules apply (docs/architecture.md §9).
 */
import { createAuth } from '../../connector/auth';
import { createLimiter, type Limiter } from '../../connector/delivery/limiter';
import { createDestinationMetrics, type DestinationMetrics } from '../../connector/delivery/metrics';
import { createSender } from '../../connector/delivery/sender';
import { httpDestination } from '../../connector/destinations/http/definition';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type {
  DestinationRequest,
  DestinationResponse,
  RateLimit,
  ResolvedDestination,
} from '../../connector/destinations/types';
import type { RetryPolicy } from '../../connector/delivery/retry-decision';
import type { Host } from '../../connector/platform/host';
import type { Logger } from '../../connector/platform/logger';
import { UsageError } from '../exit-codes';

export interface PlatformClient {
  send(request: DestinationRequest): Promise<DestinationResponse>;
  metrics: DestinationMetrics;
  stop(): void;
}

export interface PlatformClientOptions {
  config: TenantConfig;
  host: Host;
  log: Logger;
  /** 'pass-api' or 'insights': names the client in logs and errors. */
  id: string;
  rateLimit: RateLimit;
  /** A whole page may take a while; batch tools can afford a longer budget than a hook. */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  random?: () => number;
}

export const PLATFORM_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 15000,
  maxElapsedMs: 120000,
};

/** The platform block of the tenant file, checked: a batch command cannot run without it. */
export function platformOf(config: TenantConfig): {
  baseUrl: string;
  apiKeySecret: string;
  webhookSecret?: string;
} {
  const platform = config.platform || {};
  if (!platform.baseUrl)
    throw new UsageError('the tenant file has no platform.baseUrl (e.g. https://app.neostore.cloud)');
  if (!platform.apiKeySecret)
    throw new UsageError('the tenant file has no platform.apiKeySecret (the NAME of the X-API-KEY secret)');
  return {
    baseUrl: platform.baseUrl.replace(/\/+$/, ''),
    apiKeySecret: platform.apiKeySecret,
    webhookSecret: platform.webhookSecret,
  };
}

export function createPlatformClient(options: PlatformClientOptions, limiter?: Limiter): PlatformClient {
  const platform = platformOf(options.config);
  const auth = { scheme: 'apiKey' as const, header: 'X-API-KEY', secret: platform.apiKeySecret };
  const retry = Object.assign({}, PLATFORM_RETRY, options.retry || {});
  const destination: ResolvedDestination = {
    id: options.id,
    type: 'http',
    baseUrl: platform.baseUrl,
    raw: { id: options.id, type: 'http', baseUrl: platform.baseUrl, auth },
    mode: 'readModifyWrite',
    readBack: 'never',
    properties: httpDestination.defaultProperties,
    rateLimit: options.rateLimit,
    batch: { maxSize: 1, maxWaitMs: 0 },
    retry,
    timeoutMs: options.timeoutMs || 30000,
    events: false,
    settings: null,
  };
  const metrics = createDestinationMetrics(options.id);
  const own = limiter || createLimiter(options.rateLimit, options.host.timers, options.host.now, options.id);
  const send = createSender({
    host: options.host,
    definition: httpDestination,
    destination,
    auth: createAuth(auth, {
      getSecret: options.host.getSecret,
      http: options.host.http,
      now: options.host.now,
      destination: options.id,
      timeoutMs: destination.timeoutMs,
      registerSecret: (value) => options.log.addSecret(value),
    }),
    limiter: own,
    metrics,
    log: options.log,
    random: options.random || Math.random,
  });
  return {
    // Each request gets its own budget: a long backfill is many deliveries, not one.
    send: (request) => send(request, { startedAtMs: options.host.now() }),
    metrics,
    stop: () => own.stop(),
  };
}
