/**
 * The syntax gate: parses the final bundle (acorn, sourceType module) and walks it against an
 * ALLOWLIST of what NiL.JS parses AND runs right on both builds (shared/reference/runtime-niljs.md,
 * README "Running on the engine"): ES5, plus `import { name } from '...'`, `export default
 * function`, `export { name }`, top-level `async function` declarations whose `await`s stand as a
 * whole statement or as `const x = await y`, and the ES2015 forms lower.ts keeps: untagged template
 * literals, shorthand properties, and shorthand methods named by an identifier. Anything else is
 * refused with its construct name and line:column.
 */
import * as acorn from 'acorn';

export interface Violation {
  construct: string;
  line: number;
  column: number;
}

type AnyNode = acorn.Node & Record<string, unknown>;

/** ES5 node types that need no further look (others are checked in `refusal`, or refused). */
const PLAIN = new Set([
  'Program',
  'Identifier',
  'ThisExpression',
  'ArrayExpression',
  'ObjectExpression',
  'UnaryExpression',
  'UpdateExpression',
  'ConditionalExpression',
  'SequenceExpression',
  'ExpressionStatement',
  'BlockStatement',
  'EmptyStatement',
  'DebuggerStatement',
  'ReturnStatement',
  'LabeledStatement',
  'BreakStatement',
  'ContinueStatement',
  'IfStatement',
  'SwitchStatement',
  'SwitchCase',
  'ThrowStatement',
  'TryStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ImportSpecifier',
  'ExportSpecifier',
  'ChainExpression', // its optional member or call is what gets reported
  'TemplateLiteral', // untagged; a TaggedTemplateExpression is refused
  'TemplateElement',
]);

/** Types refused outright, by name. */
const REFUSED: Record<string, string> = {
  ClassDeclaration: 'class',
  ClassExpression: 'class',
  PropertyDefinition: 'class field',
  PrivateIdentifier: '#private',
  StaticBlock: 'class static block',
  TaggedTemplateExpression: 'tagged template',
  ObjectPattern: 'destructuring',
  ArrayPattern: 'destructuring',
  YieldExpression: 'yield',
  ImportExpression: 'dynamic import()',
  ExportAllDeclaration: 'export * from',
  ImportDefaultSpecifier: 'default import',
  ImportNamespaceSpecifier: 'namespace import',
  WithStatement: 'with statement',
};

const ES5_ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '>>>=', '|=', '^=', '&=']);

function paramRefusal(param: AnyNode): string | undefined {
  if (param.type === 'Identifier') return undefined;
  if (param.type === 'AssignmentPattern') {
    const left = param.left as AnyNode;
    return left.type === 'Identifier' ? 'default parameter' : 'destructuring parameter with default';
  }
  if (param.type === 'RestElement') return 'rest parameter';
  return 'destructuring parameter';
}

function methodName(fn: AnyNode): string {
  return fn.async ? 'async method' : fn.generator ? 'generator method' : 'shorthand method';
}

function paramsRefusal(node: AnyNode): string | undefined {
  for (const p of node.params as AnyNode[]) {
    const r = paramRefusal(p);
    if (r) return r;
  }
  return undefined;
}

function functionRefusal(node: AnyNode, parent: AnyNode | undefined): string | undefined {
  // Reported once, by the parent: async/generator methods by their Property, exported ones by the export.
  if (parent && parent.type === 'Property' && parent.method) {
    return node.async || node.generator ? undefined : paramsRefusal(node);
  }
  if (parent && (parent.type === 'ExportNamedDeclaration' || parent.type === 'ExportDefaultDeclaration')) {
    if (node.async || node.generator) return undefined;
  }
  if (node.generator) return node.async ? 'async generator' : 'generator function';
  if (node.async) {
    if (node.type === 'FunctionExpression') return 'async function expression';
    if (!parent || parent.type !== 'Program') return 'nested async function declaration';
  }
  return paramsRefusal(node);
}

/** A method the engine parses: `name() {}`; `'a-b'() {}` and `2() {}` fail there ("Invalid function name"). */
function methodRefusal(node: AnyNode): string | undefined {
  const fn = node.value as AnyNode;
  if (fn.async || fn.generator) return methodName(fn);
  return (node.key as AnyNode).type === 'Identifier' ? undefined : 'method named by a literal';
}

function regexRefusal(node: AnyNode): string | undefined {
  const regex = node.regex as { pattern: string; flags: string };
  for (const flag of regex.flags) if ('gimyu'.indexOf(flag) < 0) return `regex ${flag} flag`;
  if (/\(\?<(?![=!])/.test(regex.pattern)) return 'regex named group';
  return undefined;
}

function literalRefusal(node: AnyNode): string | undefined {
  if (node.regex) return regexRefusal(node);
  if (node.bigint !== undefined) return 'BigInt literal';
  const raw = String(node.raw ?? '');
  if (typeof node.value === 'number') {
    if (raw.indexOf('_') >= 0) return 'numeric separator';
    if (/^0[bBoO]/.test(raw)) return 'binary/octal literal';
  }
  return undefined;
}

/** `await y;` or `const x = await y;` (one declarator) directly in an async function declaration. */
function awaitRefusal(
  node: AnyNode,
  parent: AnyNode | undefined,
  grand: AnyNode | undefined,
): string | undefined {
  if (parent && parent.type === 'ExpressionStatement' && parent.expression === node) return undefined;
  if (parent && parent.type === 'VariableDeclarator' && parent.init === node && grand) {
    const decls = grand.declarations as AnyNode[];
    if (decls.length === 1 && (grand.kind === 'const' || grand.kind === 'var')) return undefined;
  }
  return 'await inside an expression';
}

function isPlainAwaitDeclaration(node: AnyNode): boolean {
  const decls = node.declarations as AnyNode[];
  const first = decls[0];
  return (
    decls.length === 1 &&
    !!first &&
    (first.id as AnyNode).type === 'Identifier' &&
    !!first.init &&
    (first.init as AnyNode).type === 'AwaitExpression'
  );
}

function callRefusal(node: AnyNode): string | undefined {
  if (node.optional) return 'optional chaining';
  const callee = node.callee as AnyNode;
  if (callee.type === 'Super') return 'super() call';
  if (callee.type === 'MemberExpression' && (callee.object as AnyNode).type === 'Super')
    return 'super.method() call';
  if (callee.type === 'Identifier' && callee.name === 'eval') return 'eval';
  if (callee.type === 'Identifier' && callee.name === 'Function') {
    return node.type === 'NewExpression' ? 'new Function' : 'Function constructor';
  }
  for (const arg of node.arguments as AnyNode[]) if (arg.type === 'SpreadElement') return 'spread argument';
  return undefined;
}

function refusal(node: AnyNode, parent: AnyNode | undefined, grand: AnyNode | undefined): string | undefined {
  const type = node.type;
  if (PLAIN.has(type)) return undefined;
  if (REFUSED[type]) return REFUSED[type];
  switch (type) {
    case 'Literal':
      return literalRefusal(node);
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return functionRefusal(node, parent);
    case 'ArrowFunctionExpression':
      // Not kept by lower.ts: `(c = g(() => 1))` does not parse there ("Expected =>").
      return node.async ? 'async arrow function' : 'arrow function';
    case 'AwaitExpression':
      return awaitRefusal(node, parent, grand);
    case 'VariableDeclaration':
      if (node.kind === 'var') return undefined;
      if (node.kind === 'const' && isPlainAwaitDeclaration(node)) return undefined;
      return `${node.kind} declaration`;
    case 'VariableDeclarator':
      return (node.id as AnyNode).type === 'Identifier' ? undefined : 'destructuring';
    case 'Property':
      if (node.computed) return 'computed property key';
      if (node.method) return methodRefusal(node);
      return undefined; // plain, getter/setter, or shorthand `{ a }`
    case 'SpreadElement':
      return parent && parent.type === 'ObjectExpression' ? 'object spread' : 'array spread';
    case 'RestElement':
      return parent && parent.type === 'ObjectPattern' ? 'object rest' : 'rest element';
    case 'AssignmentPattern':
      return 'destructuring default';
    case 'AssignmentExpression':
      if (!ES5_ASSIGN.has(String(node.operator))) {
        return node.operator === '**='
          ? 'exponent assignment **='
          : `logical assignment ${String(node.operator)}`;
      }
      return (node.left as AnyNode).type === 'ObjectPattern' || (node.left as AnyNode).type === 'ArrayPattern'
        ? 'destructuring assignment'
        : undefined;
    case 'BinaryExpression':
      return node.operator === '**' ? 'exponent operator **' : undefined;
    case 'LogicalExpression':
      return node.operator === '??' ? 'nullish coalescing ??' : undefined;
    case 'MemberExpression':
      if (node.optional) return 'optional chaining';
      return (node.object as AnyNode).type === 'Super' ? 'super property' : undefined;
    case 'CallExpression':
    case 'NewExpression':
      return callRefusal(node);
    case 'Super':
      return undefined; // judged by its parent (super calls and super properties are refused there)
    case 'CatchClause':
      if (!node.param) return 'catch without binding';
      return (node.param as AnyNode).type === 'Identifier' ? undefined : 'destructuring in catch';
    case 'ForStatement':
    case 'ForInStatement': {
      const head = (type === 'ForStatement' ? node.init : node.left) as AnyNode | null;
      return head && head.type === 'VariableDeclaration' && head.kind !== 'var'
        ? `${head.kind} in a for loop`
        : undefined;
    }
    case 'ForOfStatement': {
      if (node.await) return 'for await';
      const left = node.left as AnyNode;
      const target =
        left.type === 'VariableDeclaration' ? ((left.declarations as AnyNode[])[0]?.id as AnyNode) : left;
      return target && target.type !== 'Identifier' ? 'destructuring in for...of head' : 'for...of';
    }
    case 'ImportDeclaration':
      for (const s of node.specifiers as AnyNode[]) {
        if (s.type === 'ImportSpecifier' && (s.imported as AnyNode).name !== (s.local as AnyNode).name)
          return 'import with renaming (as)';
      }
      return undefined;
    case 'ExportDefaultDeclaration': {
      const decl = node.declaration as AnyNode;
      if (decl.type !== 'FunctionDeclaration') return 'export default of an expression';
      return decl.async ? 'export default async function' : undefined;
    }
    case 'ExportNamedDeclaration': {
      const decl = node.declaration as AnyNode | null;
      if (decl)
        return decl.type === 'FunctionDeclaration' && decl.async
          ? 'export async function'
          : 'export of a declaration';
      if (node.source) return 'export ... from';
      for (const s of node.specifiers as AnyNode[]) {
        if ((s.exported as AnyNode).name !== (s.local as AnyNode).name) return 'export with renaming (as)';
      }
      return undefined;
    }
    default:
      return type;
  }
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'regex') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === 'object' && typeof item.type === 'string') out.push(item);
    } else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') {
      out.push(value as AnyNode);
    }
  }
  return out;
}

/** Every construct in `code` that NiL.JS does not parse (empty when the code passes). */
export function checkEngineSyntax(code: string, max = 50): Violation[] {
  let program: AnyNode;
  try {
    program = acorn.parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      locations: true,
    }) as unknown as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return [
      {
        construct: `unparsable: ${(error as Error).message}`,
        line: loc?.line ?? 0,
        column: (loc?.column ?? 0) + 1,
      },
    ];
  }
  const found: Violation[] = [];
  // Iterative walk: a bundle nests deep enough to worry a recursive one.
  const stack: Array<[AnyNode, AnyNode | undefined, AnyNode | undefined]> = [[program, undefined, undefined]];
  while (stack.length > 0 && found.length < max) {
    const [node, parent, grand] = stack.pop() as [AnyNode, AnyNode | undefined, AnyNode | undefined];
    const construct = refusal(node, parent, grand);
    if (construct) {
      const start = (node.loc as acorn.SourceLocation).start;
      found.push({ construct, line: start.line, column: start.column + 1 });
    }
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i -= 1) stack.push([kids[i] as AnyNode, node, parent]);
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

export class EngineSyntaxError extends Error {
  constructor(
    readonly violations: Violation[],
    sourceName: string,
  ) {
    super(
      `${sourceName} contains syntax NiL.JS does not parse:\n` +
        violations.map((v) => `  ${v.construct} at ${sourceName}:${v.line}:${v.column}`).join('\n'),
    );
    this.name = 'EngineSyntaxError';
  }
}

export function assertEngineSyntax(code: string, sourceName = 'bundle'): void {
  const violations = checkEngineSyntax(code);
  if (violations.length > 0) throw new EngineSyntaxError(violations, sourceName);
}
