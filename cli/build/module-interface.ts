/**
 * Takes the bundle's module interface out of the code before minifying, and puts it back after,
 * in the only forms NiL.JS is known to parse: `import { name } from 'neo/...'` (no `as`) and
 * `export default function register(context)`. (The minifier would otherwise rename imports to
 * `import { getSecret as t }` and end with `export { x as default }`.)
 *
 * Removing the import leaves the imported names as free identifiers, which a minifier never
 * renames; the default export becomes a top-level `var __twc_entry`, which a minifier keeps in a
 * script. Both are checked again by the syntax gate on the final text.
 */
import type { NodePath, PluginObj, types as BabelTypes } from '@babel/core';

export const ENTRY_VAR = '__twc_entry';

export interface ModuleInterface {
  /** source -> imported names, each bound under its own name */
  imports: Map<string, string[]>;
  hasDefault: boolean;
}

export function extractModuleInterface(t: typeof BabelTypes, found: ModuleInterface): PluginObj {
  return {
    name: 'twc-module-interface',
    visitor: {
      ImportDeclaration(path: NodePath<BabelTypes.ImportDeclaration>) {
        const source = path.node.source.value;
        if (!/^neo\//.test(source)) {
          throw path.buildCodeFrameError(`The bundle may import only neo/* modules, not "${source}"`);
        }
        const names = found.imports.get(source) ?? [];
        for (const spec of path.node.specifiers) {
          if (!t.isImportSpecifier(spec)) {
            throw path.buildCodeFrameError(`Import from "${source}" by name only (import { name } from ...)`);
          }
          const imported = t.isIdentifier(spec.imported) ? spec.imported.name : spec.imported.value;
          const local = spec.local.name;
          if (local !== imported) {
            // Free the name first if another binding holds it, then bind the import under it.
            const program = path.scope.getProgramParent();
            if (program.hasBinding(imported)) program.rename(imported, program.generateUid(imported));
            path.scope.rename(local, imported);
          }
          if (names.indexOf(imported) < 0) names.push(imported);
        }
        found.imports.set(source, names);
        path.remove();
      },
      ExportNamedDeclaration(path: NodePath<BabelTypes.ExportNamedDeclaration>) {
        if (path.node.source || path.node.declaration) {
          throw path.buildCodeFrameError('The bundle entry may only have a default export');
        }
        const replacement: BabelTypes.Statement[] = [];
        for (const spec of path.node.specifiers) {
          if (!t.isExportSpecifier(spec)) continue;
          const exported = t.isIdentifier(spec.exported) ? spec.exported.name : spec.exported.value;
          if (exported !== 'default') continue;
          found.hasDefault = true;
          replacement.push(
            t.variableDeclaration('var', [
              t.variableDeclarator(t.identifier(ENTRY_VAR), t.identifier(spec.local.name)),
            ]),
          );
        }
        path.replaceWithMultiple(replacement);
      },
      ExportDefaultDeclaration(path: NodePath<BabelTypes.ExportDefaultDeclaration>) {
        const decl = path.node.declaration;
        found.hasDefault = true;
        if (t.isFunctionDeclaration(decl) && decl.id) {
          const id = decl.id.name;
          path.replaceWithMultiple([
            decl,
            t.variableDeclaration('var', [t.variableDeclarator(t.identifier(ENTRY_VAR), t.identifier(id))]),
          ]);
          return;
        }
        const value = t.isExpression(decl) ? decl : t.toExpression(decl as never);
        path.replaceWith(
          t.variableDeclaration('var', [t.variableDeclarator(t.identifier(ENTRY_VAR), value)]),
        );
      },
    },
  };
}

/** The text put back after minifying: the imports first, the default export last. */
export function importsSource(found: ModuleInterface): string {
  let out = '';
  for (const [source, names] of found.imports)
    out += `import { ${names.join(', ')} } from ${JSON.stringify(source)};\n`;
  return out;
}

export function defaultExportSource(): string {
  return `export default function __twc_register(context) {\n  return ${ENTRY_VAR}.apply(this, arguments);\n}\n`;
}
