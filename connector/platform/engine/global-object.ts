/**
 * The global object the bundled polyfills install into.
 *
 * NiL.JS has no `globalThis`, and an ES module cannot reach the global object through `this`; the
 * usual last resort (`Function('return this')()`) is forbidden in the bundle. So when no global
 * object is reachable we build a stand-in holding the built-ins by name. builtins.ts installs what is
 * missing onto it, and the build rewrites the bundle's free references to `Set`, `WeakMap` and
 * `WeakSet` to read from it (though no bundle may call them now: builtins.ts).
 */

type GlobalBag = Record<string, unknown>;

function findRealGlobal(): GlobalBag | undefined {
  // `typeof` on an undeclared name is safe on every engine; each name is tried in turn.
  if (typeof globalThis === 'object' && globalThis && globalThis.Math === Math) return globalThis as never;
  if (typeof self === 'object' && self && self.Math === Math) return self as never;
  if (typeof global === 'object' && global && global.Math === Math) return global as never;
  return undefined;
}

/** Every lookup is spelled out: there is no way to read a global by a computed name. */
function standIn(): GlobalBag {
  return {
    Object,
    Function,
    Array,
    String,
    Number,
    Boolean,
    Symbol: typeof Symbol !== 'undefined' ? Symbol : undefined,
    Math,
    JSON,
    Date,
    RegExp,
    Error,
    TypeError,
    RangeError,
    SyntaxError,
    ReferenceError,
    EvalError,
    URIError,
    Map: typeof Map !== 'undefined' ? Map : undefined,
    Set: typeof Set !== 'undefined' ? Set : undefined,
    WeakMap: typeof WeakMap !== 'undefined' ? WeakMap : undefined,
    WeakSet: typeof WeakSet !== 'undefined' ? WeakSet : undefined,
    Promise: typeof Promise !== 'undefined' ? Promise : undefined,
    Reflect: typeof Reflect !== 'undefined' ? Reflect : undefined,
    ArrayBuffer: typeof ArrayBuffer !== 'undefined' ? ArrayBuffer : undefined,
    DataView: typeof DataView !== 'undefined' ? DataView : undefined,
    Uint8Array: typeof Uint8Array !== 'undefined' ? Uint8Array : undefined,
    parseInt,
    parseFloat,
    isNaN,
    isFinite,
    encodeURIComponent,
    decodeURIComponent,
    encodeURI,
    decodeURI,
    console: typeof console !== 'undefined' ? console : undefined,
  };
}

export const engineGlobal: GlobalBag = findRealGlobal() || standIn();
