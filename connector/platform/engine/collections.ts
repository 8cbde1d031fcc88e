/**
 * Small Set / WeakSet / WeakMap for engines whose own are missing or wrong (NiL.JS's Set.has
 * answers false after add on its 2021 build; it has no WeakMap or WeakSet). Insertion order is
 * kept; primitives are found through a typed string key, objects by identity in a list (the sets
 * the bundle builds are small). Iterators are plain objects over a snapshot; the iterator method is
 * assigned as `proto[Symbol.iterator] = ...`, the form the engine keeps (defineProperty would store
 * the symbol as a string).
 */

function primitiveKey(value: unknown): string | null {
  const t = typeof value;
  if (value === null) return 'null';
  if (t === 'object' || t === 'function') return null;
  if (t === 'number' && value !== value) return 'number:NaN';
  return `${t}:${String(value)}`;
}

interface SimpleIterator<T> {
  next(): { value: T | undefined; done: boolean };
}

function iterate<T>(items: T[]): SimpleIterator<T> {
  let i = 0;
  const it = {
    next: () => (i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }),
  };
  if (typeof Symbol === 'function' && Symbol.iterator)
    (it as Record<symbol, unknown>)[Symbol.iterator] = () => it;
  return it;
}

export class LocalSet<T = unknown> {
  private items: T[] = [];
  private index: Record<string, boolean> = Object.create(null) as Record<string, boolean>;

  constructor(values?: Iterable<T> | T[] | null) {
    if (values) Array.from(values as T[]).forEach((v) => this.add(v));
  }

  get size(): number {
    return this.items.length;
  }

  add(value: T): this {
    if (this.has(value)) return this;
    const key = primitiveKey(value);
    if (key !== null) this.index[key] = true;
    this.items.push(value);
    return this;
  }

  has(value: T): boolean {
    const key = primitiveKey(value);
    return key !== null ? this.index[key] === true : this.items.indexOf(value) >= 0;
  }

  delete(value: T): boolean {
    if (!this.has(value)) return false;
    const key = primitiveKey(value);
    const at =
      key !== null ? this.items.findIndex((v) => primitiveKey(v) === key) : this.items.indexOf(value);
    this.items.splice(at, 1);
    // Rebuilt rather than `delete`d: the engine's property table breaks after deletions.
    this.index = Object.create(null) as Record<string, boolean>;
    for (const item of this.items) {
      const k = primitiveKey(item);
      if (k !== null) this.index[k] = true;
    }
    return true;
  }

  clear(): void {
    this.items = [];
    this.index = Object.create(null) as Record<string, boolean>;
  }

  forEach(fn: (value: T, key: T, set: this) => void, thisArg?: unknown): void {
    this.items.slice().forEach((v) => fn.call(thisArg, v, v, this));
  }

  values(): SimpleIterator<T> {
    return iterate(this.items.slice());
  }

  keys(): SimpleIterator<T> {
    return this.values();
  }

  entries(): SimpleIterator<[T, T]> {
    return iterate(this.items.map((v) => [v, v] as [T, T]));
  }
}

if (typeof Symbol === 'function' && Symbol.iterator) {
  (LocalSet.prototype as unknown as Record<symbol, unknown>)[Symbol.iterator] = LocalSet.prototype.values;
}

let nextWeakId = 0;

/**
 * Keyed by object identity: a hidden, non-enumerable string-named slot on the key holds the value
 * (so nothing is kept alive by the map); keys that cannot take a slot (frozen) fall back to a list.
 * A removed entry's slot holds a marker, never `delete`d (the engine's property table breaks).
 */
const GONE = { gone: true };

export class LocalWeakMap<K extends object = object, V = unknown> {
  private readonly slot = `__twc_weak_${++nextWeakId}`;
  private readonly frozenKeys: K[] = [];
  private readonly frozenValues: V[] = [];

  set(key: K, value: V): this {
    if (Object.prototype.hasOwnProperty.call(key, this.slot)) {
      (key as Record<string, unknown>)[this.slot] = value;
    } else if (Object.isExtensible(key)) {
      Object.defineProperty(key, this.slot, { value, writable: true, configurable: true, enumerable: false });
    } else {
      const at = this.frozenKeys.indexOf(key);
      if (at >= 0) this.frozenValues[at] = value;
      else {
        this.frozenKeys.push(key);
        this.frozenValues.push(value);
      }
    }
    return this;
  }

  get(key: K): V | undefined {
    if (key === null || typeof key !== 'object') return undefined;
    if (Object.prototype.hasOwnProperty.call(key, this.slot)) {
      const value = (key as Record<string, unknown>)[this.slot];
      return value === GONE ? undefined : (value as V);
    }
    const at = this.frozenKeys.indexOf(key);
    return at >= 0 ? this.frozenValues[at] : undefined;
  }

  has(key: K): boolean {
    if (key === null || typeof key !== 'object') return false;
    if (Object.prototype.hasOwnProperty.call(key, this.slot))
      return (key as Record<string, unknown>)[this.slot] !== GONE;
    return this.frozenKeys.indexOf(key) >= 0;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    if (Object.prototype.hasOwnProperty.call(key, this.slot))
      (key as Record<string, unknown>)[this.slot] = GONE;
    const at = this.frozenKeys.indexOf(key);
    if (at >= 0) {
      this.frozenKeys.splice(at, 1);
      this.frozenValues.splice(at, 1);
    }
    return true;
  }
}

export class LocalWeakSet<K extends object = object> {
  private readonly map = new LocalWeakMap<K, boolean>();

  add(key: K): this {
    this.map.set(key, true);
    return this;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }
}
