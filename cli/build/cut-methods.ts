/**
 * Cuts named methods out of a package's classes at build time, for the upload bundle: each method
 * removed is one function less for NiL.JS to parse (and, for an async method, its whole promise-
 * chain lowering less). What is cut is named per class; a cut method stays on the prototype as a
 * one-line thrower naming itself, so a call that does reach it fails loudly instead of as
 * "undefined is not a function". The build fails when a class or method named is not found once
 * (the package changed: the list must be reviewed against its new source).
 */
import { createHash } from 'node:crypto';
import * as acorn from 'acorn';

/** Class name -> names of the methods (not getters) to cut from it; `static name` for a static one. */
export type MethodCuts = Record<string, string[]>;

interface Range {
  start: number;
  end: number;
  text: string;
}

type Node = acorn.Node & Record<string, unknown>;

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof (v as Node).type === 'string') out.push(v as Node);
    } else if (value && typeof (value as Node).type === 'string') out.push(value as Node);
  }
  return out;
}

/** Calls `each` for every named class in `source`, with the nodes above it (outermost first). */
function eachClass(
  source: string,
  sourceType: SourceType,
  each: (node: Node, name: string, path: Node[]) => void,
): void {
  const visit = (node: Node, path: Node[]): void => {
    if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.id)
      each(node, (node.id as { name: string }).name, path);
    for (const child of children(node)) visit(child, [...path, node]);
  };
  visit(acorn.parse(source, { ecmaVersion: 'latest', sourceType }) as unknown as Node, []);
}

type SourceType = 'script' | 'module';

/** A class member's name when it is a plain method with a written name (`static name` for a static one), else null. */
function methodName(member: Node): string | null {
  const key = member.key as { type: string; name?: string } | undefined;
  if (member.type !== 'MethodDefinition' || member.kind !== 'method') return null;
  if (member.computed || !key || key.type !== 'Identifier') return null;
  return `${member.static ? 'static ' : ''}${key.name as string}`;
}

/** The statement that holds a class (its declaration, or `X = class X {...};`). */
function holdingStatement(path: Node[]): Node {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const n = path[i] as Node;
    if (n.type === 'ClassDeclaration' || n.type === 'ExpressionStatement') return n;
  }
  throw new Error('cut-methods: a class outside any statement');
}

/**
 * `source` with the methods in `cuts` removed; after each class, one call of `stub` (a function
 * the caller's text declares or imports, see cutStubSource) puts a thrower in each cut method's
 * slot, named `ownerPrefix` + class + method in its message.
 */
export function cutMethods(
  file: string,
  source: string,
  cuts: MethodCuts,
  stub: string,
  ownerPrefix: string,
  sourceType: SourceType = 'script',
): string {
  const edits: Range[] = [];
  const found = new Map<string, number>();
  eachClass(source, sourceType, (node, name, path) => {
    const wanted = cuts[name];
    if (!wanted) return;
    found.set(name, (found.get(name) || 0) + 1);
    const cut: string[] = [];
    for (const member of (node.body as { body: Node[] }).body) {
      const named = methodName(member);
      if (named === null || wanted.indexOf(named) < 0) continue;
      edits.push({ start: member.start, end: member.end, text: '' });
      cut.push(named);
    }
    const missing = wanted.filter((m) => cut.indexOf(m) < 0);
    if (missing.length > 0)
      throw new Error(
        `${file}: class ${name} has no method ${missing.join(', ')} to cut (the package changed)`,
      );
    const statement = holdingStatement([...path, node]);
    const slots = (onClass: boolean): string => {
      const names = cut
        .filter((m) => m.startsWith('static ') === onClass)
        .map((m) => m.replace(/^static /, ''));
      const target = `${name}${onClass ? '' : '.prototype'}`;
      return names.length === 0
        ? ''
        : `\n${stub}(${target}, ${JSON.stringify(ownerPrefix + target)}, ${JSON.stringify(names)});`;
    };
    edits.push({ start: statement.end, end: statement.end, text: slots(false) + slots(true) });
  });
  for (const name of Object.keys(cuts))
    if (found.get(name) !== 1) throw new Error(`${file}: class ${name} not found once (the package changed)`);
  let out = source;
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The stub's declaration: `stub(owner, ownerName, names)` puts a named thrower in each slot. */
export function cutStubSource(stub: string): string {
  return `function ${stub}(owner, ownerName, names) {
  names.forEach(function (name) {
    owner[name] = function () {
      throw new Error(ownerName + "." + name + " is not built into this bundle");
    };
  });
}
`;
}

/**
 * The first 12 hex digits of the SHA-256 of `text`: what a replacement records of the original it
 * was written against (see `reviewed` below).
 */
export function sourceFingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * A replacement written against one version of a method or function records that original's
 * fingerprint: when the package's text changes, the build fails and names what to review, instead
 * of silently dropping what the new version does.
 */
function assertReviewed(file: string, what: string, original: string, reviewed: string | undefined): void {
  if (reviewed === undefined) return;
  const now = sourceFingerprint(original);
  if (now !== reviewed)
    throw new Error(
      `${file}: ${what} changed since its replacement was written (fingerprint ${now}, reviewed ${reviewed}): review the replacement against the new source`,
    );
}

/**
 * `source` with the plain method `name` (`static name` for a static one) of class `className`
 * (found once) replaced by `text`; with `reviewed`, the original must have that fingerprint.
 */
export function replaceMethod(
  file: string,
  source: string,
  className: string,
  name: string,
  text: string,
  sourceType: SourceType = 'module',
  reviewed?: string,
): string {
  const found: Node[] = [];
  eachClass(source, sourceType, (node, named) => {
    if (named !== className) return;
    for (const member of (node.body as { body: Node[] }).body)
      if (methodName(member) === name) found.push(member);
  });
  const method = found[0];
  if (found.length !== 1 || !method)
    throw new Error(`${file}: method ${className}.${name} not found once (the package changed)`);
  assertReviewed(file, `method ${className}.${name}`, source.slice(method.start, method.end), reviewed);
  return source.slice(0, method.start) + text + source.slice(method.end);
}

/**
 * `source` with the top-level function declaration `name` (found once) replaced by `text`; with
 * `reviewed`, the original must have that fingerprint.
 */
export function replaceFunction(
  file: string,
  source: string,
  name: string,
  text: string,
  reviewed?: string,
): string {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  const found = program.body.filter((n) => n.type === 'FunctionDeclaration' && n.id?.name === name);
  const fn = found[0];
  if (found.length !== 1 || !fn)
    throw new Error(`${file}: function ${name} not found once (the package changed)`);
  assertReviewed(file, `function ${name}`, source.slice(fn.start, fn.end), reviewed);
  return source.slice(0, fn.start) + text + source.slice(fn.end);
}

/**
 * `source` with each `[from, to]` applied everywhere, in order. A `from` not found fails the build,
 * naming `what` (the package) and `see` (the file that lists the patches): the package changed.
 */
export function patchSource(
  file: string,
  source: string,
  patches: ReadonlyArray<readonly [string, string]>,
  what: string,
  see: string,
): string {
  let out = source;
  for (const [from, to] of patches) {
    if (out.indexOf(from) < 0)
      throw new Error(`${file}: "${from.trim()}" not found (${what} changed; see ${see})`);
    out = out.split(from).join(to);
  }
  return out;
}
