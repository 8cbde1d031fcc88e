// Local typings for the untyped module the engine layer imports.

declare module 'promise-polyfill' {
  const PromisePolyfill: PromiseConstructor;
  export default PromisePolyfill;
}
