/**
 * The connector: one hook call in, the outcome policy of docs/architecture.md §5 out.
 * - Resolves with a HookOutcome, what happened per destination (written, unchanged, or refused
 *   with its final kind and reason), when nothing failed transiently. Each refusal is also ONE
 *   structured error line naming the pass, the destination and the reason.
 * - Rejects, with a classified ConnectorError, only when a transient failure outlived the retry
 *   budget, so the platform delivers the event again.
 */
import { resolveDestination } from './config/resolve';
import { ConnectorError, type FinalKind } from './delivery/errors';
import { createDestinationRuntime, type DestinationRuntime } from './delivery/destination-runtime';
import { normalize } from './domain/normalize';
import { routeMatches } from './domain/route';
import { CallSettlement } from './call-settlement';
import { RoutedCall, type HookOutcome, type Route } from './routed-call';
import type { TenantConfig } from './config/tenant-config.generated';
import type { DestinationDefinition } from './destinations/types';
import type { HookName, WalletEvent } from './domain/types';
import type { DestinationSnapshot } from './delivery/metrics';
import type { Limiter } from './delivery/limiter';
import type { Host } from './platform/host';
import { createLogger, redactingSecrets, Redactor, type Logger } from './platform/logger';

export type { DestinationOutcome, HookOutcome } from './routed-call';

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

/** What the platform's registration uses (connector/index.ts): calls in, the destinations, the log. */
export interface ConnectorCore {
  /**
   * One hook call: its settlement, listened on with `then` (what the platform's hooks use, so a
   * queued call holds its event and one call object, no promise chain).
   */
  start(hook: HookName, args: readonly unknown[]): CallSettlement;
  destinations: DestinationRuntime[];
  log: Logger;
}

/** The core plus what the Node tools use (serve, backfill, the CLI, tests). */
export interface Connector extends ConnectorCore {
  /** start as a promise. */
  handle(hook: HookName, args: readonly unknown[]): Promise<HookOutcome>;
  metrics(): DestinationSnapshot[];
  idle(): Promise<void>;
  stop(): void;
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

/**
 * The Node tools' connector: the core and its promise, metrics, drain and stop. The upload script
 * calls startConnector alone, so it does not carry them.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const core = startConnector(options);
  const destinations = core.destinations;
  return {
    start: core.start,
    destinations,
    log: core.log,
    handle: (hook, args) =>
      new Promise<HookOutcome>((resolve, reject) => {
        core.start(hook, args).then(resolve, reject);
      }),
    metrics: () => destinations.map((d) => d.metrics.snapshot()),
    idle: () => Promise.all(destinations.map((d) => d.idle())).then(() => undefined),
    stop: () => destinations.forEach((d) => d.stop()),
  };
}

export function startConnector(options: ConnectorOptions): ConnectorCore {
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

  // One Route per set of destinations an event can be routed to, shared by the calls routed there.
  const routes = new Map<string, Route>();
  function routeOf(event: WalletEvent): Route | null {
    const routed = destinations.filter((d) => routeMatches(d.destination.raw.route, event));
    if (routed.length === 0) return null;
    const key = routed.map((d) => destinations.indexOf(d)).join(',');
    let route = routes.get(key);
    if (!route) routes.set(key, (route = { destinations: routed, log, redactor }));
    return route;
  }

  function start(hook: HookName, args: readonly unknown[]): CallSettlement {
    let call = new CallSettlement();
    try {
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
        call.fulfil({ hook, passId: normalized.passId, result: 'refused', kind: 'validation', reason });
        return call;
      }
      const event = normalized.event;
      const route = routeOf(event);
      if (!route) {
        log.debug('event not routed', { hook, passId: event.passId, passType: event.passType });
        call.fulfil({ hook, passId: event.passId, result: 'routed', destinations: [] });
        return call;
      }
      // The call keeps the event, not the hook's arguments: they are dropped once normalized.
      const routed = new RoutedCall(event, route);
      call = routed;
      routed.enqueue();
    } catch (error) {
      call.fail(error);
    }
    return call;
  }

  return { start, destinations, log };
}
