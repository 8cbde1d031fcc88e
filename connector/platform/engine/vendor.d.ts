// Local typings for the two untyped modules the engine layer imports.

declare module 'promise-polyfill' {
  const PromisePolyfill: PromiseConstructor;
  export default PromisePolyfill;
}

declare module 'core-js/internals/is-forced' {
  /** core-js's switchboard: `data[normalizedName] = 'P'` makes that module install its own version. */
  const isForced: { data: Record<string, string>; POLYFILL: string; normalize(name: string): string };
  export default isForced;
}
