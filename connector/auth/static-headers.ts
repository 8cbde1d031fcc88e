/**
 * What apiKey, bearer and basic share: a header built once from secrets, then reused. Each scheme
 * has its own module (api-key.ts, bearer.ts, basic.ts), so a tenant's script carries only the
 * schemes its destinations use (the build stubs the others, cli/commands/build.ts).
 */
import type { AuthProvider } from './types';

export type BuildHeaders = () => Promise<Record<string, string>>;

function cachedHeaders(build: BuildHeaders): () => Promise<Record<string, string>> {
  let cached: Record<string, string> | null = null;
  async function headers(): Promise<Record<string, string>> {
    if (cached === null) {
      const built = await build();
      cached = built;
    }
    return Object.assign({}, cached);
  }
  return headers;
}

export function staticHeadersProvider(identity: string, build: BuildHeaders): AuthProvider {
  return { identity, headers: cachedHeaders(build), invalidate: function invalidate() {}, canRefresh: false };
}
