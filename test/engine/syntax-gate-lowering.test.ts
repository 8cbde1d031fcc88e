/**
 * lower.ts keeps template literals and shorthand forms, and lowers the case the engine gets wrong
 * among them; its output must pass the syntax gate and compute what the source did.
 */
import * as vm from 'node:vm';
import { lowerToEs5 } from '../../cli/build/lower';
import { checkEngineSyntax } from '../../cli/build/syntax-gate';

async function lowered(source: string): Promise<string> {
  return (await lowerToEs5(source, 'probe.js')).code;
}

/** Runs lowered code in a fresh context; the result comes back as JSON (no cross-realm arrays). */
function run(code: string): unknown {
  const sandbox: { out?: unknown } = {};
  vm.runInNewContext(`${code}\nout = JSON.stringify(out);`, sandbox);
  return JSON.parse(sandbox.out as string);
}

describe('lowering keeps the proven ES2015 forms and lowers their engine gap', () => {
  test('templates and shorthand forms stay as written, arrows are lowered', async () => {
    const code = await lowered(
      'var a = 1; var o = { a, m(x) { return [x].map((y) => `${y}:${this.a}`); } }; out = o.m(2);',
    );
    expect(code).not.toMatch(/=>/);
    expect(code).toMatch(/`\$\{y\}:\$\{_this\.a\}`/);
    expect(code).toMatch(/\{\s*a,\s*m\(x\)/);
    expect(checkEngineSyntax(code)).toEqual([]);
    expect(run(code)).toEqual(['2:1']);
  });

  test('a method named by a literal becomes a property holding a function', async () => {
    const code = await lowered(
      "var o = { 'a-b'() { return 1; }, 2() { return 2; } }; out = o['a-b']() + o[2]();",
    );
    expect(checkEngineSyntax(code)).toEqual([]);
    expect(run(code)).toBe(3);
  });

  test('spread, default parameters and let in loops are still lowered', async () => {
    const code = await lowered(
      'function g(a, b = a + 1) { return [a, b]; } var fs = []; for (let i = 0; i < 2; i++) fs.push(() => i); out = [...g(...[1]), ...fs.map((h) => h())];',
    );
    expect(checkEngineSyntax(code)).toEqual([]);
    expect(run(code)).toEqual([1, 2, 0, 1]);
  });
});
