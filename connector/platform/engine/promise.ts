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
// Its default prints the whole rejection reason, which may carry a secret-bearing request. An
// unhandled rejection is a bug of ours, so it is still reported: one structured line with only the
// error's name and kind, never its message.
tunable._unhandledRejectionFn = (reason: unknown) => {
  const r = reason && typeof reason === 'object' ? (reason as { name?: unknown; kind?: unknown }) : {};
  const line = JSON.stringify({
    level: 'error',
    msg: 'unhandled rejection inside the connector',
    name: typeof r.name === 'string' ? r.name : typeof reason,
    kind: typeof r.kind === 'string' ? r.kind : null,
  });
  if (typeof console !== 'undefined' && typeof console.error === 'function') console.error(line);
};

export const EnginePromise: PromiseConstructor = PromisePolyfill as unknown as PromiseConstructor;
