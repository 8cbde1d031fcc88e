/**
 * Probes for built-ins NiL.JS has but gets wrong. core-js only checks that a built-in exists (and
 * a few known bugs); these probes tell it, through its `isForced` switchboard, to install its own
 * version where ours answer wrongly (Math.log2 is replaced here directly). Must run before the
 * polyfill modules (see prelude.ts).
 */
import isForced from 'core-js/internals/is-forced';
import { engineGlobal } from './global-object';

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

/**
 * Math.log2, exact on powers of two. Ours rather than core-js's: its module reuses a native
 * `Math.log2` when one exists, even when forced, so it cannot replace a wrong one.
 */
export function exactLog2(value: number): number {
  const x = +value;
  const approx = Math.log(x) / Math.LN2;
  if (!(x > 0) || x === Infinity) return approx;
  const n = Math.round(approx);
  return Math.pow(2, n) === x ? n : approx;
}

export function forceBrokenBuiltins(): string[] {
  const forced: string[] = [];
  if (setIsBroken(engineGlobal.Set)) {
    forced.push('Set');
    isForced.data[isForced.normalize('Set')] = isForced.POLYFILL;
  }
  if (log2IsBroken(Math.log2)) {
    forced.push('Math.log2');
    Object.defineProperty(Math, 'log2', {
      value: exactLog2,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return forced;
}

export const forcedBuiltins = forceBrokenBuiltins();
