/**
 * The hooks NiL.JS calls, appended to the bundle after lowering so they stay native: `async
 * function` declarations (the one async form the engine parses and runs reliably), each awaiting,
 * as a whole statement, a native Promise that the connector's work settles through the prelude's
 * `dispatchHook`. engine/host-boundary.bundle.ts refers to them by these names.
 */
import { ENGINE_VAR } from './engine-api';

const HOOKS = [
  ['__twc_OnPassInstalled', 'installed'],
  ['__twc_OnPassUninstalled', 'uninstalled'],
] as const;

const PARAMS = 'passId, passType, identifiers, device, additionalInformation';

export function boundaryTailSource(): string {
  return HOOKS.map(
    ([fn, kind]) =>
      `async function ${fn}(${PARAMS}) {\n` +
      `  await new Promise(function (resolve, reject) {\n` +
      `    ${ENGINE_VAR}.dispatchHook(${JSON.stringify(kind)}, [${PARAMS}], resolve, reject);\n` +
      `  });\n` +
      `}\n`,
  ).join('');
}
