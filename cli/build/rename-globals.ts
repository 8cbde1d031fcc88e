/**
 * A Babel plugin that points free references (names no scope declares) at another expression:
 * after lowering, `Promise`, the timers and the global-object names in the bundle must reach the
 * engine layer's versions, including in the helpers Babel itself added. Scope-aware, unlike text
 * replacement: a local `Promise` or a property named `setTimeout` is left alone.
 */
import type { NodePath, PluginObj, types as BabelTypes } from '@babel/core';

export type RenameMap = Record<string, string>;

/** Which map applies where: by the top-level statement a reference sits in. */
export type MapChooser = (topLevel: NodePath) => RenameMap;

function topLevelOf(path: NodePath): NodePath {
  let current = path;
  while (current.parentPath && !current.parentPath.isProgram()) current = current.parentPath;
  return current;
}

export function renameFreeGlobals(t: typeof BabelTypes, choose: MapChooser): PluginObj {
  const target = (dotted: string): BabelTypes.Expression => {
    const [first, ...rest] = dotted.split('.');
    let expr: BabelTypes.Expression = t.identifier(first as string);
    for (const part of rest) expr = t.memberExpression(expr, t.identifier(part));
    return expr;
  };
  return {
    name: 'twc-rename-free-globals',
    visitor: {
      ReferencedIdentifier(path: NodePath) {
        const node = path.node as BabelTypes.Identifier;
        const map = choose(topLevelOf(path));
        if (!Object.prototype.hasOwnProperty.call(map, node.name)) return;
        if (path.scope.hasBinding(node.name, true)) return;
        const parent = path.parent;
        if (t.isObjectProperty(parent) && parent.shorthand) parent.shorthand = false;
        path.replaceWith(target(map[node.name] as string));
        path.skip();
      },
    },
  };
}
