import * as vm from 'node:vm';
import * as acorn from 'acorn';
import { splitScopes } from '../../cli/build/scope-split';
import { planSpan } from '../../cli/build/scope-tree';

/**
 * A scope-hoisted bundle in miniature, as the lowered main bundle looks: one `// path` comment
 * before each module's statements. It covers what the split must keep: a function declared in a
 * later module called by an earlier one at load (hoisting), a name shared across modules and
 * reassigned later, module-private names of the same spelling in two modules' closures, mixed
 * `var` declarations, and the entry the surrounding text reads.
 */
const BUNDLE = [
  'var log = [];',
  '// connector/a/first.ts',
  'var early = later(2);',
  'var counter = 0, privateA = "a";',
  'function bump() { counter += 1; return counter; }',
  'log.push("first " + early + " " + privateA);',
  '// connector/a/second.ts',
  'function later(x) { return x * 10; }',
  'var secret = "b";',
  'function readSecret() { return secret + counter; }',
  '// node_modules/pkg/one.js',
  'var onlyPkg = 5;',
  'function fromPkg() { return onlyPkg + bump(); }',
  '// node_modules/pkg/two.js',
  'var pkgValue = fromPkg();',
  'for (var i = 0; i < 2; i++) log.push("loop " + i);',
  '// connector/index.ts',
  'var __twc_entry = function () { bump(); return [readSecret(), pkgValue, typeof privateA, log.join("|")]; };',
].join('\n');

function topLevelNames(code: string): string[] {
  const program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const names: string[] = [];
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration') names.push(statement.id.name);
    if (statement.type === 'VariableDeclaration')
      for (const d of statement.declarations) if (d.id.type === 'Identifier') names.push(d.id.name);
  }
  return names;
}

function run(code: string): unknown {
  const context = vm.createContext({});
  vm.runInContext(`"use strict";\n${code}\nthis.result = __twc_entry();`, context);
  return (context as { result: unknown }).result;
}

describe('scope split', () => {
  it('runs as the unsplit bundle does, in the same order, with the same results', async () => {
    const split = await splitScopes({
      code: BUNDLE,
      map: null,
      moduleInterface: { imports: new Map(), hasDefault: true },
    });
    expect(run(split.code)).toEqual(run(BUNDLE));
    expect(run(BUNDLE)).toEqual(['b2', 6, 'string', 'first 20 a|loop 0|loop 1']);
  });

  it('keeps at the top only the names the surrounding text reads (the entry)', async () => {
    const split = await splitScopes({
      code: BUNDLE,
      map: null,
      moduleInterface: { imports: new Map(), hasDefault: true },
    });
    // Shared names live in wrappers around the modules using them, private ones in their module's.
    expect(new Set(topLevelNames(split.code))).toEqual(new Set(['__twc_entry', '__twc_scope']));
  });
});

describe('scope nest', () => {
  it('declares each shared name in the innermost wrapper around the groups using it', () => {
    // Groups 0..3; a and b are used by 0-1 and 2-3, c by all; group 3 holds most functions.
    const nest = planSpan(
      0,
      3,
      [1, 1, 1, 50],
      [
        { name: 'a', lo: 0, hi: 1 },
        { name: 'b', lo: 2, hi: 3 },
        { name: 'c', lo: 0, hi: 3 },
      ],
    );
    expect(nest).toEqual([
      {
        from: 0,
        to: 3,
        names: ['c'],
        children: [
          { from: 0, to: 1, names: ['a'], children: [0, 1] },
          { from: 2, to: 3, names: ['b'], children: [2, 3] },
        ],
      },
    ]);
  });

  it('adds no wrapper where no name crosses', () => {
    expect(planSpan(0, 2, [3, 3, 3], [{ name: 'a', lo: 1, hi: 2 }])).toEqual([
      0,
      { from: 1, to: 2, names: ['a'], children: [1, 2] },
    ]);
  });
});
