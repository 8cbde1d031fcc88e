/**
 * Where the platform's hook calls land. The native `async function` hooks (appended to the bundle
 * by the build, or their plain TS twins in Node) hand their arguments, and the native promise's
 * resolve/reject, to `dispatchHook`; it runs the connector's work and settles that promise. It
 * never throws: a missing target or a synchronous throw becomes a rejection.
 */

export interface HookTarget {
  installed(...args: unknown[]): PromiseLike<void>;
  uninstalled(...args: unknown[]): PromiseLike<void>;
}

export type HookKind = 'installed' | 'uninstalled';

let target: HookTarget | null = null;

export function setHookTarget(next: HookTarget): void {
  target = next;
}

export function dispatchHook(
  kind: HookKind,
  args: unknown[],
  resolve: (value?: undefined) => void,
  reject: (reason: unknown) => void,
): void {
  try {
    if (!target) throw new Error('The connector registered no hook target (setHookTarget was not called)');
    const work = kind === 'installed' ? target.installed(...args) : target.uninstalled(...args);
    work.then(
      () => resolve(undefined),
      (reason) => reject(reason),
    );
  } catch (error) {
    reject(error);
  }
}
