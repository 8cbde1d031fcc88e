/** The platform module that serves tenant secrets. `getSecret` rejects (or throws) when absent. */
declare module 'neo/secrets' {
  export function getSecret(name: string): Promise<string | null | undefined>;
}
