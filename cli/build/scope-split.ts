/**
 * Splits the bundle's one top-level scope into function scopes, for NiL.JS's parser.
 *
 * Why: esbuild scope-hoists every ES module into ONE scope (hundreds of top-level names), and
 * NiL.JS, when it builds each function, copies the reference count of every variable visible
 * there (FunctionDefinition.Build): parse time grows with functions x visible names. Names
 * declared inside a function are visible only while building inside it (CodeBlock.Build adds
 * and removes them), so wrapping each source module's statements in `(function () { ... })()`
 * leaves its functions seeing only that module's names plus the few shared across modules.
 *
 * How, keeping behaviour: statements are grouped per source module (esbuild's `// path`
 * comments, kept by Babel), in order, so evaluation order is unchanged. A name used by one group
 * only is declared inside it; a name used across groups is declared once with `var` in the
 * innermost of the nested wrappers around the groups using it (scope-tree.ts), and assigned where
 * it was declared; a name the text put around the bundle reads (the engine, the entry) is declared
 * at the top. A function declaration used by an EARLIER group relies on hoisting, so those groups
 * are merged.
 * The input is ES5 strict code (lowered, a module), so only `var` and `function` declare, and
 * `this` at the top is undefined both outside and inside the wrapper.
 */
import * as babel from '@babel/core';
import type { NodePath, PluginObj, types as BabelTypes } from '@babel/core';
import type { Binding } from '@babel/traverse';
import { boundaryTailSource } from './boundary-tail';
import { ENGINE_VAR } from './engine-api';
import type { Relinked } from './lower';
import { ENTRY_VAR, defaultExportSource } from './module-interface';
import { planSpan, type ScopeNode, type SharedName } from './scope-tree';

/** esbuild's comment before each module's code in a non-minified bundle: `// node_modules/x/y.js`. */
const MODULE_COMMENT = /^ (?:(?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]sx?|twc:[\w-]+)$/;

/**
 * Each wrapper stands as `var __twc_scope = function () {...}();`: as bare `(function () {...})();`
 * statements the minifier joins them with commas, which NiL.JS refuses to parse (measured:
 * "Unexpected token" at the comma after the first call).
 */
const SCOPE_VAR = '__twc_scope';

/**
 * Names the text around the bundle reads or declares at its top (boundary-tail.ts,
 * module-interface.ts): its free variables and its own top-level declarations. Not every word of
 * it: a bundle name spelled like one of its locals or properties (`finish`, `value`, `startHook`)
 * would otherwise stay at the top, and its whole module unwrapped.
 */
export function namesReadAround(): Set<string> {
  const around = `${boundaryTailSource()}${defaultExportSource()}`;
  const ast = babel.parseSync(around, { babelrc: false, configFile: false, sourceType: 'module' });
  if (!ast) throw new Error('scope-split: the text around the bundle does not parse');
  const names = new Set([ENGINE_VAR, ENTRY_VAR]);
  babel.traverse(ast, {
    Program(program) {
      for (const name of Object.keys(program.scope.bindings)) names.add(name);
      for (const name of Object.keys((program.scope as unknown as { globals: object }).globals))
        names.add(name);
    },
  });
  return names;
}

function isModuleComment(c: BabelTypes.Comment): boolean {
  return c.type === 'CommentLine' && MODULE_COMMENT.test(c.value);
}

/** Babel keeps the comment before a statement as its leading or as the previous one's trailing comment. */
function startsModule(node: BabelTypes.Statement, previous: BabelTypes.Statement | undefined): boolean {
  return (
    (node.leadingComments || []).some(isModuleComment) ||
    (previous?.trailingComments || []).some(isModuleComment)
  );
}

/** Index of the top-level statement holding `path`. */
function topIndex(path: NodePath): number {
  let p: NodePath = path;
  while (p.parentPath && !p.parentPath.isProgram()) p = p.parentPath;
  return p.key as number;
}

interface Use {
  name: string;
  binding: Binding;
  /** Index of the top-level statement declaring the name (its first declaration). */
  declaredAt: number;
  /** Indexes of the top-level statements declaring, assigning or reading the name. */
  statements: number[];
  /** Indexes of the top-level statements reading the name outside any function (at load). */
  readAtLoad: number[];
}

function at(groups: number[], i: number): number {
  const group = groups[i];
  if (group === undefined) throw new Error(`scope-split: no statement ${i}`);
  return group;
}

function topLevelUses(program: NodePath<BabelTypes.Program>): Use[] {
  const uses: Use[] = [];
  for (const [name, binding] of Object.entries(program.scope.bindings)) {
    const paths = [binding.path, ...binding.referencePaths, ...binding.constantViolations];
    const runAtLoad = binding.referencePaths.filter((p) => !p.getFunctionParent());
    uses.push({
      name,
      binding,
      declaredAt: topIndex(binding.path),
      statements: paths.map(topIndex),
      readAtLoad: runAtLoad.map(topIndex),
    });
  }
  return uses;
}

/** True for a `var` statement declaring a name the surrounding text reads (the engine, the entry). */
function declaresKept(node: BabelTypes.Statement | undefined, keep: Set<string>): boolean {
  return (
    node?.type === 'VariableDeclaration' &&
    node.declarations.some((d) => d.id.type === 'Identifier' && keep.has(d.id.name))
  );
}

/**
 * group[i] = group of statement i; groups are runs of statements, numbered in order. A statement
 * declaring a kept name is a group of its own: the prelude's statement has no module comment, and
 * Babel moves some lowered async functions of the main bundle up next to it.
 */
function moduleGroups(body: BabelTypes.Statement[], keep: Set<string>): number[] {
  let group = 0;
  return body.map((node, i) =>
    i > 0 && (startsModule(node, body[i - 1]) || declaresKept(node, keep) || declaresKept(body[i - 1], keep))
      ? ++group
      : group,
  );
}

/**
 * Where each shared name is declared (scope-tree.ts): at the top when the surrounding text reads
 * it, else in the nest of wrappers over the groups using it. Returns the top-level names and the
 * top level's items in order.
 */
function planNest(
  program: NodePath<BabelTypes.Program>,
  groups: number[],
  uses: Use[],
  shared: Set<string>,
  keep: Set<string>,
): { top: string[]; children: Array<ScopeNode | number> } {
  const order = [...new Set(groups)].sort((a, b) => a - b);
  const fns = order.map(() => 0);
  program.get('body').forEach((statement, i) => {
    let count = statement.isFunction() ? 1 : 0;
    statement.traverse({
      Function() {
        count += 1;
      },
    });
    const index = order.indexOf(at(groups, i));
    fns[index] = (fns[index] as number) + count;
  });
  const top: string[] = [];
  const spans: SharedName[] = [];
  for (const use of uses) {
    if (!shared.has(use.name)) continue;
    const used = use.statements.map((i) => order.indexOf(at(groups, i)));
    const lo = Math.min(...used);
    const hi = Math.max(...used);
    if (keep.has(use.name) || lo === hi) top.push(use.name);
    else spans.push({ name: use.name, lo, hi });
  }
  const children = planSpan(0, order.length - 1, fns, spans);
  const relabel = (item: ScopeNode | number): ScopeNode | number =>
    typeof item === 'number' ? (order[item] as number) : { ...item, children: item.children.map(relabel) };
  return { top, children: children.map(relabel) };
}

/** Merges the runs from group a to group b (a < b) into a. */
function mergeRuns(groups: number[], a: number, b: number): void {
  groups.forEach((g, i) => {
    if (g > a && g <= b) groups[i] = a;
  });
}

/** `var f = _async(function () {...})`: Babel's lowering of an `async function` declaration. */
function isAsyncWrapper(node: BabelTypes.Statement | undefined): boolean {
  if (node?.type !== 'VariableDeclaration' || node.declarations.length !== 1) return false;
  const init = node.declarations[0]?.init;
  return (
    init?.type === 'CallExpression' &&
    init.callee.type === 'Identifier' &&
    init.callee.name === '_async' &&
    init.arguments.length === 1 &&
    init.arguments[0]?.type === 'FunctionExpression'
  );
}

/**
 * Babel's async lowering moves each `async function` declaration, as `var f = _async(...)`, to the
 * top of the program (a declaration is hoisted), far from its module: its names would then span
 * the whole bundle and be declared at the top. Each goes back to the first group using it, at that
 * group's start; creating the wrapper runs nothing, and no group before uses the name.
 */
function returnHoistedAsync(body: BabelTypes.Statement[], groups: number[], uses: Use[]): void {
  const moved = uses.filter((u) => groups[u.declaredAt] === 0 && isAsyncWrapper(body[u.declaredAt]));
  // Until none moves: one used only by another moved one follows it (groups only ever grow).
  for (let changed = true; changed;) {
    changed = false;
    for (const use of moved) {
      const others = use.statements.filter((s) => s !== use.declaredAt).map((s) => at(groups, s));
      const first = others.length > 0 ? Math.min(...others) : 0;
      if (first > at(groups, use.declaredAt)) {
        groups[use.declaredAt] = first;
        changed = true;
      }
    }
  }
}

/**
 * Final grouping: a function declared in a later group and used by an earlier one is merged with
 * it (the use may run before the later group does).
 */
function settleGroups(body: BabelTypes.Statement[], uses: Use[], keep: Set<string>): number[] {
  const groups = moduleGroups(body, keep);
  returnHoistedAsync(body, groups, uses);
  for (let changed = true; changed;) {
    changed = false;
    for (const use of uses) {
      if (use.binding.kind !== 'hoisted') continue;
      const declared = at(groups, use.declaredAt);
      const earliest = Math.min(...use.readAtLoad.map((i) => at(groups, i)));
      if (earliest < declared) {
        mergeRuns(groups, earliest, declared);
        changed = true;
      }
    }
  }
  return groups;
}

/** `var a = 1, b = f(a)` with b shared -> `var a = 1; b = f(a);` (same order). */
function assignShared(
  t: typeof BabelTypes,
  path: NodePath<BabelTypes.VariableDeclaration>,
  shared: Set<string>,
) {
  const declarators = path.node.declarations;
  const isShared = (d: BabelTypes.VariableDeclarator) => t.isIdentifier(d.id) && shared.has(d.id.name);
  if (!declarators.some(isShared)) return;
  const parent = path.parentPath;
  if (!parent || !(parent.isProgram() || parent.isBlockStatement())) {
    throw path.buildCodeFrameError('scope-split: a shared top-level name declared inside a loop head');
  }
  const out: BabelTypes.Statement[] = [];
  for (const d of declarators) {
    if (!isShared(d)) {
      const last = out[out.length - 1];
      if (last && t.isVariableDeclaration(last)) last.declarations.push(d);
      else out.push(t.variableDeclaration('var', [d]));
    } else if (d.init) {
      out.push(t.expressionStatement(t.assignmentExpression('=', d.id as BabelTypes.Identifier, d.init)));
    }
  }
  const first = out[0];
  if (first) first.leadingComments = path.node.leadingComments;
  path.replaceWithMultiple(out);
}

function splitPlugin(t: typeof BabelTypes, keep: Set<string>): PluginObj {
  return {
    name: 'twc-scope-split',
    visitor: {
      Program(program: NodePath<BabelTypes.Program>) {
        const body = program.node.body;
        const uses = topLevelUses(program);
        const groups = settleGroups(body, uses, keep);
        // Shared names become assignments to a `var` of an enclosing wrapper or of the top.
        const shared = new Set<string>();
        for (const use of uses) {
          const inGroups = new Set(use.statements.map((i) => at(groups, i)));
          if (keep.has(use.name) || inGroups.size > 1) shared.add(use.name);
        }
        const { top: topVars, children } = planNest(program, groups, uses, shared, keep);
        const statementPaths = program.get('body');
        // A function declaration turned into an assignment goes first in its group (it was hoisted).
        const hoisted = new Set<BabelTypes.Statement>();
        const statementGroup = new Map(statementPaths.map((p, i) => [p.node, at(groups, i)]));
        for (const use of uses) {
          if (!shared.has(use.name)) continue;
          const declaration = use.binding.path;
          if (declaration.isFunctionDeclaration()) {
            if (!declaration.parentPath.isProgram())
              throw declaration.buildCodeFrameError('scope-split: a shared function declared in a block');
            const fn = declaration.node;
            const expr = t.functionExpression(
              use.binding.constantViolations.length > 0 ? null : fn.id,
              fn.params,
              fn.body,
            );
            const assign = t.expressionStatement(t.assignmentExpression('=', t.identifier(use.name), expr));
            assign.leadingComments = fn.leadingComments;
            statementGroup.set(assign, statementGroup.get(fn) as number);
            hoisted.add(assign);
            declaration.replaceWith(assign);
          }
        }
        program.traverse({
          VariableDeclaration(path) {
            if (path.getFunctionParent()) return;
            const before = path.node;
            const group = statementGroup.get(before);
            assignShared(t, path, shared);
            if (group !== undefined)
              for (const p of path.container as BabelTypes.Statement[])
                if (!statementGroup.has(p)) statementGroup.set(p, group);
          },
        });
        const declare = (names: string[]) =>
          t.variableDeclaration(
            'var',
            names.map((n) => t.variableDeclarator(t.identifier(n))),
          );
        const wrap = (statements: BabelTypes.Statement[]) =>
          t.variableDeclaration('var', [
            t.variableDeclarator(
              t.identifier(SCOPE_VAR),
              t.callExpression(t.functionExpression(null, [], t.blockStatement(statements)), []),
            ),
          ]);
        // Each group's statements in order, a hoisted function's assignment first.
        const byGroup = new Map<number, BabelTypes.Statement[]>();
        for (const node of program.node.body) {
          const group = statementGroup.get(node);
          if (group === undefined) throw new Error('scope-split: a top-level statement lost its group');
          byGroup.set(group, [...(byGroup.get(group) || []), node]);
        }
        const emit = (item: ScopeNode | number): BabelTypes.Statement[] => {
          if (typeof item !== 'number') return [wrap([declare(item.names), ...item.children.flatMap(emit)])];
          const run = byGroup.get(item) || [];
          const ordered = [...run.filter((s) => hoisted.has(s)), ...run.filter((s) => !hoisted.has(s))];
          return [wrap(ordered)];
        };
        const out: BabelTypes.Statement[] = [];
        if (topVars.length > 0) out.push(declare(topVars));
        for (const item of children) out.push(...emit(item));
        program.node.body = out;
      },
    },
  };
}

/** The lowered, relinked bundle with its modules wrapped (see the file comment); map chained. */
export async function splitScopes(input: Relinked): Promise<Relinked> {
  const keep = namesReadAround();
  const result = await babel.transformAsync(input.code, {
    babelrc: false,
    configFile: false,
    filename: 'bundle.js',
    sourceType: 'module',
    compact: false,
    sourceMaps: true,
    inputSourceMap: (input.map ?? undefined) as never,
    plugins: [({ types }: typeof babel) => splitPlugin(types, keep)],
  });
  if (!result || result.code == null) throw new Error('Babel produced no output for the scope split');
  return { code: result.code, map: result.map, moduleInterface: input.moduleInterface };
}
