/**
 * Entry of the bundle's prelude (built by cli/build as `var __twc_engine = ...`, evaluated before
 * any connector code). Import order is evaluation order: the built-ins first, then the API.
 */
import './builtins';

export * from './index';
export { installedBuiltins } from './builtins';
