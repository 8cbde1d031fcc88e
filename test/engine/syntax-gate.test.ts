import { assertEngineSyntax, checkEngineSyntax } from '../../cli/build/syntax-gate';

/** One sample of every construct the reference says NiL.JS does not parse (and a few ES2015+ more). */
const REFUSED: Array<[string, string]> = [
  ['object spread', 'var o = { ...p };'],
  ['object rest', 'var { a, ...rest } = o;'],
  ['destructuring default', 'var { a = 1 } = o;'],
  ['destructuring parameter with default', 'function f({ a } = {}) { return a; }'],
  ['default parameter', 'function f(a = 1) { return a; }'],
  ['optional chaining', 'var x = a?.b;'],
  ['optional chaining', 'var x = a?.();'],
  ['logical assignment ??=', 'a ??= 1;'],
  ['logical assignment ||=', 'a ||= 1;'],
  ['class field', 'var C = class { x = 1; };'],
  ['#private', 'var C = class { #x; };'],
  ['class', 'class A {}'],
  ['super.method() call', 'var o = { __proto__: p, m() { return super.m(); } };'],
  ['async arrow function', 'var f = async () => { await g(); };'],
  ['async function expression', 'var f = async function () { await g(); };'],
  ['async method', 'var o = { async m() { await g(); } };'],
  ['export async function', 'export async function f() { await g(); }'],
  ['export default async function', 'export default async function f() { await g(); }'],
  ['for await', 'async function f() { for await (var x of y) { h(x); } }'],
  ['destructuring in for...of head', 'for (const [k, v] of m) { h(k, v); }'],
  ['for...of', 'for (var x of y) { h(x); }'],
  ['regex s flag', 'var r = /a.b/s;'],
  ['regex named group', 'var r = /(?<year>\\d{4})/;'],
  ['numeric separator', 'var n = 1_000;'],
  ['catch without binding', 'try { f(); } catch { g(); }'],
  ['let declaration', 'let x = 1;'],
  ['const declaration', 'const x = 1;'],
  ['let in a for loop', 'for (let i = 0; i < 3; i++) { h(i); }'],
  ['tagged template', 'var s = t`a`;'],
  ['generator function', 'function* g() { yield 1; }'],
  ['nullish coalescing ??', 'var x = a ?? b;'],
  ['exponent operator **', 'var x = a ** 2;'],
  ['spread argument', 'f(...args);'],
  ['array spread', 'var a = [...b];'],
  ['computed property key', 'var o = { [k]: 1 };'],
  ['computed property key', 'var o = { [k]() {} };'],
  // Kept ES2015 forms, refused where the engine fails them (README, "Running on the engine"):
  ['method named by a literal', "var o = { 'a-b'() { return 1; } };"],
  ['method named by a literal', 'var o = { 2() { return 1; } };'],
  ['arrow function', 'var f = () => 1;'],
  ['arrow function', 'var r = (c = g(() => 1, 2));'],
  ['default parameter', 'var o = { m(a = 1) { return a; } };'],
  ['generator method', 'var o = { *m() { yield 1; } };'],
  ['BigInt literal', 'var n = 10n;'],
  ['await inside an expression', 'async function f() { return { j: await g() }; }'],
  [
    'nested async function declaration',
    'function outer() { async function inner() { await g(); } return inner; }',
  ],
  ['import with renaming (as)', "import { getSecret as s } from 'neo/secrets';"],
  ['export with renaming (as)', 'function f() {} export { f as g };'],
  ['dynamic import()', "var p = import('x');"],
  ['eval', 'eval("1");'],
  ['new Function', 'var f = new Function("return this");'],
  ['Function constructor', 'var g = Function("return this")();'],
  ['destructuring assignment', '[a, b] = [b, a];'],
  ['binary/octal literal', 'var n = 0b101;'],
];

describe('syntax gate: refuses what NiL.JS does not parse', () => {
  test.each(REFUSED)('%s', (construct, code) => {
    const found = checkEngineSyntax(code);
    expect(found.map((v) => v.construct)).toContain(construct);
  });

  test('names the construct with line:column, and the build-time assertion lists them all', () => {
    const code = 'var a = 1;\nvar b = { ...a };\nvar c = x?.y;\n';
    expect(checkEngineSyntax(code)).toEqual([
      { construct: 'object spread', line: 2, column: 11 },
      { construct: 'optional chaining', line: 3, column: 9 },
    ]);
    expect(() => assertEngineSyntax(code, 'probe.js')).toThrow(
      /object spread at probe\.js:2:11\n {2}optional chaining at probe\.js:3:9/,
    );
  });

  test('reports text that does not parse at all', () => {
    expect(checkEngineSyntax('var = ;')[0]?.construct).toMatch(/^unparsable/);
  });
});

describe('syntax gate: accepts the forms the bundle is made of', () => {
  const ACCEPTED: Array<[string, string]> = [
    [
      'ES5 statements and expressions',
      'var o = { a: 1, "b": [1, 2], get c() { return 3; } }; for (var k in o) { if (k) { continue; } } try { f(); } catch (e) { g(e); } finally { h(); }',
    ],
    [
      'functions, new, this, typeof, regex y/u flags, lookbehind',
      'function F(a, b) { this.a = typeof a === "string" ? new RegExp(a) : /(?<=x)y/u; } var r = /a/gimy;',
    ],
    ['named imports from neo/*', "import { getSecret } from 'neo/secrets';"],
    [
      'export default function and export { name }',
      'export default function register(context) { return context; } function x() {} export { x };',
    ],
    [
      'top-level async function with await as statement and as const x = await y',
      'async function hook(a) { await g(a); const j = await h(); var k = await h(); return j + k; }',
    ],
    ['template literals, nested', 'var s = `a${b}\n${`c${d}`}` + `plain`;'],
    [
      'shorthand properties and methods named by identifiers, even keywords',
      'var o = { a, b: 1, m(x) { return this.a + x + arguments.length; }, default() {}, get g() { return 1; } };',
    ],
  ];
  test.each(ACCEPTED)('%s', (_name, code) => {
    expect(checkEngineSyntax(code)).toEqual([]);
  });
});
