/**
 * Probes for built-ins NiL.JS has but gets wrong (measured on its 2021 and newest builds);
 * builtins.ts installs a replacement only where one answers wrongly.
 */

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
