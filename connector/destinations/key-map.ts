/**
 * A dictionary keyed by outside data (join keys, trace ids a CRM echoes). A plain object would
 * treat "__proto__" or "constructor" as its own machinery, so a customer with such an id would be
 * lost or written twice on every redelivery. Keys live on a prototype-less object, each behind a
 * prefix, so no engine's special property names can collide with them. Not a Map: the platform
 * engine's Map.prototype.forEach passes its arguments in the wrong order.
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

export function createKeyMap<T>(): KeyMap<T> {
  const store = Object.create(null) as Record<string, T>;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(store, PREFIX + key);
  return {
    get: (key) => (has(key) ? store[PREFIX + key] : undefined),
    set: (key, value) => {
      store[PREFIX + key] = value;
    },
    has,
    delete: (key) => {
      delete store[PREFIX + key];
    },
    keys: () => Object.keys(store).map((k) => k.slice(PREFIX.length)),
    size: () => Object.keys(store).length,
  };
}
