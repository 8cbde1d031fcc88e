/**
 * The hooks NiL.JS calls, appended to the bundle after lowering so they stay native: `async
 * function` declarations (the one async form both engine builds parse and run reliably). Each
 * drives its call (connector/platform/engine/hook-driver.ts): it awaits, as a whole statement,
 * only host promises (or a host timer where the engine honours it), hands each result back, and
 * returns or throws when the call has settled. engine/host-boundary.bundle.ts names them.
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
      `  var call = ${ENGINE_VAR}.startHook(${JSON.stringify(kind)}, [${PARAMS}]);\n` +
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
      `  call.finish();\n` +
      `  return true;\n` +
      `}\n`,
  ).join('');
}
