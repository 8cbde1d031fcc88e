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
 * only is declared inside it; a name used across groups (or by the text put around the bundle)
 * is declared once with `var` at the top and assigned where it was declared. A function
 * declaration used by an EARLIER group relies on hoisting, so those groups are merged. Groups
 * holding a name the surrounding text reads (the engine, the entry) stay unwrapped.
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

/** esbuild's comment before each module's code in a non-minified bundle: `// node_modules/x/y.js`. */
const MODULE_COMMENT = /^ (?:(?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]sx?|twc:[\w-]+)$/;

/**
 * Each wrapper stands as `var __twc_scope = function () {...}();`: as bare `(function () {...})();`
 * statements the minifier joins them with commas, which NiL.JS refuses to parse (measured:
 * "Unexpected token" at the comma after the first call).
 */
const SCOPE_VAR = '__twc_scope';

/** Names the text around the bundle reads (boundary-tail.ts, module-interface.ts). */
function namesReadAround(): Set<string> {
  const around = `${boundaryTailSource()}${defaultExportSource()}`;
  return new Set([ENGINE_VAR, ENTRY_VAR, ...(around.match(/[A-Za-z_$][\w$]*/g) || [])]);
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

/** group[i] = group of statement i; groups are runs of statements, numbered in order. */
function moduleGroups(body: BabelTypes.Statement[]): number[] {
  let group = 0;
  return body.map((node, i) => (i > 0 && startsModule(node, body[i - 1]) ? ++group : group));
}

/** The package (node_modules/x) or folder (connector/domain) a module comment names. */
function folderOf(comment: string): string {
  const parts = comment
    .trim()
    .replace(/^(?:\.\.\/)*(?:main\/)?/, '')
    .split('/');
  const depth = parts[0] === 'node_modules' ? (parts[1]?.startsWith('@') ? 3 : 2) : 2;
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('/');
}

/** Folder of each statement's module ('' before the first module comment). */
function statementFolders(body: BabelTypes.Statement[]): string[] {
  let folder = '';
  return body.map((node, i) => {
    const comments = [...(node.leadingComments || []), ...(body[i - 1]?.trailingComments || [])];
    const marker = comments.filter(isModuleComment).pop();
    if (i > 0 && marker) folder = folderOf(marker.value);
    return folder;
  });
}

/**
 * Second level: consecutive wrapped groups of one package or folder share an outer wrapper, which
 * declares the names only they use (axios's modules share many names no one else reads).
 * Returns group -> folder run, for wrapped groups.
 */
function folderRuns(groups: number[], folders: string[], unwrapped: Set<number>): Map<number, number> {
  const runOf = new Map<number, number>();
  let run = -1;
  let last = -1;
  let lastFolder: string | undefined;
  groups.forEach((group, i) => {
    if (group === last || unwrapped.has(group)) {
      if (unwrapped.has(group)) lastFolder = undefined;
      last = group;
      return;
    }
    const folder = folders[i];
    if (folder !== lastFolder || folder === '') run += 1;
    lastFolder = folder;
    last = group;
    runOf.set(group, run);
  });
  return runOf;
}

/** Merges the runs from group a to group b (a < b) into a. */
function mergeRuns(groups: number[], a: number, b: number): void {
  groups.forEach((g, i) => {
    if (g > a && g <= b) groups[i] = a;
  });
}

/**
 * Final grouping: a function declared in a later group and used by an earlier one is merged with
 * it (the use may run before the later group does); a group declaring a name read around stays
 * unwrapped.
 */
function settleGroups(body: BabelTypes.Statement[], uses: Use[], keep: Set<string>) {
  const groups = moduleGroups(body);
  const unwrapped = new Set<number>();
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
  for (const use of uses) if (keep.has(use.name)) unwrapped.add(at(groups, use.declaredAt));
  return { groups, unwrapped };
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
        const { groups, unwrapped } = settleGroups(body, uses, keep);
        const shared = new Set<string>();
        for (const use of uses) {
          const inGroups = new Set(use.statements.map((i) => at(groups, i)));
          const declaredIn = at(groups, use.declaredAt);
          if (keep.has(use.name) || inGroups.size > 1 || unwrapped.has(declaredIn)) shared.add(use.name);
        }
        // In wrapped groups, shared names become assignments to the top-level `var`.
        const wrappedShared = new Set<string>();
        for (const use of uses)
          if (shared.has(use.name) && !unwrapped.has(at(groups, use.declaredAt))) wrappedShared.add(use.name);
        const runOf = folderRuns(groups, statementFolders(body), unwrapped);
        const runLocals = new Map<number, string[]>();
        const topVars: string[] = [];
        for (const use of uses) {
          if (!wrappedShared.has(use.name)) continue;
          const runs = new Set(use.statements.map((i) => runOf.get(at(groups, i))));
          const [run] = [...runs];
          if (runs.size === 1 && run !== undefined && !keep.has(use.name))
            runLocals.set(run, [...(runLocals.get(run) || []), use.name]);
          else topVars.push(use.name);
        }
        const statementPaths = program.get('body');
        // A function declaration turned into an assignment goes first in its group (it was hoisted).
        const hoisted = new Set<BabelTypes.Statement>();
        const statementGroup = new Map(statementPaths.map((p, i) => [p.node, at(groups, i)]));
        for (const use of uses) {
          if (!wrappedShared.has(use.name)) continue;
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
            assignShared(t, path, wrappedShared);
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
        const out: BabelTypes.Statement[] = [];
        if (topVars.length > 0) out.push(declare(topVars));
        // Wrapped groups of the current folder run, put in the run's wrapper when it ends.
        let folderRun: BabelTypes.Statement[] = [];
        let folderRunId: number | undefined;
        const flushFolder = () => {
          const locals = folderRunId === undefined ? undefined : runLocals.get(folderRunId);
          if (locals) out.push(wrap([declare(locals), ...folderRun]));
          else out.push(...folderRun);
          folderRun = [];
        };
        let run: BabelTypes.Statement[] = [];
        let runGroup = -1;
        const flush = () => {
          if (run.length === 0) return;
          run = [...run.filter((s) => hoisted.has(s)), ...run.filter((s) => !hoisted.has(s))];
          const runId = runOf.get(runGroup);
          if (runId !== folderRunId) flushFolder();
          folderRunId = runId;
          if (unwrapped.has(runGroup)) out.push(...run);
          else folderRun.push(wrap(run));
          run = [];
        };
        for (const node of program.node.body) {
          const group = statementGroup.get(node);
          if (group === undefined) throw new Error('scope-split: a top-level statement lost its group');
          if (group !== runGroup) flush();
          runGroup = group;
          run.push(node);
        }
        flush();
        flushFolder();
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
