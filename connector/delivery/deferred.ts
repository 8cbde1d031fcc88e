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
