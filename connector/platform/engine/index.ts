/**
 * The engine layer's API. In Node it is imported as is; in the upload bundle it is evaluated once,
 * in the prelude (after the polyfills), as `__twc_engine`, and every import of this file from the
 * connector is served from that one instance (see cli/build/engine-api.ts, which lists these names).
 */
import { engineGlobal } from './global-object';
import { enqueueJob } from './job-queue';
import { EnginePromise } from './promise';
import {
  enginePerformance,
  hostTimers,
  shimClearInterval,
  shimClearTimeout,
  shimSetInterval,
  shimSetTimeout,
} from './timers';
import { dispatchHook, setHookTarget } from './hook-dispatch';

export {
  engineGlobal,
  enqueueJob,
  EnginePromise,
  enginePerformance,
  hostTimers,
  shimSetTimeout,
  shimClearTimeout,
  shimSetInterval,
  shimClearInterval,
  dispatchHook,
  setHookTarget,
};
export { NoTimersError } from './timers';
export type { HookTarget, HookKind } from './hook-dispatch';
