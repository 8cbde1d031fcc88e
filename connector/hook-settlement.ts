/**
 * How one platform hook call ended, as the hook driver listens for it (platform/host-boundary.ts,
 * platform/engine/hook-driver.ts: `callHookTarget(...).then(onDone, onFailed)`).
 *
 * It replaces `connector.handle(...).then(done)`, a promise chain per call (the connector's promise,
 * its resolve/reject pair and the `then`'s promise and handler) that lived as long as the call
 * waited in a queue. This object is all that waits: the connector tells it (OutcomeSink), and it
 * tells the listeners in a later job of the bundle's Promise, as that promise chain did.
 *
 * Its `then` only LISTENS: it returns the settlement itself (fulfilled with nothing, as the
 * platform's hooks are), not a promise of the callback's result. Both hook drivers ignore what
 * `then` returns, and a native `await` does too.
 */
import type { OutcomeSink } from './routed-call';

type Fulfilled = ((value: void) => unknown) | null | undefined;
type Rejected = ((reason: unknown) => unknown) | null | undefined;

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

export class HookSettlement implements OutcomeSink, PromiseLike<void> {
  private state = PENDING;
  private error: unknown = undefined;
  /** The first listener, kept without an array (the hook driver is the only one). */
  private onFulfilled: Fulfilled = null;
  private onRejected: Rejected = null;
  private listening = false;
  private others: Array<[Fulfilled, Rejected]> | null = null;

  resolve(): void {
    this.settle(FULFILLED, undefined);
  }

  reject(error: unknown): void {
    this.settle(REJECTED, error);
  }

  then<A = void, B = never>(
    onFulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    if (this.state !== PENDING) this.tell(onFulfilled, onRejected);
    else if (!this.listening) {
      this.listening = true;
      this.onFulfilled = onFulfilled;
      this.onRejected = onRejected;
    } else (this.others || (this.others = [])).push([onFulfilled, onRejected]);
    return this as PromiseLike<unknown> as PromiseLike<A | B>;
  }

  private settle(state: number, error: unknown): void {
    if (this.state !== PENDING) return;
    this.state = state;
    this.error = error;
    if (!this.listening) return;
    this.tell(this.onFulfilled, this.onRejected);
    this.onFulfilled = null;
    this.onRejected = null;
    const others = this.others || [];
    this.others = null;
    for (const [onFulfilled, onRejected] of others) this.tell(onFulfilled, onRejected);
  }

  /** Calls one listener in a later job, the way a promise's reaction runs. */
  private tell(onFulfilled: Fulfilled, onRejected: Rejected): void {
    const fulfilled = this.state === FULFILLED;
    const error = this.error;
    Promise.resolve().then(() => {
      if (fulfilled) {
        if (onFulfilled) onFulfilled(undefined);
      } else if (onRejected) onRejected(error);
    });
  }
}
