/**
 * The engine layer's API. In Node it is imported as is; in the upload bundle it is evaluated once,
 * in the prelude (after the built-ins), as `__twc_engine`, and every import of this file from the
 * connector is served from that one instance (see cli/build/engine-api.ts, which lists these names).
 */
import { engineGlobal } from './global-object';
import { enqueueJob, runJobs } from './job-queue';
import { EnginePromise } from './promise';
import {
  connectorTimers,
  enginePerformance,
  hostTimers,
  shimClearInterval,
  shimClearTimeout,
  shimSetInterval,
  shimSetTimeout,
} from './timers';
import {
  awaitHost,
  callHookTarget,
  setHookTarget,
  startHook,
  timerWaitsAreReliable,
  useHookDrivers,
} from './hook-driver';

export {
  engineGlobal,
  enqueueJob,
  runJobs,
  EnginePromise,
  connectorTimers,
  enginePerformance,
  hostTimers,
  shimSetTimeout,
  shimClearTimeout,
  shimSetInterval,
  shimClearInterval,
  awaitHost,
  callHookTarget,
  setHookTarget,
  startHook,
  timerWaitsAreReliable,
  useHookDrivers,
};
export { NoTimersError } from './timers';
export type { HookTarget, HookKind } from './hook-driver';
