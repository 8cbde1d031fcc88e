/** Route matching for the simulator: literal segments and `:name` params, nothing cleverer. */
import type { Route } from './types';

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'bad-encoding' }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

/** Params are URL-decoded; an empty segment never matches a param (so '/customers/' is no key). */
function matchPattern(pattern: string, path: string): Record<string, string> | null | 'bad-encoding' {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return 'bad-encoding';
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

export function findRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params === null) continue;
    if (params === 'bad-encoding') return { kind: 'bad-encoding' };
    if (route.method === '*' || route.method.toUpperCase() === method)
      return { kind: 'found', route, params };
    allowed.push(route.method.toUpperCase());
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}
