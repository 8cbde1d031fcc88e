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
import { timersCanWait, type Timers } from '../platform/host';

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

/** The queue of one destination. */
export interface Batcher {
  /** Queues one call, or refuses it at once (transient) when the queue is full. */
  enqueue(waiter: Waiter): void;
  /** Resolves when nothing is queued or running (for tools that drain before exit). */
  idle(): Promise<void>;
}

/**
 * A closure rather than a class: one per destination, and its state in local variables, which the
 * upload script's minifier shortens, where `this.` fields keep their names on every use.
 */
export function createBatcher(options: BatcherOptions): Batcher {
  const { destination, maxSize, maxWaitMs, maxQueuedEvents, timers, job } = options;
  const maxRunningBatches = options.maxRunningBatches || Infinity;
  const pending = new Map<string, Queued>();
  /** Keys waiting for a batch, in arrival order (a key appears once). */
  const ready: string[] = [];
  const inFlight = new Map<string, true>();
  let queued = 0;
  let timer: unknown = null;
  let flushQueued = false;
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  function enqueue(waiter: Waiter): void {
    if (queued >= maxQueuedEvents) {
      waiter.reject(
        new ConnectorError(
          'transient',
          `queue full (${maxQueuedEvents} events waiting): deliver again later`,
          { destination },
        ),
      );
      return;
    }
    const key = waiter.joinKey;
    const waiting = pending.get(key);
    if (Array.isArray(waiting)) waiting.push(waiter);
    else if (waiting) pending.set(key, [waiting, waiter]);
    else {
      pending.set(key, waiter);
      if (!inFlight.has(key)) ready.push(key);
    }
    queued++;
    schedule();
  }

  function schedule(): void {
    if (ready.length >= maxSize || maxWaitMs === 0 || !timersCanWait(timers)) {
      flushSoon();
      return;
    }
    if (timer === null) {
      timer = timers.setTimeout(() => {
        timer = null;
        flush();
      }, maxWaitMs);
    }
  }

  /** Flush after the current turn, so calls made together still share a batch. */
  function flushSoon(): void {
    if (flushQueued) return;
    flushQueued = true;
    Promise.resolve().then(() => {
      flushQueued = false;
      flush();
    });
  }

  function flush(): void {
    while (ready.length > 0 && running < maxRunningBatches) {
      const keys = ready.splice(0, maxSize);
      const batch = new Map<string, Waiter[]>();
      for (const key of keys) {
        const waiting = pending.get(key);
        if (!waiting) continue;
        pending.delete(key);
        inFlight.set(key, true);
        batch.set(key, waitersOf(waiting));
      }
      if (batch.size > 0) run(batch);
    }
    if (timer !== null && timers) {
      timers.clearTimeout(timer);
      timer = null;
    }
  }

  function run(batch: Map<string, Waiter[]>): void {
    running++;
    const events = new Map<string, WalletEvent[]>();
    batch.forEach((waiters, key) =>
      events.set(
        key,
        waiters.map((w) => w.event()),
      ),
    );
    let done: Promise<Map<string, KeyResult>>;
    try {
      done = job(events);
    } catch (error) {
      done = Promise.reject(error);
    }
    done.then(
      (results) => finish(batch, (key) => results.get(key)),
      (error: unknown) => finish(batch, () => ({ ok: false, error: asConnectorError(error, destination) })),
    );
  }

  function finish(batch: Map<string, Waiter[]>, resultOf: (key: string) => KeyResult | undefined): void {
    batch.forEach((waiters, key) => {
      const result =
        resultOf(key) ||
        ({
          ok: false,
          error: new ConnectorError('transient', 'the batch reported no outcome for this customer', {
            destination,
          }),
        } as KeyResult);
      inFlight.delete(key);
      queued -= waiters.length;
      for (const waiter of waiters) {
        if (result.ok) waiter.resolve({ ok: true, destination, wrote: result.wrote });
        else if (isPermanentKind(result.error.kind))
          waiter.resolve({ ok: false, destination, error: result.error });
        else waiter.reject(result.error);
      }
      // Events of this customer that arrived during the batch go next.
      if (pending.has(key)) ready.push(key);
    });
    running--;
    // Customers still ready have waited at least one batch already: no further gathering wait.
    if (ready.length > 0) flushSoon();
    if (queued === 0 && running === 0) {
      const waiting = idleWaiters;
      idleWaiters = [];
      for (const w of waiting) w();
    }
  }

  return {
    enqueue,
    idle: () =>
      queued === 0 && running === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
  };
}

export function asConnectorError(error: unknown, destination: string): ConnectorError {
  return classifyUnexpected(error, destination);
}
