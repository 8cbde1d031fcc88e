/**
 * Probes for built-ins NiL.JS has but gets wrong. core-js only checks that a built-in exists (and
 * a few known bugs); these probes tell it, through its `isForced` switchboard, to install its own
 * version where ours answer wrongly. Must run before the polyfill modules (see prelude.ts).
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

export function forceBrokenBuiltins(): string[] {
  const forced: string[] = [];
  if (setIsBroken(engineGlobal.Set)) forced.push('Set');
  if (log2IsBroken(Math.log2)) forced.push('Math.log2');
  for (const name of forced) isForced.data[isForced.normalize(name)] = isForced.POLYFILL;
  return forced;
}

export const forcedBuiltins = forceBrokenBuiltins();
