/**
 * What the build puts in place of a module a tenant's configuration never uses (an auth scheme, a
 * template engine...: cli/commands/build.ts `unusedModuleStubs`), so its script does not carry it.
 * Reaching one means the script was built from another tenant file.
 */
export function notBuiltIn(what: string): never {
  throw new Error(
    `${what} is not built into this tenant's script: rebuild it from a tenant file that uses it`,
  );
}
