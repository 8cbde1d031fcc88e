/**
 * The connector: one hook call in, the outcome policy of docs/architecture.md §5 out.
 * - Resolves when the event is written everywhere it was routed, or is permanently unprocessable
 *   (then ONE structured error line names the pass, the destination and the reason).
 * - Rejects, with a classified ConnectorError, only when a transient failure outlived the retry
 *   budget, so the platform delivers the event again.
 */
import { resolveDestination } from './config/resolve';
import { asConnectorError } from './delivery/batcher';
import { allSettled } from './delivery/deferred';
import { ConnectorError } from './delivery/errors';
import { createDestinationRuntime, type DestinationRuntime } from './delivery/destination-runtime';
import { normalize } from './domain/normalize';
import { routeMatches } from './domain/route';
import type { TenantConfig } from './config/tenant-config.generated';
import type { DestinationDefinition } from './destinations/types';
import type { HookName } from './domain/types';
import type { DestinationSnapshot } from './delivery/metrics';
import type { Limiter } from './delivery/limiter';
import type { Host } from './platform/host';
import { createLogger, redactingSecrets, Redactor, type Logger } from './platform/logger';

export interface Connector {
  handle(hook: HookName, args: readonly unknown[]): Promise<void>;
  destinations: DestinationRuntime[];
  metrics(): DestinationSnapshot[];
  idle(): Promise<void>;
  stop(): void;
  log: Logger;
}

export interface ConnectorOptions {
  config: TenantConfig;
  host: Host;
  definitions: Record<string, DestinationDefinition>;
  random?: () => number;
  maxQueuedEvents?: number;
  limiters?: Map<string, Limiter>;
  limiterFactory?: (
    key: string,
    rate: { requests: number; intervalMs: number; maxConcurrent: number },
    destination: string,
  ) => Limiter;
}

export function createConnector(options: ConnectorOptions): Connector {
  const { config } = options;
  const redactor = new Redactor();
  const log = createLogger(options.host.log, config.logLevel || 'info', redactor);
  // Every secret passes the redactor before any code can put it in a message.
  const host: Host = Object.assign({}, options.host, {
    getSecret: redactingSecrets(options.host.getSecret, redactor),
  });
  // One limiter per CRM account and credential across this connector's destinations (README,
  // "Throttling"): without a map from the caller, this connector keeps its own.
  const limiters = options.limiters || new Map<string, Limiter>();
  const destinations = config.destinations.map((raw) => {
    const definition = options.definitions[raw.type];
    if (!definition)
      throw new ConnectorError(
        'configuration',
        `destination type "${raw.type}" is not built into this bundle`,
      );
    return createDestinationRuntime(resolveDestination(raw, definition), definition, {
      host,
      log,
      tenantId: config.tenantId,
      registrationCounts: config.registrationCounts || 'auto',
      random: options.random,
      maxQueuedEvents: options.maxQueuedEvents,
      limiters,
      limiterFactory: options.limiterFactory,
    });
  });
  const joinKey = {
    identifiers: config.joinKey.identifiers,
    normalizeEmail: config.joinKey.normalizeEmail === true,
  };

  async function handle(hook: HookName, args: readonly unknown[]): Promise<void> {
    const normalized = normalize({ hook, args, receivedAtMs: host.now(), joinKey });
    if (!normalized.ok) {
      log.error('event rejected', {
        hook,
        passId: normalized.passId,
        destination: null,
        kind: 'validation',
        reason: normalized.reason,
      });
      return;
    }
    const event = normalized.event;
    const routed = destinations.filter((d) => routeMatches(d.destination.raw.route, event));
    if (routed.length === 0) {
      log.debug('event not routed', { hook, passId: event.passId, passType: event.passType });
      return;
    }
    const settled = await allSettled(routed.map((d) => d.submit(event)));
    let transient: ConnectorError | null = null;
    settled.forEach((result, i) => {
      const destination = (routed[i] as DestinationRuntime).destination.id;
      if (result.ok && result.value.ok) return;
      const error = result.ok
        ? (result.value as { error: ConnectorError }).error
        : asConnectorError(result.error, destination);
      const fields = {
        hook,
        passId: event.passId,
        joinKey: event.joinKey,
        destination,
        kind: error.kind,
        status: error.status,
        reason: error.reason,
      };
      if (result.ok) {
        (routed[i] as DestinationRuntime).metrics.counters.dropped++;
        log.error('event dropped', fields);
      } else {
        (routed[i] as DestinationRuntime).metrics.counters.failed++;
        log.warn('event failed, the platform should deliver it again', fields);
        if (!transient) transient = error;
      }
    });
    if (transient) throw transient;
  }

  return {
    handle,
    destinations,
    metrics: () => destinations.map((d) => d.metrics.snapshot()),
    idle: () => Promise.all(destinations.map((d) => d.idle())).then(() => undefined),
    stop: () => destinations.forEach((d) => d.stop()),
    log,
  };
}
