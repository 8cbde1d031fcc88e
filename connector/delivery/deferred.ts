/** A promise with its settle functions, for queues that settle calls later. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Promise.allSettled, which the platform's engine lacks. */
export function allSettled<T>(promises: readonly Promise<T>[]): Promise<Settled<T>[]> {
  return Promise.all(
    promises.map((p) =>
      p.then(
        (value): Settled<T> => ({ ok: true, value }),
        (error: unknown): Settled<T> => ({ ok: false, error }),
      ),
    ),
  );
}
