/**
 * How one hook call ended, for whoever listens: the platform's hook driver
 * (`callHookTarget(...).then(onDone, onFailed)` in platform/host-boundary.ts and
 * platform/engine/hook-driver.ts) or `Connector.handle`.
 *
 * It replaces a promise chain per call (the connector's promise, its resolve/reject pair, each
 * `then`'s promise and handler) that lived as long as the call waited in a queue. A routed call IS
 * its settlement (routed-call.ts), so a queued call keeps one object besides its event. Listeners
 * are told in a later job of the bundle's Promise, as a promise's reactions are.
 *
 * Its `then` only LISTENS: it returns the settlement itself, not a promise of the callback's
 * result. Both hook drivers and `handle` ignore what `then` returns, and a native `await` does too.
 */
import type { HookOutcome } from './routed-call';

type Fulfilled = ((outcome: HookOutcome) => unknown) | null | undefined;
type Rejected = ((reason: unknown) => unknown) | null | undefined;

/** A listener that is one object (a hook driver's call), so waiting keeps no closures per call. */
export interface SettlementListener {
  settled(failed: boolean, value: unknown): void;
}

/**
 * The fields of these per-call objects are `declare`d and assigned in their constructors: as
 * initializers or constructor parameters the build would define each one (a defineProperty call
 * per field and call, and more code in the script) before setting it.
 */

/** The two callbacks of a `then`, as one listener. */
class Reaction implements SettlementListener {
  declare private readonly onFulfilled: Fulfilled;
  declare private readonly onRejected: Rejected;

  constructor(onFulfilled: Fulfilled, onRejected: Rejected) {
    this.onFulfilled = onFulfilled;
    this.onRejected = onRejected;
  }

  settled(failed: boolean, value: unknown): void {
    if (!failed) {
      if (this.onFulfilled) this.onFulfilled(value as HookOutcome);
    } else if (this.onRejected) this.onRejected(value);
  }
}

/** No listener yet / listened (one listener or several) / settled either way. */
const PENDING = 0;
const LISTENED = 1;
const FULFILLED = 2;
const REJECTED = 3;

export class CallSettlement implements PromiseLike<HookOutcome> {
  declare private state: number;
  /** The outcome, or the error of a failed call. */
  declare private value: unknown;
  /** Until settled: the listener (the usual case, kept without an array), or several in order. */
  declare private listeners: SettlementListener | SettlementListener[] | null;

  constructor() {
    this.state = PENDING;
    this.value = undefined;
    this.listeners = null;
  }

  /** Settles with the call's outcome; later settlements are ignored. */
  fulfil(outcome: HookOutcome): void {
    this.settle(FULFILLED, outcome);
  }

  /** Settles with the error the platform must deliver the call again for. */
  fail(error: unknown): void {
    this.settle(REJECTED, error);
  }

  then<A = HookOutcome, B = never>(
    onFulfilled?: ((outcome: HookOutcome) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    this.listen(new Reaction(onFulfilled, onRejected));
    return this as PromiseLike<unknown> as PromiseLike<A | B>;
  }

  /** Like `then`, for a listener object: told `settled(failed, value)` in a later job. */
  listen(listener: SettlementListener): void {
    if (this.state === PENDING) {
      this.state = LISTENED;
      this.listeners = listener;
    } else if (this.state === LISTENED) {
      const listeners = this.listeners;
      if (Array.isArray(listeners)) listeners.push(listener);
      else this.listeners = [listeners as SettlementListener, listener];
    } else this.tell(listener);
  }

  private settle(state: number, value: unknown): void {
    if (this.state === FULFILLED || this.state === REJECTED) return;
    const listeners = this.listeners;
    this.listeners = null;
    this.state = state;
    this.value = value;
    if (Array.isArray(listeners))
      for (let i = 0; i < listeners.length; i++) this.tell(listeners[i] as SettlementListener);
    else if (listeners) this.tell(listeners);
  }

  /** Tells one listener in a later job, the way a promise's reaction runs. */
  private tell(listener: SettlementListener): void {
    const failed = this.state === REJECTED;
    const value = this.value;
    Promise.resolve().then(() => listener.settled(failed, value));
  }
}
