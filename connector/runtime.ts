/**
 * The connector: one hook call in, the outcome policy of docs/architecture.md §5 out.
 * - Resolves with a HookOutcome, what happened per destination (written, unchanged, or refused
 *   with its final kind and reason), when nothing failed transiently. Each refusal is also ONE
 *   structured error line naming the pass, the destination and the reason.
 * - Rejects, with a classified ConnectorError, only when a transient failure outlived the retry
 *   budget, so the platform delivers the event again.
 */
import { resolveDestination } from './config/resolve';
import { asConnectorError } from './delivery/batcher';
import { allSettled } from './delivery/deferred';
import { ConnectorError, isPermanentKind, type FinalKind } from './delivery/errors';
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

/** What happened to one event at one destination it was routed to. */
export type DestinationOutcome =
  | { destination: string; result: 'written' | 'unchanged' }
  | { destination: string; result: 'refused'; kind: FinalKind; reason: string; status?: number };

/** What one hook call did: refused as a whole (invalid input, reached no destination), or per destination. */
export type HookOutcome =
  | { hook: HookName; passId: string; result: 'refused'; kind: 'validation'; reason: string }
  /** `destinations` is empty when no destination's route takes the event. */
  | { hook: HookName; passId: string; result: 'routed'; destinations: DestinationOutcome[] };

/** The refusals of an outcome (the whole event, or the destinations that refused it), each with its reason. */
export function refusalsOf(
  outcome: HookOutcome,
): Array<{ destination: string | null; kind: FinalKind; reason: string }> {
  if (outcome.result === 'refused')
    return [{ destination: null, kind: outcome.kind, reason: outcome.reason }];
  const out: Array<{ destination: string | null; kind: FinalKind; reason: string }> = [];
  for (const d of outcome.destinations)
    if (d.result === 'refused') out.push({ destination: d.destination, kind: d.kind, reason: d.reason });
  return out;
}

export interface Connector {
  handle(hook: HookName, args: readonly unknown[]): Promise<HookOutcome>;
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
  // Hook calls this instance has started: `readBack: auto` reads writes back only in an instance
  // that has served one call (a host that starts an instance per call).
  let callsStarted = 0;
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
      instanceCalls: () => callsStarted,
    });
  });
  const joinKey = {
    identifiers: config.joinKey.identifiers,
    normalizeEmail: config.joinKey.normalizeEmail === true,
  };

  async function handle(hook: HookName, args: readonly unknown[]): Promise<HookOutcome> {
    callsStarted++;
    const normalized = normalize({ hook, args, receivedAtMs: host.now(), joinKey });
    if (!normalized.ok) {
      log.error('event rejected', {
        hook,
        passId: normalized.passId,
        destination: null,
        kind: 'validation',
        reason: normalized.reason,
      });
      const reason = redactor.text(normalized.reason);
      return { hook, passId: normalized.passId, result: 'refused', kind: 'validation', reason };
    }
    const event = normalized.event;
    const routed = destinations.filter((d) => routeMatches(d.destination.raw.route, event));
    if (routed.length === 0) {
      log.debug('event not routed', { hook, passId: event.passId, passType: event.passType });
      return { hook, passId: event.passId, result: 'routed', destinations: [] };
    }
    const settled = await allSettled(routed.map((d) => d.submit(event)));
    let transient: ConnectorError | null = null;
    const outcomes: DestinationOutcome[] = [];
    settled.forEach((result, i) => {
      const runtime = routed[i] as DestinationRuntime;
      const destination = runtime.destination.id;
      if (result.ok && result.value.ok) {
        outcomes.push({ destination, result: result.value.wrote ? 'written' : 'unchanged' });
        return;
      }
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
      if (result.ok && isPermanentKind(error.kind)) {
        runtime.metrics.counters.dropped++;
        log.error('event dropped', fields);
        // Redacted like the log line: the outcome travels further (serve's answer).
        outcomes.push({
          destination,
          result: 'refused',
          kind: error.kind,
          reason: redactor.text(error.reason),
          status: error.status,
        });
      } else {
        runtime.metrics.counters.failed++;
        log.warn('event failed, the platform should deliver it again', fields);
        if (!transient) transient = error;
      }
    });
    if (transient) throw transient;
    return { hook, passId: event.passId, result: 'routed', destinations: outcomes };
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
