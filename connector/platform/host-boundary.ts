/**
 * The functions handed to `context.register('runtime.wallet.passUpdater', hostHooks)`.
 *
 * Each hook returns the host's own Promise wrapping the connector's work, so the host sees a
 * rejection as a failure and never a foreign thenable. This file is what Node and Jest run; the
 * upload bundle swaps it for engine/host-boundary.bundle.ts, whose hooks are native
 * `async function` declarations appended by the build (cli/build/boundary-tail.ts), the only
 * syntax NiL.JS reliably awaits.
 */
import { dispatchHook, setHookTarget as setTarget, type HookKind, type HookTarget } from './engine/index';

export type HostHook = (
  passId: unknown,
  passType: unknown,
  identifiers: unknown,
  device: unknown,
  additionalInformation: unknown,
) => Promise<void>;

function hookFor(kind: HookKind): HostHook {
  return (passId, passType, identifiers, device, additionalInformation) =>
    new Promise<void>((resolve, reject) =>
      dispatchHook(kind, [passId, passType, identifiers, device, additionalInformation], resolve, reject),
    );
}

export const hostHooks: { OnPassInstalled: HostHook; OnPassUninstalled: HostHook } = {
  OnPassInstalled: hookFor('installed'),
  OnPassUninstalled: hookFor('uninstalled'),
};

/** Points both hooks at the connector's pipeline; call it once, before `context.register`. */
export function setHookTarget(target: HookTarget): void {
  setTarget(target);
}
