/**
 * A dictionary keyed by outside data (join keys, trace ids a CRM echoes). A plain object would
 * treat "__proto__" or "constructor" as its own machinery, so a customer with such an id would be
 * lost or written twice on every redelivery. Keys live on a prototype-less object, each behind a
 * prefix, so no engine's special property names can collide with them. Not a Map: the platform
 * engine's Map.prototype.forEach passes its arguments in the wrong order. Nothing is ever
 * `delete`d: NiL.JS's property table loops forever after deletions on an object of more than four
 * properties, so a removed key is blanked, and the store rebuilt when blanks pile up.
 */
export interface KeyMap<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  has(key: string): boolean;
  delete(key: string): void;
  /** In insertion order. */
  keys(): string[];
  size(): number;
}

const PREFIX = '#';

/** Marks a removed key; the store is rebuilt without them once they outnumber the live keys. */
const REMOVED = { removed: true };

export function createKeyMap<T>(): KeyMap<T> {
  let store = Object.create(null) as Record<string, T | typeof REMOVED>;
  let live = 0;
  let removed = 0;
  const has = (key: string): boolean =>
    Object.prototype.hasOwnProperty.call(store, PREFIX + key) && store[PREFIX + key] !== REMOVED;
  const liveKeys = (): string[] => Object.keys(store).filter((k) => store[k] !== REMOVED);
  return {
    get: (key) => (has(key) ? (store[PREFIX + key] as T) : undefined),
    set: (key, value) => {
      if (!has(key)) live += 1;
      store[PREFIX + key] = value;
    },
    has,
    delete: (key) => {
      if (!has(key)) return;
      store[PREFIX + key] = REMOVED;
      live -= 1;
      removed += 1;
      if (removed > 8 && removed > live) {
        const fresh = Object.create(null) as Record<string, T | typeof REMOVED>;
        for (const k of liveKeys()) fresh[k] = store[k] as T;
        store = fresh;
        removed = 0;
      }
    },
    keys: () => liveKeys().map((k) => k.slice(PREFIX.length)),
    size: () => live,
  };
}
