import * as acorn from 'acorn';

/**
 * What NiL.JS lacks and gets wrong (shared/reference/runtime-niljs.md, "Built-ins"), as a script
 * that strips a fresh node:vm context down to that floor. Used by load-bundle.ts, so tests and
 * replay run the BUILT bundle on the engine's built-ins rather than V8's.
 */

/** Dotted paths deleted from the context (the reference's "missing" column). */
export const MISSING_BUILTINS = [
  'Object.hasOwn',
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
 * Which measured build the stand-in imitates (README, "Running on the engine"). Both carry the
 * faults the two builds share; `nil-2021` adds the ones only the September 2021 build has.
 */
export type EngineProfile = 'nil-2021' | 'nil-newest';

/**
 * Runs inside the context (sloppy script, `this` = its global). Installs the engine's faults,
 * then deletes the missing built-ins; it captures what it needs first.
 *
 * Both builds: Object.defineProperty stores a Symbol key as a string; reading a function's
 * `arguments` or `caller` descriptor throws (a .NET NullReferenceException there);
 * Object.defineProperties on a function throws (NotImplementedException); Number's
 * toString(radix) answers in upper case and drops the fraction; Math.log2 is inexact.
 * 2021 only: Set.prototype.has answers false for strings and numbers; Map.prototype.forEach calls
 * back with (key, value); a Promise whose executor returns without settling is fulfilled with
 * undefined at once, and a later resolve or reject throws.
 */
export function engineFloorScript(profile: EngineProfile = 'nil-newest'): string {
  const deletions = MISSING_BUILTINS.map((dotted) => {
    const parts = dotted.split('.');
    const last = parts.pop() as string;
    const owner = parts.length === 0 ? 'g' : `g.${parts.join('.')}`;
    return `  if (${owner}) { delete ${owner}[${JSON.stringify(last)}]; }`;
  }).join('\n');
  return `(function (g, only2021) {
  var setProto = Object.setPrototypeOf;
  var defineProperty = Object.defineProperty;
  var defineProperties = Object.defineProperties;
  var getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  Object.defineProperty = function (o, key, d) {
    return defineProperty(o, typeof key === 'symbol' ? String(key) : key, d);
  };
  Object.defineProperties = function (o, props) {
    if (typeof o === 'function') throw new Error('NotImplementedException: defineProperties on a function (NiL.JS)');
    return defineProperties(o, props);
  };
  Object.getOwnPropertyDescriptor = function (o, key) {
    if (typeof o === 'function' && (key === 'arguments' || key === 'caller')) throw new Error('NullReferenceException: fn.arguments (NiL.JS)');
    return getOwnPropertyDescriptor(o, key);
  };
  var numberToString = Number.prototype.toString;
  Number.prototype.toString = function (radix) {
    if (radix === undefined || radix === 10) return numberToString.call(this);
    return numberToString.call(Math.floor(Math.abs(this)) * (this < 0 ? -1 : 1), radix).toUpperCase();
  };
  // NiL's Math.log2 is inexact.
  var log = Math.log;
  Math.log2 = function log2(x) { return log(x) / Math.LN2 + 1e-9; };
  if (only2021) {
    var NativeSet = g.Set;
    var nativeHas = NativeSet.prototype.has;
    var Set = function Set(iterable) {
      var inner = new NativeSet(iterable);
      setProto(inner, Set.prototype);
      return inner;
    };
    Set.prototype = Object.create(NativeSet.prototype);
    defineProperty(Set.prototype, 'constructor', { value: Set, writable: true, configurable: true });
    Set.prototype.has = function has(value) {
      if (typeof value === 'string' || typeof value === 'number') return false;
      return nativeHas.call(this, value);
    };
    g.Set = Set;
    var mapForEach = g.Map.prototype.forEach;
    g.Map.prototype.forEach = function (cb, thisArg) {
      mapForEach.call(this, function (value, key) { cb.call(thisArg, key, value); });
    };
    var NativePromise = g.Promise;
    var EarlyPromise = function Promise(executor) {
      var settle = null;
      var settled = false;
      var p = new NativePromise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
      function once(kind) {
        return function (v) {
          if (settled) throw new Error('InvalidOperationException: the promise was already fulfilled (NiL.JS 2021)');
          settled = true;
          settle[kind](v);
        };
      }
      try { executor(once('resolve'), once('reject')); } catch (e) { if (!settled) { settled = true; settle.reject(e); } }
      if (!settled) { settled = true; settle.resolve(undefined); }
      return p;
    };
    EarlyPromise.prototype = NativePromise.prototype;
    EarlyPromise.resolve = function (v) { return NativePromise.resolve(v); };
    EarlyPromise.all = function (v) { return NativePromise.all(v); };
    EarlyPromise.race = function (v) { return NativePromise.race(v); };
    g.Promise = EarlyPromise;
  }
${deletions}
})(this, ${profile === 'nil-2021' ? 'true' : 'false'});
`;
}

type AnyNode = acorn.Node & Record<string, unknown>;

/** Every AwaitExpression whose nearest enclosing function is `fn` (not those of nested functions). */
function ownAwaits(fn: AnyNode): AnyNode[] {
  const found: AnyNode[] = [];
  const visit = (node: unknown, top: boolean): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, false);
      return;
    }
    const n = node as AnyNode;
    if (typeof n.type !== 'string') return;
    if (!top && /Function/.test(n.type)) return;
    if (n.type === 'AwaitExpression') found.push(n);
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key], false);
  };
  visit(fn, true);
  return found;
}

/**
 * The 2021 build's lost rejections, for the stand-in (measured on 40de922e with 16 calls of each
 * form: an `async function` that throws after its SECOND resume from an `await` never settles its
 * promise; one that throws after its first resume rejects; on the newest build both reject). The
 * bundle's only native async functions are the boundary's (Babel lowers the rest), so rewriting
 * them models the fault: each `await x` counts itself, and a throw once two awaits have run makes
 * the function adopt a thenable that never calls back. Applied to the script form of the bundle.
 */
export function loseLateRejections(script: string): string {
  const program = acorn.parse(script, { ecmaVersion: 'latest', sourceType: 'script' });
  const edits: Array<{ at: number; text: string }> = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const n = node as AnyNode;
    if (typeof n.type !== 'string') return;
    if (/Function/.test(n.type) && n.async && (n.body as AnyNode).type === 'BlockStatement') {
      const body = n.body as AnyNode;
      edits.push({ at: body.start + 1, text: 'var __nilAwaits = 0; try {' });
      edits.push({
        at: body.end - 1,
        text: '} catch (__nilError) { if (__nilAwaits >= 2) return { then: function () {} }; throw __nilError; }',
      });
      for (const a of ownAwaits(n))
        edits.push({ at: (a.argument as AnyNode).start, text: '(__nilAwaits++, ' });
      for (const a of ownAwaits(n)) edits.push({ at: (a.argument as AnyNode).end, text: ')' });
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(program);
  let out = script;
  // From the end, so earlier positions stay valid; at one position, later-listed edits go first.
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const edit of ordered) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}
