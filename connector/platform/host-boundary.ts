/**
 * The functions handed to `context.register('runtime.wallet.passUpdater', hostHooks)`.
 *
 * This file is what Node and Jest run: each hook returns a native Promise of the connector's work.
 * The upload bundle swaps it for engine/host-boundary.bundle.ts, whose hooks are native
 * `async function` declarations appended by the build (cli/build/boundary-tail.ts) that drive
 * their call on the engine (engine/hook-driver.ts).
 */
import { callHookTarget, setHookTarget as setTarget, type HookKind, type HookTarget } from './engine/index';

export type HostHook = (
  passId: unknown,
  passType: unknown,
  identifiers: unknown,
  device: unknown,
  additionalInformation: unknown,
) => Promise<void>;

function hookFor(kind: HookKind): HostHook {
  return (passId, passType, identifiers, device, additionalInformation) =>
    new Promise<void>((resolve, reject) => {
      callHookTarget(kind, [passId, passType, identifiers, device, additionalInformation]).then(
        () => resolve(undefined),
        reject,
      );
    });
}

export const hostHooks: { OnPassInstalled: HostHook; OnPassUninstalled: HostHook } = {
  OnPassInstalled: hookFor('installed'),
  OnPassUninstalled: hookFor('uninstalled'),
};

/** Points both hooks at the connector's pipeline; call it once, before `context.register`. */
export function setHookTarget(next: HookTarget): void {
  setTarget(next);
}
