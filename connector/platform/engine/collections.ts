/**
 * A small Set for engines whose own is wrong (NiL.JS's Set.has answers false after add on its 2021
 * build). The engine has no WeakMap or WeakSet either, but no bundle uses them (builtins.ts), so
 * none is carried. Insertion order is kept; primitives are found through a typed string key,
 * objects by identity in a list (the sets the bundle builds are small). Iterators are plain objects
 * over a snapshot; the iterator method is assigned as `proto[Symbol.iterator] = ...`, the form the
 * engine keeps (defineProperty would store the symbol as a string).
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
