/**
 * How the upload bundle reaches the engine layer (connector/platform/engine). The prelude is
 * evaluated first as `var __twc_engine = ...`; the connector's imports of engine/index.ts are served
 * from that one instance, and the bundle's free references to host globals are rewritten to it.
 */

/** The fixed name of the prelude's result, a top-level `var` of the final module. */
export const ENGINE_VAR = '__twc_engine';

/** The fixed name of the host capture: the engine's raw globals, read once before the prelude. */
export const HOST_VAR = '__twc_host';

/** Names exported by connector/platform/engine/index.ts (a test keeps this list honest). */
export const ENGINE_API = [
  'engineGlobal',
  'enqueueJob',
  'runJobs',
  'EnginePromise',
  'enginePerformance',
  'hostTimers',
  'connectorTimers',
  'shimSetTimeout',
  'shimClearTimeout',
  'shimSetInterval',
  'shimClearInterval',
  'awaitHost',
  'callHookTarget',
  'setHookTarget',
  'startHook',
  'timerWaitsAreReliable',
  'useHookDrivers',
  'NoTimersError',
] as const;

/**
 * Host globals the prelude reads. They are captured by `typeof` once, so the prelude never throws
 * a ReferenceError on an engine that lacks them, and the prelude's free references read the capture.
 */
export const HOST_CAPTURED = [
  'globalThis',
  'global',
  'self',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'queueMicrotask',
  'performance',
] as const;

/** The capture statement placed before the prelude. Plain ES5, built from the list above. */
export function hostCaptureSource(): string {
  const fields = HOST_CAPTURED.map((name) => `${name}: typeof ${name} !== "undefined" ? ${name} : void 0`);
  return `var ${HOST_VAR} = { ${fields.join(', ')} };\n`;
}

/** Free references inside the prelude: the raw host values. */
export function preludeRenames(): Record<string, string> {
  const map: Record<string, string> = {};
  for (const name of HOST_CAPTURED) map[name] = `${HOST_VAR}.${name}`;
  return map;
}

/**
 * Free references inside the connector's part of the bundle (its code, axios, p-retry,
 * bottleneck, Babel's helpers): our Promise, our timers, our global object, and the constructors
 * the engine layer's built-ins may have installed on that object (builtins.ts). Each goes through
 * an alias of the engine's member (engineAliasesSource), not `__twc_engine.X` written out at every
 * use: the alias is no top-level name, so the minifier shortens it (`Promise` alone is read some
 * 70 times).
 */
export function mainRenames(): Record<string, string> {
  const a = (name: (typeof ALIASED)[number]): string => `${ALIAS_PREFIX}${name}`;
  return {
    Promise: a('EnginePromise'),
    globalThis: a('engineGlobal'),
    global: a('engineGlobal'),
    self: a('engineGlobal'),
    setTimeout: a('shimSetTimeout'),
    clearTimeout: a('shimClearTimeout'),
    setInterval: a('shimSetInterval'),
    clearInterval: a('shimClearInterval'),
    queueMicrotask: a('enqueueJob'),
    performance: a('enginePerformance'),
    Set: `${a('engineGlobal')}.Set`,
    WeakMap: `${a('engineGlobal')}.WeakMap`,
    WeakSet: `${a('engineGlobal')}.WeakSet`,
  };
}

const ALIAS_PREFIX = '__twc_e_';

/** The engine members mainRenames points at; each is a constant of the prelude (never reassigned). */
const ALIASED = [
  'EnginePromise',
  'engineGlobal',
  'shimSetTimeout',
  'shimClearTimeout',
  'shimSetInterval',
  'shimClearInterval',
  'enqueueJob',
  'enginePerformance',
] as const;

/**
 * The aliases' declaration, placed right after the prelude's statement: before it only Babel's
 * helpers and lowered async functions' wrappers stand, which read no alias until called.
 */
export function engineAliasesSource(): string {
  return `var ${ALIASED.map((name) => `${ALIAS_PREFIX}${name} = ${ENGINE_VAR}.${name}`).join(', ')};\n`;
}

/** Source of the module that stands for engine/index.ts inside the connector's bundle. */
export function engineApiModuleSource(): string {
  return ENGINE_API.map((name) => `export var ${name} = ${ENGINE_VAR}.${name};`).join('\n') + '\n';
}
