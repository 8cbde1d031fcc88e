/**
 * The per-destination queue: per-customer order and micro-batching.
 *
 * - At most one batch holds a given join key at a time; events of that customer that arrive
 *   meanwhile wait and are folded, in order, into the next batch (read again, reduce again).
 * - Calls arriving within `batch.maxWaitMs` are grouped, up to `batch.maxSize` customers.
 * - Every call's promise settles with ITS customer's outcome: one bad record never fails others.
 * - The queue is bounded: past `maxQueuedEvents` a call is refused at once as transient, so a slow
 *   CRM cannot make memory grow without limit (the platform delivers it again later).
 */
import { classifyUnexpected, ConnectorError, isPermanentKind } from './errors';
import type { WalletEvent } from '../domain/types';
import type { Timers } from '../platform/host';

export type DeliveryOutcome =
  | { ok: true; destination: string; wrote: boolean }
  | { ok: false; destination: string; error: ConnectorError };

/** What one batch job reports for one customer. */
export type KeyResult = { ok: true; wrote: boolean } | { ok: false; error: ConnectorError };

/** Runs one batch: events grouped by join key, oldest first. Must report every key. */
export type BatchJob = (batch: Map<string, WalletEvent[]>) => Promise<Map<string, KeyResult>>;

/**
 * One queued call at this destination: its event, and whom to tell once its batch is done. This is
 * all the queue keeps per call (the connector's routed call implements it, so a queued call holds
 * no promise of its own). Exactly one of the two is called, once; neither may throw.
 */
export interface Waiter {
  /** The customer the call is queued for (its event's join key). */
  readonly joinKey: string;
  /**
   * The call's event, made when its batch runs: a queued call may keep a slimmer form of it
   * (domain/queued-event.ts). Each call may make a new, equal object.
   */
  event(): WalletEvent;
  /** Written, unchanged, or permanently refused (the outcome says which). */
  resolve(outcome: DeliveryOutcome): void;
  /** A transient failure (queue full, retries exhausted): the platform must deliver the call again. */
  reject(error: ConnectorError): void;
}

/** A customer's queued calls: most customers have one, kept without an array around it. */
type Queued = Waiter | Waiter[];

function waitersOf(queued: Queued): Waiter[] {
  return Array.isArray(queued) ? queued : [queued];
}

export interface BatcherOptions {
  destination: string;
  maxSize: number;
  maxWaitMs: number;
  maxQueuedEvents: number;
  /**
   * Batches running at once. Beyond it, customers wait in the queue (a few hundred bytes each)
   * instead of as parked requests, and their later events fold into one batch.
   */
  maxRunningBatches?: number;
  timers: Timers | null;
  job: BatchJob;
}

export const DEFAULT_MAX_QUEUED_EVENTS = 50000;

export class Batcher {
  private readonly pending = new Map<string, Queued>();
  /** Keys waiting for a batch, in arrival order (a key appears once). */
  private readonly ready: string[] = [];
  private readonly inFlight = new Map<string, true>();
  private queued = 0;
  private timer: unknown = null;
  private flushQueued = false;
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: BatcherOptions) {}

  /** Queues one event; its promise settles the way a Waiter is told. */
  submit(event: WalletEvent): Promise<DeliveryOutcome> {
    return new Promise<DeliveryOutcome>((resolve, reject) =>
      this.enqueue({ joinKey: event.joinKey, event: () => event, resolve, reject }),
    );
  }

  /** Queues one call, or refuses it at once (transient) when the queue is full. */
  enqueue(waiter: Waiter): void {
    if (this.queued >= this.options.maxQueuedEvents) {
      waiter.reject(
        new ConnectorError(
          'transient',
          `queue full (${this.options.maxQueuedEvents} events waiting): deliver again later`,
          {
            destination: this.options.destination,
          },
        ),
      );
      return;
    }
    const key = waiter.joinKey;
    const queued = this.pending.get(key);
    if (Array.isArray(queued)) queued.push(waiter);
    else if (queued) this.pending.set(key, [queued, waiter]);
    else {
      this.pending.set(key, waiter);
      if (!this.inFlight.has(key)) this.ready.push(key);
    }
    this.queued++;
    this.schedule();
  }

  /** Resolves when nothing is queued or running (for tools that drain before exit). */
  idle(): Promise<void> {
    if (this.queued === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    const timers = this.options.timers;
    const canHoldWindow = !!timers && (!timers.waitsAreReliable || timers.waitsAreReliable());
    if (this.ready.length >= this.options.maxSize || this.options.maxWaitMs === 0 || !canHoldWindow) {
      this.flushSoon();
      return;
    }
    if (this.timer === null) {
      this.timer = (timers as NonNullable<typeof timers>).setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.options.maxWaitMs);
    }
  }

  /** Flush after the current turn, so calls made together still share a batch. */
  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    Promise.resolve().then(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    const cap = this.options.maxRunningBatches || Infinity;
    while (this.ready.length > 0 && this.running < cap) {
      const keys = this.ready.splice(0, this.options.maxSize);
      const batch = new Map<string, Waiter[]>();
      for (const key of keys) {
        const queued = this.pending.get(key);
        if (!queued) continue;
        this.pending.delete(key);
        this.inFlight.set(key, true);
        batch.set(key, waitersOf(queued));
      }
      if (batch.size > 0) this.run(batch);
    }
    if (this.timer !== null && this.options.timers) {
      this.options.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private run(batch: Map<string, Waiter[]>): void {
    this.running++;
    const events = new Map<string, WalletEvent[]>();
    batch.forEach((waiters, key) =>
      events.set(
        key,
        waiters.map((w) => w.event()),
      ),
    );
    let job: Promise<Map<string, KeyResult>>;
    try {
      job = this.options.job(events);
    } catch (error) {
      job = Promise.reject(error);
    }
    job.then(
      (results) => this.finish(batch, (key) => results.get(key)),
      (error: unknown) =>
        this.finish(batch, () => ({ ok: false, error: asConnectorError(error, this.options.destination) })),
    );
  }

  private finish(batch: Map<string, Waiter[]>, resultOf: (key: string) => KeyResult | undefined): void {
    const destination = this.options.destination;
    batch.forEach((waiters, key) => {
      const result =
        resultOf(key) ||
        ({
          ok: false,
          error: new ConnectorError('transient', 'the batch reported no outcome for this customer', {
            destination,
          }),
        } as KeyResult);
      this.inFlight.delete(key);
      this.queued -= waiters.length;
      for (const waiter of waiters) {
        if (result.ok) waiter.resolve({ ok: true, destination, wrote: result.wrote });
        else if (isPermanentKind(result.error.kind))
          waiter.resolve({ ok: false, destination, error: result.error });
        else waiter.reject(result.error);
      }
      // Events of this customer that arrived during the batch go next.
      if (this.pending.has(key)) this.ready.push(key);
    });
    this.running--;
    // Customers still ready have waited at least one batch already: no further gathering wait.
    if (this.ready.length > 0) this.flushSoon();
    if (this.queued === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

export function asConnectorError(error: unknown, destination: string): ConnectorError {
  return classifyUnexpected(error, destination);
}
