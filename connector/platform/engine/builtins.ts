/**
 * The built-ins the bundle uses (ours, axios, p-retry, bottleneck, json-e, jsrsasign, Babel's
 * helpers) that NiL.JS lacks or gets wrong, measured on its 2021 and newest builds (README,
 * "Running on the engine"). Each is installed only where a probe finds it missing or wrong, with
 * plain string-keyed `Object.defineProperty` on a prototype: no Symbol-keyed property (the engine
 * stores the key as a string), no `fn.arguments` read, no `defineProperties` on a function (three
 * load faults that core-js's modules hit there). Promise is not here: the bundle carries its own
 * (promise.ts). What the engine lacks or gets wrong but no bundle calls is left out (`flat`, `at`,
 * `trimStart`, `replaceAll`, `Object.values`, `Math.trunc`, `Math.log2`, Set (whose `has` is wrong
 * on the 2021 build), WeakMap...): the build fails when a bundle starts calling one
 * (ENGINE_BUILTINS_LEFT_OUT, cli/build/esbuild-plugins.ts).
 * Babel's helpers reach `Object.setPrototypeOf` only behind a check, with `__proto__` otherwise.
 */
import { engineGlobal } from './global-object';
import { mapForEachIsSwapped } from './probes';

type AnyFn = (...args: never[]) => unknown;

/** Installs `value` as a non-enumerable own property where `target[name]` is missing (or `force`). */
function install(target: object, name: string, value: unknown, force = false): boolean {
  if (!force && typeof (target as Record<string, unknown>)[name] !== 'undefined') return false;
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  return true;
}

function toObject(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined)
    throw new TypeError('Cannot convert undefined or null to object');
  return Object(value) as Record<string, unknown>;
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** p-retry calls Object.hasOwn; axios's headers, Object.entries and getOwnPropertyDescriptors. */
function installObjectStatics(): string[] {
  const done: string[] = [];
  const O = Object as unknown as Record<string, unknown>;
  if (install(O, 'hasOwn', (o: unknown, key: string) => hasOwnProperty.call(toObject(o), key)))
    done.push('Object.hasOwn');
  if (install(O, 'entries', (o: unknown) => Object.keys(toObject(o)).map((k) => [k, toObject(o)[k]])))
    done.push('Object.entries');
  // Own names only (no Symbol keys, no `arguments`/`caller` of functions): what callers here use.
  if (
    install(O, 'getOwnPropertyDescriptors', (o: unknown) => {
      const target = toObject(o);
      const out: Record<string, PropertyDescriptor | undefined> = {};
      Object.getOwnPropertyNames(target).forEach((name) => {
        if (typeof target === 'function' && (name === 'arguments' || name === 'caller')) return;
        out[name] = Object.getOwnPropertyDescriptor(target, name);
      });
      return out;
    })
  )
    done.push('Object.getOwnPropertyDescriptors');
  return done;
}

/** p-retry calls Number.isFinite and isNaN; json-e, Number.isInteger. */
function installNumberStatics(): string[] {
  const done: string[] = [];
  const N = Number as unknown as Record<string, unknown>;
  const globalIsFinite = isFinite;
  const globalIsNaN = isNaN;
  if (install(N, 'isFinite', (v: unknown) => typeof v === 'number' && globalIsFinite(v)))
    done.push('Number.isFinite');
  if (install(N, 'isNaN', (v: unknown) => typeof v === 'number' && globalIsNaN(v))) done.push('Number.isNaN');
  if (
    install(N, 'isInteger', (v: unknown) => typeof v === 'number' && globalIsFinite(v) && Math.floor(v) === v)
  )
    done.push('Number.isInteger');
  return done;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Where the search for a double's last place may start: 2^-50 times x's leading power of two (at
 * most 1, at least the smallest double). Halving from 1 took 54 turns for a random number in
 * [0, 1), and bottleneck draws two such ids per job.
 */
function precisionSearchStart(x: number): number {
  if (!(x > 0)) return 5e-324;
  let lead = 1;
  if (x >= 1) {
    while (lead * 2 <= x) lead *= 2;
  } else {
    while (lead > x) lead /= 2;
  }
  return Math.min(1, Math.max(lead * 8.881784197001252e-16, 5e-324));
}

/** Number -> text in base 2..36, as the spec's Number.prototype.toString(radix) (lower case, fraction kept). */
export function toRadix(value: number, radix: number): string {
  return toRadixSearchingFrom(value, radix, precisionSearchStart);
}

/**
 * toRadix with the search for the last place starting at `searchStart(|value|)` (a power of two at
 * or above it): toRadix starts near the number's magnitude; starting at 1 is how it first searched,
 * which its test holds it to.
 */
export function toRadixSearchingFrom(
  value: number,
  radix: number,
  searchStart: (x: number) => number,
): string {
  if (value !== value) return 'NaN';
  if (value === Infinity || value === -Infinity) return value > 0 ? 'Infinity' : '-Infinity';
  const negative = value < 0;
  const x = Math.abs(value);
  let whole = Math.floor(x);
  let fraction = x - whole;
  let head = '';
  do {
    head = DIGITS.charAt(whole % radix) + head;
    whole = Math.floor(whole / radix);
  } while (whole > 0);
  // Digits stop where the double's own precision ends (half its last place), as the spec's do.
  let delta = searchStart(x);
  while (x + delta / 2 !== x && delta > 5e-324) delta /= 2;
  delta = Math.max(delta / 2, 5e-324);
  let tail = '';
  while (fraction >= delta && tail.length < 1100) {
    fraction *= radix;
    delta *= radix;
    const digit = Math.floor(fraction);
    tail += DIGITS.charAt(digit);
    fraction -= digit;
  }
  return (negative ? '-' : '') + head + (tail ? '.' + tail : '');
}

function installNumberToString(): string[] {
  const native = Number.prototype.toString;
  const right = (35).toString(36) === 'z' && (0.5).toString(2) === '0.1';
  if (right) return [];
  install(
    Number.prototype,
    'toString',
    function (this: number, radix?: number) {
      const r = radix === undefined ? 10 : Math.floor(Number(radix));
      if (r === 10) return native.call(this);
      if (!(r >= 2 && r <= 36)) throw new RangeError('toString() radix must be between 2 and 36');
      return toRadix(Number(this), r);
    },
    true,
  );
  // Bottleneck's job ids are Math.random().toString(36): the engine's upper-case, fraction-less
  // answer ("0") gave every job the same id.
  return ['Number.prototype.toString(radix) (wrong)'];
}

function installCollections(): string[] {
  const done: string[] = [];
  const bag = engineGlobal;
  const MapImpl = bag.Map as { prototype: { forEach: AnyFn } } | undefined;
  if (MapImpl && mapForEachIsSwapped(MapImpl)) {
    // The engine calls back with (key, value): swap them back, keeping its iteration order.
    const swapped = MapImpl.prototype.forEach;
    install(
      MapImpl.prototype,
      'forEach',
      function (this: unknown, fn: (value: unknown, key: unknown, map: unknown) => void, thisArg?: unknown) {
        swapped.call(
          this as never,
          ((key: unknown, value: unknown) => fn.call(thisArg, value, key, this)) as never,
        );
      },
      true,
    );
    done.push('Map.prototype.forEach (arguments swapped)');
  }
  return done;
}

/** What was installed, for the registration log line. Runs once, when the prelude is evaluated. */
export const installedBuiltins: string[] = installObjectStatics().concat(
  installNumberStatics(),
  installNumberToString(),
  installCollections(),
);
