/**
 * The hooks NiL.JS calls, appended to the bundle after lowering so they stay native. Each hook is a
 * plain `function` declaration that returns `drive(call).then(end)`:
 *
 * - `drive` is the one native `async function` declaration (the one async form both engine builds
 *   parse and run reliably). It drives the call (connector/platform/engine/hook-driver.ts): it
 *   awaits, as a whole statement, only host promises (or a host timer where the engine honours it),
 *   hands each result back, and returns the call object once the call has settled. It never throws:
 *   on the 2021 build (40de922e) an async function that throws after its second resume never
 *   settles its promise (measured: README, "Running on the engine"), so the host would see neither
 *   success nor failure.
 * - `end` runs in a native `then` on drive's promise: it returns `true` when the work succeeded and
 *   throws its error when it failed. A throw in a native `then` callback rejects the hook's promise
 *   on both builds (measured), which is how the platform learns a call failed.
 *
 * engine/host-boundary.bundle.ts names the hooks.
 */
import { ENGINE_VAR } from './engine-api';

const HOOKS = [
  ['__twc_OnPassInstalled', 'installed'],
  ['__twc_OnPassUninstalled', 'uninstalled'],
] as const;

const PARAMS = 'passId, passType, identifiers, device, additionalInformation';

/** The driver every hook shares: awaits whole statements only, returns the call, never throws. */
const DRIVE =
  `async function __twc_drive(call) {\n` +
  `  var wait = call.next();\n` +
  `  while (wait !== null) {\n` +
  `    var ok = true;\n` +
  `    var value = undefined;\n` +
  `    try {\n` +
  `      var got = await wait.promise;\n` +
  `      value = got;\n` +
  `    } catch (error) {\n` +
  `      ok = false;\n` +
  `      value = error;\n` +
  `    }\n` +
  `    wait = call.next(wait, ok, value);\n` +
  `  }\n` +
  `  return call;\n` +
  `}\n` +
  `function __twc_end(call) {\n` +
  `  call.finish();\n` +
  `  return true;\n` +
  `}\n`;

export function boundaryTailSource(): string {
  return (
    DRIVE +
    HOOKS.map(
      ([fn, kind]) =>
        `function ${fn}(${PARAMS}) {\n` +
        `  return __twc_drive(${ENGINE_VAR}.startHook(${JSON.stringify(kind)}, [${PARAMS}])).then(__twc_end);\n` +
        `}\n`,
    ).join('')
  );
}
