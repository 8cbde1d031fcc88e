/**
 * Probes for built-ins NiL.JS has but gets wrong (measured on its 2021 and newest builds);
 * builtins.ts installs a replacement only where one answers wrongly.
 */

type SetCtor = new () => { add(v: unknown): unknown; has(v: unknown): boolean };

/** NiL's Set.prototype.has answers false for strings and numbers after add. */
export function setIsBroken(SetImpl: unknown): boolean {
  if (typeof SetImpl !== 'function') return true;
  try {
    const s = new (SetImpl as SetCtor)();
    s.add('a');
    s.add(1);
    return !(s.has('a') && s.has(1) && !s.has('b'));
  } catch {
    return true;
  }
}

/** NiL's Math.log2 is inexact for exact powers of two. */
export function log2IsBroken(log2: unknown): boolean {
  if (typeof log2 !== 'function') return true;
  return log2(8) !== 3 || log2(1024) !== 10 || log2(1) !== 0;
}

/** Math.log2, exact on powers of two. */
export function exactLog2(value: number): number {
  const x = +value;
  const approx = Math.log(x) / Math.LN2;
  if (!(x > 0) || x === Infinity) return approx;
  const n = Math.round(approx);
  return Math.pow(2, n) === x ? n : approx;
}

/** NiL's 2021 build calls Map.prototype.forEach's callback with (key, value). */
export function mapForEachIsSwapped(MapImpl: unknown): boolean {
  try {
    const m = new (
      MapImpl as new () => { set(k: unknown, v: unknown): unknown; forEach(cb: (a: unknown) => void): void }
    )();
    m.set('key', 'value');
    let first: unknown;
    m.forEach((a) => {
      first = a;
    });
    return first === 'key';
  } catch {
    return false;
  }
}
