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
