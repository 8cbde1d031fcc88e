/**
 * The engine-like test context: loads a BUILT bundle in a node:vm context stripped to NiL.JS's
 * built-ins. The implementation lives in cli/build/load-bundle.ts because `replay` uses it too.
 */
export {
  loadBundle,
  moduleToScript,
  type LoadBundleOptions,
  type LoadedBundle,
  type BundleHook,
} from '../../cli/build/load-bundle';
export { MISSING_BUILTINS } from '../../cli/build/engine-floor';
