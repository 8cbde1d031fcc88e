/**
 * Assembles one destination's delivery: resolved config, auth, limiter, sender, batch job, queue.
 */
import { createBatcher, DEFAULT_MAX_QUEUED_EVENTS, type Waiter } from './batcher';
import { createLimiter, type Limiter } from './limiter';
import { createDestinationMetrics, type DestinationMetrics } from './metrics';
import { createRmwJob } from './rmw-job';
import { createSender, type Budget } from './sender';
import { createAuth } from '../auth';
import type { DestinationContext, DestinationDefinition, ResolvedDestination } from '../destinations/types';
import type { RegistrationCountsReading } from '../domain/types';
import type { Host } from '../platform/host';
import type { Logger } from '../platform/logger';

export interface DestinationRuntime {
  destination: ResolvedDestination;
  definition: DestinationDefinition;
  metrics: DestinationMetrics;
  limiter: Limiter;
  /** Queues a call: the waiter is told its outcome (what the connector's calls use). */
  enqueue(waiter: Waiter): void;
  /** A context for one-off calls (test-auth, setup, backfill reads). */
  context(): DestinationContext;
  idle(): Promise<void>;
  stop(): void;
}

export interface RuntimeDeps {
  host: Host;
  log: Logger;
  tenantId: string;
  /** The tenant's `registrationCounts` (default auto). */
  registrationCounts?: RegistrationCountsReading;
  random?: () => number;
  maxQueuedEvents?: number;
  /**
   * Limiters by (type, base URL, auth identity), so destinations on the same CRM account with the
   * same credential share one; createConnector always passes one map for all its destinations.
   */
  limiters?: Map<string, Limiter>;
  /** How many hook calls this script instance has started (createConnector counts them). */
  instanceCalls?: () => number;
  /** Makes the limiter for a key (Node tools pass a Redis-clustered one shared across processes). */
  limiterFactory?: (key: string, rate: ResolvedDestination['rateLimit'], destination: string) => Limiter;
}

export function createDestinationRuntime(
  destination: ResolvedDestination,
  definition: DestinationDefinition,
  deps: RuntimeDeps,
): DestinationRuntime {
  const { host, log } = deps;
  const metrics = createDestinationMetrics(destination.id);
  const auth = createAuth(destination.raw.auth, {
    getSecret: host.getSecret,
    http: host.http,
    now: host.now,
    destination: destination.id,
    timeoutMs: destination.timeoutMs,
    registerSecret: (value) => log.addSecret(value),
  });
  const limiterKey = `${destination.type}|${destination.baseUrl}|${auth.identity}`;
  let limiter = deps.limiters ? deps.limiters.get(limiterKey) : undefined;
  if (!limiter) {
    limiter = deps.limiterFactory
      ? deps.limiterFactory(limiterKey, destination.rateLimit, destination.id)
      : createLimiter(destination.rateLimit, host.timers, host.now, destination.id);
    if (deps.limiters) deps.limiters.set(limiterKey, limiter);
  }
  const send = createSender({
    host,
    definition,
    destination,
    auth,
    limiter,
    metrics,
    log,
    random: deps.random || Math.random,
  });
  const contextFor = (budget: Budget): DestinationContext => ({
    config: destination,
    settings: destination.settings,
    tenantId: deps.tenantId,
    send: (request) => send(request, budget),
  });
  const job = createRmwJob({
    definition,
    context: contextFor,
    metrics,
    log,
    now: host.now,
    registrationCounts: deps.registrationCounts || 'auto',
    instanceCalls: deps.instanceCalls || (() => 1),
  });
  const batcher = createBatcher({
    destination: destination.id,
    maxSize: destination.batch.maxSize,
    maxWaitMs: destination.batch.maxWaitMs,
    maxQueuedEvents: deps.maxQueuedEvents || DEFAULT_MAX_QUEUED_EVENTS,
    // Enough batches to keep every request slot busy, no more: see BatcherOptions.maxRunningBatches.
    maxRunningBatches: Math.max(2, destination.rateLimit.maxConcurrent * 2),
    timers: host.timers,
    job,
  });
  const ownLimiter = limiter;
  return {
    destination,
    definition,
    metrics,
    limiter: ownLimiter,
    enqueue: (waiter) => batcher.enqueue(waiter),
    context: () => contextFor({ startedAtMs: host.now() }),
    idle: () => batcher.idle(),
    stop: () => ownLimiter.stop(),
  };
}
