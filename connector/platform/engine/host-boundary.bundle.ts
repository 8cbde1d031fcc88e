/**
 * The upload bundle's stand-in for connector/platform/host-boundary.ts (swapped in by the build).
 * `__twc_OnPassInstalled` / `__twc_OnPassUninstalled` are the plain function declarations the build
 * appends after lowering (cli/build/boundary-tail.ts: each returns its native async driver's promise
 * chained with a native `then`); function declarations are hoisted
 * through the whole module, so this object can name them before they appear in the text.
 */
import type { HostHook } from '../host-boundary';
import { setHookTarget, useHookDrivers } from './index';

declare const __twc_OnPassInstalled: HostHook;
declare const __twc_OnPassUninstalled: HostHook;

// In the bundle, host promises are delivered by the hook drivers, never by native `then`.
useHookDrivers();

export const hostHooks: { OnPassInstalled: HostHook; OnPassUninstalled: HostHook } = {
  OnPassInstalled: __twc_OnPassInstalled,
  OnPassUninstalled: __twc_OnPassUninstalled,
};

export { setHookTarget };
