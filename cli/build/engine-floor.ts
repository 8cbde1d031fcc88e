/**
 * What NiL.JS lacks and gets wrong (shared/reference/runtime-niljs.md, "Built-ins"), as a script
 * that strips a fresh node:vm context down to that floor. Used by load-bundle.ts, so tests and
 * replay run the BUILT bundle on the engine's built-ins rather than V8's.
 */

/** Dotted paths deleted from the context (the reference's "missing" column). */
export const MISSING_BUILTINS = [
  'Object.entries',
  'Object.values',
  'Object.fromEntries',
  'Object.getOwnPropertyDescriptors',
  'Array.prototype.flat',
  'Array.prototype.flatMap',
  'Array.prototype.at',
  'String.prototype.trimStart',
  'String.prototype.replaceAll',
  'String.prototype.matchAll',
  'Number.isFinite',
  'Number.isInteger',
  'Number.parseFloat',
  'Number.EPSILON',
  'Math.trunc',
  'Promise.reject',
  'Promise.allSettled',
  'Promise.prototype.finally',
  'Error.captureStackTrace',
  'WeakMap',
  'WeakSet',
  'Reflect',
  'Proxy',
  'BigInt',
  'DataView',
  'Intl',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'queueMicrotask',
  'fetch',
  'Headers',
  'XMLHttpRequest',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'AbortController',
  'AbortSignal',
  'crypto',
  'btoa',
  'atob',
  'structuredClone',
  'performance',
  'process',
  'require',
  'global',
  'self',
  // Deleted after everything else: the script below reaches the others through it.
  'Object.setPrototypeOf',
  'globalThis',
] as const;

/**
 * `Symbol.asyncIterator` is missing on NiL too, but V8 defines it non-configurable: it cannot be
 * deleted, so the bundle's helpers must (and do) treat it as optional. Listed for the record.
 */
export const UNDELETABLE = ['Symbol.asyncIterator'] as const;

/**
 * Runs inside the context (sloppy script, `this` = its global). Installs the engine's faults,
 * then deletes the missing built-ins; it captures what it needs first.
 */
export function engineFloorScript(): string {
  const deletions = MISSING_BUILTINS.map((dotted) => {
    const parts = dotted.split('.');
    const last = parts.pop() as string;
    const owner = parts.length === 0 ? 'g' : `g.${parts.join('.')}`;
    return `  if (${owner}) { delete ${owner}[${JSON.stringify(last)}]; }`;
  }).join('\n');
  return `(function (g) {
  var NativeSet = g.Set;
  var setProto = Object.setPrototypeOf;
  var nativeHas = NativeSet.prototype.has;
  // NiL's Set: has() answers false for strings and numbers after add().
  function Set(iterable) {
    var inner = new NativeSet(iterable);
    setProto(inner, Set.prototype);
    return inner;
  }
  Set.prototype = Object.create(NativeSet.prototype);
  Object.defineProperty(Set.prototype, 'constructor', { value: Set, writable: true, configurable: true });
  Set.prototype.has = function has(value) {
    if (typeof value === 'string' || typeof value === 'number') return false;
    return nativeHas.call(this, value);
  };
  g.Set = Set;
  // NiL's Math.log2 is inexact.
  var log = Math.log;
  Math.log2 = function log2(x) { return log(x) / Math.LN2 + 1e-9; };
${deletions}
})(this);
`;
}
