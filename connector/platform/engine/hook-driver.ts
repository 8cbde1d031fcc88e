/**
 * The bridge between the connector's own asynchrony and the promise a hook returns to the host.
 *
 * Measured on NiL.JS (README, "Running on the engine"): a hook written as an `async function`
 * declaration waits correctly only on promises the HOST created (its `fetch`, `neo/secrets`); on
 * the 2021 build a `new Promise` whose executor does not settle at once is fulfilled with
 * `undefined` (executors even run later, on another thread), and a bundled promise or other
 * thenable can never be awaited. So the hook DRIVES its call: it awaits, one at a time, the host
 * promises the connector's work is waiting for (`awaitHost` registers each), hands each result
 * back, and drains the job queue, until its call has settled. When the work waits only on a timer
 * (a batch window, throttling, a backoff), the driver awaits a host timer where the engine honours
 * that (measured once per instance), and otherwise rejects the call as transient at once: the
 * platform delivers it again, the work in progress still completes, and duplicates are harmless.
 * Where timer waits work, idle drivers share the waiting (idle-drivers.ts): one awaits the next due
 * time, each host promise has one driver, and the rest park until there is work for them.
 */
import { dispatchIdleDrivers, IdleWait, idleWaitsFulfilEarly, tickerCovers } from './idle-drivers';
import { runJobs } from './job-queue';
import { fireDueTimers, hostTimers, nextTimerDue } from './timers';

export interface HookTarget {
  installed(...args: unknown[]): PromiseLike<void>;
  uninstalled(...args: unknown[]): PromiseLike<void>;
}

export type HookKind = 'installed' | 'uninstalled';

/** Something a driver awaits: a host promise, or a host timer wrapped in a native promise. */
export interface HostWait {
  /** What is awaited, for diagnostics: start, timer, or host. */
  label: string;
  promise: PromiseLike<unknown>;
  deliver(ok: boolean, value: unknown): void;
  /** A host promise some driver already awaits (only counted where drivers park). */
  claimed?: boolean;
}

let target: HookTarget | null = null;
/** True in the upload bundle, where hook drivers deliver host results; false in Node, where native `then` does. */
let driven = false;

export function setHookTarget(next: HookTarget): void {
  target = next;
}

/** Runs the connector's work for one hook call; throws when no target was set. */
export function callHookTarget(kind: HookKind, args: unknown[]): PromiseLike<void> {
  if (!target) throw new Error('The connector registered no hook target (setHookTarget was not called)');
  // apply, not a spread: the ES5 lowering of a spread copies the array through an iterator helper.
  // eslint-disable-next-line prefer-spread
  return kind === 'installed' ? target.installed.apply(target, args) : target.uninstalled.apply(target, args);
}

export function useHookDrivers(): void {
  driven = true;
}

const hostWaits: HostWait[] = [];

function ignoreRejection(): void {}

/**
 * The connector's promise for a value the host will produce (a `fetch`, its body, a secret). In the
 * bundle it settles when a hook driver has awaited the host promise; in Node it follows it directly.
 */
export function awaitHost<T>(hostValue: T | PromiseLike<T>, PromiseImpl: PromiseConstructor): Promise<T> {
  const thenable = hostValue && typeof (hostValue as PromiseLike<T>).then === 'function';
  if (!thenable) return PromiseImpl.resolve(hostValue as T);
  if (!driven) return PromiseImpl.resolve(hostValue as PromiseLike<T>);
  // Marks a rejection as handled for hosts that report unhandled ones (Node): a driver may still
  // be awaiting another wait when this one fails. The handler is empty on purpose: it may run on
  // an engine thread beside the script, and code with no variables cannot race there.
  (hostValue as PromiseLike<T>).then(undefined, ignoreRejection);
  return new PromiseImpl<T>((resolve, reject) => {
    let settled = false;
    const wait: HostWait = {
      label: 'host',
      promise: hostValue as PromiseLike<T>,
      deliver(ok, value) {
        if (settled) return;
        settled = true;
        const at = hostWaits.indexOf(wait);
        if (at >= 0) hostWaits.splice(at, 1);
        if (ok) resolve(value as T);
        else reject(value);
      },
    };
    hostWaits.push(wait);
  });
}

/** How often one driver turn fires timers that are already due before it yields. */
const DUE_TIMER_TURNS = 64;

/** The first call's measuring wait: long enough to tell an early fulfilment (2021: ~0-3 ms) from a real one. */
const PROBE_MS = 20;

/** Whether awaiting a host timer really waits on this engine: null until measured. */
let timerWaitsWork: boolean | null = null;

/** Known to work (measured), or assumed in Node where no driver is involved; unknown counts as no. */
export function timerWaitsAreReliable(): boolean {
  return timerWaitsWork === true || (!driven && timerWaitsWork === null);
}

/** A native promise fulfilled by the host's timer after `ms`; measures whether the await really waited. */
function timerWait(ms: number): HostWait | null {
  const timers = hostTimers();
  if (!timers || timerWaitsWork === false) return null;
  const asked = Date.now();
  const promise = new Promise<void>((resolve) => {
    timers.setTimeout(() => {
      try {
        resolve(undefined);
      } catch {
        // The 2021 build throws on a resolve after its early fulfilment; that is measured below.
      }
    }, ms);
  });
  return {
    label: 'timer',
    promise,
    deliver() {
      // Resumed clearly before the timer could fire: this engine fulfils such promises early. Only
      // waits long enough to tell (10 ms and more) are judged, and one early one settles it.
      if (ms >= 10 && timerWaitsWork !== false) timerWaitsWork = Date.now() - asked >= ms / 2;
    },
  };
}

/** Idle drivers park (idle-drivers.ts) only where timer waits were measured to work. */
function parkingWorks(): boolean {
  if (timerWaitsWork === true && idleWaitsFulfilEarly()) timerWaitsWork = false;
  return timerWaitsWork === true;
}

/** The host promise this driver should await: one nobody awaits where drivers park, else the first. */
function hostWaitToAwait(): HostWait | null {
  if (!parkingWorks()) return hostWaits[0] ?? null;
  for (let i = 0; i < hostWaits.length; i++) {
    const wait = hostWaits[i] as HostWait;
    if (!wait.claimed) {
      wait.claimed = true;
      return wait;
    }
  }
  return null;
}

function unclaimedHostWaits(): number {
  let count = 0;
  for (let i = 0; i < hostWaits.length; i++) if (!(hostWaits[i] as HostWait).claimed) count++;
  return count;
}

/** Error of a call whose work waits on a timer this engine cannot wait for, or that stalled. */
export class HookWaitError extends Error {
  kind = 'transient';
}

/**
 * Where a call's driver is: measuring timer waits first, about to await its first wait, awaiting
 * it (the work starts when it resumes), or driving the work.
 */
const PROBE = 0;
const START = 1;
const STARTING = 2;
const RUNNING = 3;

/**
 * Every call's first wait: an already fulfilled native promise, one for all calls, so starting a
 * call makes no wait object, promise or closure of its own (a burst of calls holds them all until
 * their drivers first run). Made at the first call, in the script's own realm.
 */
let startWait: HostWait | null = null;

function firstWait(): HostWait {
  if (!startWait) startWait = { label: 'start', promise: Promise.resolve(undefined), deliver() {} };
  return startWait;
}

/** How the call's work ended (one field for what were two flags: thousands of calls may wait). */
const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;

export class HookCall {
  private stage: number;
  private outcome = PENDING;
  private error: unknown = undefined;
  /** Where this driver is parked, so its call settling wakes it. */
  idle: IdleWait | null = null;

  constructor(
    private readonly kind: HookKind,
    private args: unknown[] | null,
  ) {
    // The first call of an instance first measures whether timer waits work (one 20 ms wait), so the
    // batcher knows before it opens a batch window.
    this.stage = timerWaitsWork === null && hostTimers() !== null ? PROBE : START;
  }

  private start(): void {
    try {
      const args = this.args || [];
      // The arguments are the work's from here on; the driver need not keep them while it waits.
      this.args = null;
      const pending: PromiseLike<void> & { listen?: (listener: HookCall) => void } = callHookTarget(
        this.kind,
        args,
      );
      // The connector's settlement takes the call itself as its listener: no closures per call.
      if (typeof pending.listen === 'function') pending.listen(this);
      else {
        pending.then(
          () => this.settle(false, undefined),
          (reason) => this.settle(true, reason),
        );
      }
    } catch (error) {
      this.settle(true, error);
    }
  }

  /** Told by the connector's settlement (call-settlement.ts) how the work ended. */
  settled(failed: boolean, value: unknown): void {
    this.settle(failed, failed ? value : undefined);
  }

  private settle(failed: boolean, error: unknown): void {
    if (this.outcome !== PENDING) return;
    this.outcome = failed ? FAILED : SUCCEEDED;
    this.error = error;
    if (this.idle) this.idle.wake();
  }

  /**
   * Hands back what the driver awaited, runs the jobs it released, and says what to await next
   * (null: settled). Never throws: the driver must not (cli/build/boundary-tail.ts), so a failure
   * here settles the call as failed instead.
   */
  next(previous?: HostWait, ok?: boolean, value?: unknown): HostWait | null {
    let wait: HostWait | null = null;
    try {
      wait = this.step(previous, ok, value);
    } catch (error) {
      this.settle(true, error);
    }
    dispatchIdleDrivers(parkingWorks(), unclaimedHostWaits(), hostWaits.length, nextTimerDue());
    return wait;
  }

  /**
   * Parks (until woken because its call settled or a wait needs a driver) or, given `due`, ticks
   * (until `due`, the earliest virtual timer, or until its call settled): idle-drivers.ts.
   */
  private wakeable(due: number | null): HostWait | null {
    const timers = hostTimers();
    return timers ? new IdleWait(timers, due, this) : null;
  }

  private step(previous?: HostWait, ok?: boolean, value?: unknown): HostWait | null {
    if (previous) previous.deliver(ok === true, value);
    if (this.stage === PROBE) {
      // Measured before the work starts, so the batcher knows whether it may hold a window open.
      this.stage = START;
      const probe = timerWait(PROBE_MS);
      if (probe) return probe;
    }
    if (this.stage === START) {
      // The driver awaits once before any work, so the connector's work never runs inside the
      // host's own call of the hook.
      this.stage = STARTING;
      return firstWait();
    }
    if (this.stage === STARTING) {
      this.stage = RUNNING;
      this.start();
    }
    // Timers already due (zero-delay ones among them) fire in this turn, a bounded number of times:
    // a poller that re-arms itself while a host promise is pending yields to that promise instead.
    for (let turn = 0; turn < DUE_TIMER_TURNS; turn++) {
      fireDueTimers(Date.now());
      runJobs();
      if (this.outcome !== PENDING) return null;
      const host = hostWaitToAwait();
      if (host) return host;
      const next = nextTimerDue();
      if (next === null || next > Date.now()) break;
    }
    const due = nextTimerDue();
    // Where drivers park: the ticker awaits the earliest due time; the others park until woken.
    if (parkingWorks() && (due !== null || hostWaits.length > 0)) {
      const idle = this.wakeable(due === null || tickerCovers(due) ? null : due);
      if (idle) return idle;
    }
    const timer = due === null ? null : timerWait(Math.max(1, due - Date.now()));
    if (timer) return timer;
    runJobs();
    if (this.outcome !== PENDING) return null;
    const host = hostWaitToAwait();
    if (host) return host;
    this.settle(
      true,
      new HookWaitError(
        due === null
          ? 'the connector stalled with nothing to wait for: deliver again'
          : 'this engine cannot wait for a timer (throttling, backoff or a batch window): deliver again',
      ),
    );
    return null;
  }

  /** Ends the hook: returns when the work succeeded, throws its error when it failed. */
  finish(): void {
    if (this.outcome === FAILED) throw this.error;
  }
}

export function startHook(kind: HookKind, args: unknown[]): HookCall {
  return new HookCall(kind, args);
}
