/**
 * Where each name shared between modules is declared, for NiL.JS's parser (scope-split.ts says why
 * visible names cost parse time): in the smallest nest of wrappers around the modules that use it.
 *
 * The modules (groups) stay in order; wrappers nest runs of them. A name used by groups lo..hi is
 * declared in the innermost wrapper spanning lo..hi, so it is visible only to the functions of
 * those groups and their neighbours inside that wrapper. The nest is the one that minimises the
 * parser's work, sum over wrappers of (names declared there) x (functions inside): an interval
 * dynamic programme over binary splits; a split no name crosses adds no wrapper.
 */

export interface SharedName {
  name: string;
  /** First and last group using the name (lo < hi). */
  lo: number;
  hi: number;
}

/** A wrapper over groups from..to (inclusive), declaring `names`; children in order. */
export interface ScopeNode {
  from: number;
  to: number;
  names: string[];
  children: Array<ScopeNode | number>;
}

/**
 * The nest of wrappers over groups from..to (all wrapped, consecutive), for the names used only
 * inside that span. `fns[g]`: functions in group g. Returns the children of the span's level:
 * groups (numbers) and wrappers, in order.
 */
export function planSpan(
  from: number,
  to: number,
  fns: number[],
  names: SharedName[],
): Array<ScopeNode | number> {
  const n = to - from + 1;
  if (n <= 1) return n === 1 ? [from] : [];
  // count[x][y]: names with lo - from <= x and hi - from <= y (2D prefix sums).
  const count = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const s of names) {
    const row = count[s.lo - from] as number[];
    row[s.hi - from] = (row[s.hi - from] || 0) + 1;
  }
  for (let x = 0; x < n; x++)
    for (let y = 0; y < n; y++) {
      const row = count[x] as number[];
      const above = x > 0 ? (count[x - 1] as number[])[y] || 0 : 0;
      const left = y > 0 ? row[y - 1] || 0 : 0;
      const diag = x > 0 && y > 0 ? (count[x - 1] as number[])[y - 1] || 0 : 0;
      row[y] = (row[y] || 0) + above + left - diag;
    }
  const c = (x: number, y: number): number => (x < 0 || y < 0 ? 0 : (count[x] as number[])[y] || 0);
  // Names with lo in [i, k] and hi in [k + 1, j]: declared by the wrapper over i..j split at k.
  const crossing = (i: number, k: number, j: number): number => c(k, j) - c(i - 1, j) - c(k, k) + c(i - 1, k);
  const fnSum = [0];
  for (let g = 0; g < n; g++) fnSum.push((fnSum[g] as number) + (fns[from + g] || 0) + 1);
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(-1));
  for (let len = 2; len <= n; len++)
    for (let i = 0; i + len - 1 < n; i++) {
      const j = i + len - 1;
      const inside = (fnSum[j + 1] as number) - (fnSum[i] as number);
      let best = Infinity;
      let bestK = i;
      for (let k = i; k < j; k++) {
        const v =
          ((cost[i] as number[])[k] as number) +
          ((cost[k + 1] as number[])[j] as number) +
          crossing(i, k, j) * inside;
        if (v < best) {
          best = v;
          bestK = k;
        }
      }
      (cost[i] as number[])[j] = best;
      (split[i] as number[])[j] = bestK;
    }
  const byNode = new Map<string, string[]>();
  for (const s of names) {
    // The innermost node of the split tree holding lo..hi: walk down while one side holds both.
    let i = 0;
    let j = n - 1;
    for (;;) {
      const k = (split[i] as number[])[j] as number;
      if (s.hi - from <= k) j = k;
      else if (s.lo - from > k) i = k + 1;
      else break;
    }
    const key = `${i}:${j}`;
    byNode.set(key, [...(byNode.get(key) || []), s.name]);
  }
  const build = (i: number, j: number): Array<ScopeNode | number> => {
    if (i === j) return [from + i];
    const k = (split[i] as number[])[j] as number;
    const children = [...build(i, k), ...build(k + 1, j)];
    const declared = byNode.get(`${i}:${j}`);
    return declared ? [{ from: from + i, to: from + j, names: declared, children }] : children;
  };
  return build(0, n - 1);
}
