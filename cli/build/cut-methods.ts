/**
 * Cuts named methods out of a package's classes at build time, for the upload bundle: each method
 * removed is one function less for NiL.JS to parse (and, for an async method, its whole promise-
 * chain lowering less). What is cut is named per class; a cut method stays on the prototype as a
 * one-line thrower naming itself, so a call that does reach it fails loudly instead of as
 * "undefined is not a function". The build fails when a class or method named is not found once
 * (the package changed: the list must be reviewed against its new source).
 */
import * as acorn from 'acorn';

/** Class name -> names of the methods (not getters, not static) to cut from it. */
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
 * declared by the caller's text) puts a thrower in each cut method's slot.
 */
export function cutMethods(file: string, source: string, cuts: MethodCuts, stub: string): string {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  const edits: Range[] = [];
  const found = new Map<string, number>();
  const visit = (node: Node, path: Node[]): void => {
    if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.id) {
      const name = (node.id as { name: string }).name;
      const wanted = cuts[name];
      if (wanted) {
        found.set(name, (found.get(name) || 0) + 1);
        const cut: string[] = [];
        for (const member of (node.body as { body: Node[] }).body) {
          const key = member.key as { type: string; name?: string } | undefined;
          if (member.type !== 'MethodDefinition' || member.kind !== 'method' || member.static) continue;
          if (member.computed || !key || key.type !== 'Identifier') continue;
          if (wanted.indexOf(key.name as string) < 0) continue;
          edits.push({ start: member.start, end: member.end, text: '' });
          cut.push(key.name as string);
        }
        const missing = wanted.filter((m) => cut.indexOf(m) < 0);
        if (missing.length > 0)
          throw new Error(
            `${file}: class ${name} has no method ${missing.join(', ')} to cut (the package changed)`,
          );
        const statement = holdingStatement(path);
        edits.push({
          start: statement.end,
          end: statement.end,
          text: `\n${stub}(${name}.prototype, ${JSON.stringify(name)}, ${JSON.stringify(cut)});`,
        });
      }
    }
    for (const child of children(node)) visit(child, [...path, node]);
  };
  visit(program, []);
  for (const name of Object.keys(cuts))
    if (found.get(name) !== 1) throw new Error(`${file}: class ${name} not found once (the package changed)`);
  let out = source;
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
