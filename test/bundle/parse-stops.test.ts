import * as vm from 'node:vm';
import * as esbuild from 'esbuild';
import { addParseStops, generatedPositions } from '../../cli/build/parse-stops';

/**
 * Minified script with what the stops go after: divisions (one without a closing `;`), regex
 * literals, one inside a template literal's substitution (no stop may go there) and a switch case.
 */
const SOURCE = [
  'var log = [];',
  'function half(x) { return x / 2; }',
  'function words(s) { var parts = s.split(/\\s+/); log.push(parts.length); return parts; }',
  'function label(n) { return `n=${n / 4} ${/^a/.test("ab")}`; }',
  'function kind(v) { switch (typeof v) { case "number": log.push(v / 8); break; default: log.push(/x/g.source); } }',
  'var ratio = 9; ratio /= 3;',
  'kind(16); kind("s");',
  'this.result = [half(5), words("a b  c"), label(8), ratio, log];',
].join('\n');

function run(code: string): unknown {
  const context = vm.createContext({});
  vm.runInContext(code, context);
  return (context as { result: unknown }).result;
}

function lineColumnText(code: string, [line, column]: [number, number]): string {
  return (code.split('\n')[line] as string).slice(column, column + 1);
}

describe('parse stops', () => {
  const minified = esbuild.transformSync(SOURCE, { minify: true, sourcemap: 'external', target: 'es2020' });
  const map = JSON.parse(minified.map) as { mappings: string };
  const stopped = addParseStops(minified.code, map);

  it('runs as the minified script does', () => {
    expect(run(stopped.code)).toEqual(run(minified.code));
    expect(run(SOURCE)).toEqual([2.5, ['a', 'b', 'c'], 'n=2 true', 3, [2, 'x', 3]]);
  });

  it('puts a stop at the top and after the statements holding a division or regex, but the last', () => {
    const stops = stopped.code.split('`\n/ /`').length - 1;
    expect(stopped.code.startsWith('`\n/ /`;')).toBe(true);
    // Sites: half, words, kind (two in one statement list entry each), ratio; label's are in a template.
    expect(stops).toBeGreaterThanOrEqual(4);
    expect(stopped.code).not.toMatch(/\$\{[^}]*\n\/ \//);
  });

  it('keeps every source map position on the same text', () => {
    const before = generatedPositions(map.mappings).map((p) => lineColumnText(minified.code, p));
    const after = generatedPositions(stopped.map.mappings).map((p) => lineColumnText(stopped.code, p));
    expect(after).toEqual(before);
    expect(before.length).toBeGreaterThan(20);
  });
});
