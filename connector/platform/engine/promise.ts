/**
 * The Promise every part of the bundle uses (the build rewrites free `Promise` references to it).
 * It is promise-polyfill (Promises/A+), kept local, never installed globally: the host still sees
 * its own Promise. Its reactions run on our FIFO job queue, not on the engine's promise tasks.
 */
import PromisePolyfill from 'promise-polyfill';
import { enqueueJob } from './job-queue';

interface Tunable {
  _immediateFn: (fn: () => void) => void;
  _unhandledRejectionFn: (reason: unknown) => void;
}

const tunable = PromisePolyfill as unknown as Tunable;
tunable._immediateFn = enqueueJob;
// Its default prints the rejection reason through console.warn, which may carry a secret-bearing
// request; the connector reports its own failures through the structured logger instead.
tunable._unhandledRejectionFn = () => undefined;

export const EnginePromise: PromiseConstructor = PromisePolyfill as unknown as PromiseConstructor;
