/**
 * Entry of the bundle's prelude (built by cli/build as `var __twc_engine = ...`, evaluated before
 * any connector code). Import order is evaluation order: probes, then polyfills, then the API.
 */
import './probes';
import './polyfills';

export * from './index';
export { forcedBuiltins } from './probes';
