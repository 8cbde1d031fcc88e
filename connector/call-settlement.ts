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

/** A listener that is one object (a hook driver's call), so waiting keeps no closures per call. */
export interface SettlementListener {
  settled(failed: boolean, value: unknown): void;
}
type Rejected = ((reason: unknown) => unknown) | null | undefined;

/** No listener yet / one listener (the usual case, kept without an array) / settled either way. */
const PENDING = 0;
const LISTENED = 1;
const FULFILLED = 2;
const REJECTED = 3;

export class CallSettlement implements PromiseLike<HookOutcome> {
  private state = PENDING;
  /** The outcome, or the error of a failed call. */
  private value: unknown = undefined;
  private onFulfilled: Fulfilled = null;
  private onRejected: Rejected = null;
  private others: Array<[Fulfilled, Rejected]> | null = null;
  private listener: SettlementListener | null = null;

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
    if (this.state === PENDING) {
      this.state = LISTENED;
      this.onFulfilled = onFulfilled;
      this.onRejected = onRejected;
    } else if (this.state === LISTENED) (this.others || (this.others = [])).push([onFulfilled, onRejected]);
    else this.tell(onFulfilled, onRejected);
    return this as PromiseLike<unknown> as PromiseLike<A | B>;
  }

  /** Like `then`, for a listener object: told `settled(failed, value)` in a later job. */
  listen(listener: SettlementListener): void {
    if (this.state === PENDING) {
      this.state = LISTENED;
      this.listener = listener;
    } else {
      this.then(
        (outcome) => listener.settled(false, outcome),
        (reason) => listener.settled(true, reason),
      );
    }
  }

  private settle(state: number, value: unknown): void {
    if (this.state === FULFILLED || this.state === REJECTED) return;
    const listened = this.state === LISTENED;
    this.state = state;
    this.value = value;
    if (!listened) return;
    const listener = this.listener;
    if (listener) {
      this.listener = null;
      const failed = state === REJECTED;
      Promise.resolve().then(() => listener.settled(failed, value));
    } else this.tell(this.onFulfilled, this.onRejected);
    this.onFulfilled = null;
    this.onRejected = null;
    const others = this.others || [];
    this.others = null;
    for (const [onFulfilled, onRejected] of others) this.tell(onFulfilled, onRejected);
  }

  /** Calls one listener in a later job, the way a promise's reaction runs. */
  private tell(onFulfilled: Fulfilled, onRejected: Rejected): void {
    const fulfilled = this.state === FULFILLED;
    const value = this.value;
    Promise.resolve().then(() => {
      if (fulfilled) {
        if (onFulfilled) onFulfilled(value as HookOutcome);
      } else if (onRejected) onRejected(value);
    });
  }
}
