/**
 * One hook call on its way through the destinations it was routed to, and the outcome policy of
 * docs/architecture.md §5 once they have all answered: refusals logged once each, a transient
 * failure rejects the call (the platform delivers it again).
 *
 * This is what a queued call holds besides its event: one object that is both the queue's waiter
 * (delivery/batcher.ts `Waiter`) and the call's settlement the hook driver listens on
 * (call-settlement.ts), so no promise, closure or array of its own waits in the queue. The event
 * waits in its queued form (domain/queued-event.ts) and is made whole when its batch runs.
 */
import { asConnectorError, type DeliveryOutcome, type Waiter } from './delivery/batcher';
import { ConnectorError, isPermanentKind, type FinalKind } from './delivery/errors';
import type { DestinationRuntime } from './delivery/destination-runtime';
import { queuedEventOf, walletEventOf, type QueuedEvent } from './domain/queued-event';
import type { HookName, WalletEvent } from './domain/types';
import { CallSettlement } from './call-settlement';
import { DestinationPart } from './destination-part';
import type { Logger, Redactor } from './platform/logger';

/** What happened to one event at one destination it was routed to. */
export type DestinationOutcome =
  | { destination: string; result: 'written' | 'unchanged' }
  | { destination: string; result: 'refused'; kind: FinalKind; reason: string; status?: number };

/** What one hook call did: refused as a whole (invalid input, reached no destination), or per destination. */
export type HookOutcome =
  | { hook: HookName; passId: string; result: 'refused'; kind: 'validation'; reason: string }
  /** `destinations` is empty when no destination's route takes the event. */
  | { hook: HookName; passId: string; result: 'routed'; destinations: DestinationOutcome[] };

/**
 * The destinations a call was routed to, with the connector's log and redactor: one object shared
 * by every call with the same route, not an array and two fields on each.
 */
export interface Route {
  destinations: DestinationRuntime[];
  log: Logger;
  redactor: Redactor;
}

/** How one routed destination took the call: its delivery outcome, or a transient rejection. */
export type DestinationSettled = { ok: true; value: DeliveryOutcome } | { ok: false; error: unknown };

/**
 * With one destination (the usual case) the call is that destination's waiter; with several, each
 * gets a DestinationPart, and the outcome is made once all have answered, in route order.
 */
export class RoutedCall extends CallSettlement implements Waiter {
  // Declared, and set in the constructor: see CallSettlement.
  declare private readonly route: Route;
  /** Answers of a call routed to several destinations, by route index (none kept for one). */
  declare private settled: Array<DestinationSettled | undefined> | null;
  declare private readonly queued: QueuedEvent;

  /** `event` must be one `normalize` made (its derived fields are made again, not kept). */
  constructor(event: WalletEvent, route: Route) {
    super();
    this.route = route;
    this.settled = null;
    this.queued = queuedEventOf(event);
  }

  get joinKey(): string {
    return this.queued.joinKey;
  }

  event(): WalletEvent {
    return walletEventOf(this.queued);
  }

  /** Queues the call at every destination of its route. */
  enqueue(): void {
    const destinations = this.route.destinations;
    if (destinations.length === 1) (destinations[0] as DestinationRuntime).enqueue(this);
    else destinations.forEach((d, i) => d.enqueue(new DestinationPart(this, i)));
  }

  resolve(outcome: DeliveryOutcome): void {
    this.answer(0, { ok: true, value: outcome });
  }

  reject(error: unknown): void {
    this.answer(0, { ok: false, error });
  }

  answer(index: number, result: DestinationSettled): void {
    let settled: DestinationSettled[] = [result];
    if (this.route.destinations.length > 1) {
      const answers = this.settled || (this.settled = []);
      answers[index] = result;
      for (let i = 0; i < this.route.destinations.length; i++) if (!answers[i]) return;
      settled = answers as DestinationSettled[];
    }
    // Never throws into the queue that told it: a failure here fails this call alone.
    try {
      this.finish(settled);
    } catch (error) {
      this.fail(error);
    }
  }

  private finish(settled: DestinationSettled[]): void {
    const event = this.queued;
    const hook = event.hook;
    const { destinations: routed, log, redactor } = this.route;
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
    if (transient) this.fail(transient);
    else this.fulfil({ hook, passId: event.passId, result: 'routed', destinations: outcomes });
  }
}
