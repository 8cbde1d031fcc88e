/**
 * Lowers bundled JavaScript to what NiL.JS parses: ES5 syntax (plus import/export) and the few
 * ES2015 forms proven to parse AND run right on both engine builds (KEPT below), every async
 * function turned into promise chains WITHOUT generators (transform-async-to-promises; generator-
 * based lowering crashes the engine), classes lowered, let/const lowered so each loop closure gets
 * its own binding (NiL's `let` does not). Then free globals are rewritten (rename-globals.ts).
 */
import * as babel from '@babel/core';
import { renameFreeGlobals, type MapChooser } from './rename-globals';
import { extractModuleInterface, type ModuleInterface } from './module-interface';

export interface Lowered {
  code: string;
  map: babel.BabelFileResult['map'];
}

/** Transforms preset-env must not apply: the generator-based async/regenerator lowering. */
const FORBIDDEN = [
  'transform-async-to-generator',
  'transform-async-generator-functions',
  'transform-regenerator',
];

/**
 * ES2015 syntax left as written: each parses and runs right on both engine builds (probed on
 * 40de922e and d77e3336, README "Running on the engine"). Not kept, because a probe failed:
 * arrow functions (`(c = g(() => 1, 2))` does not parse: "Expected =>"; `arguments` read from an
 * arrow inside an arrow is undefined), spread (`[...'ab']` and `[...arguments]` empty on 2021,
 * `f(1, ...a, 4, ...b)` drops `b` on the newest), default parameters (a default naming an earlier
 * parameter throws), block scoping (`let` in loops), classes, destructuring.
 * One gap is closed by `literalNamedMethods` below: a method named by a string or number literal
 * (`{ 'a-b'() {} }`) does not parse.
 */
const KEPT = ['transform-template-literals', 'transform-shorthand-properties'];

/**
 * A method whose key is not an identifier becomes `key: function () {}`. Async and generator
 * methods become function expressions too, so the async lowering sees them as it did before.
 */
function literalNamedMethods({ types }: typeof babel): babel.PluginObj {
  return {
    visitor: {
      ObjectMethod(path) {
        const node = path.node;
        if (node.kind !== 'method') return;
        if (node.key.type === 'Identifier' && !node.computed && !node.async && !node.generator) return;
        const fn = types.functionExpression(null, node.params, node.body, node.generator, node.async);
        path.replaceWith(types.objectProperty(node.key, fn, node.computed));
      },
    },
  };
}

/** esbuild's minifier must not lower what Babel kept (it would, for target es5) nor add others. */
export const MINIFY_TARGET = {
  target: 'es5',
  supported: { 'template-literal': true, 'object-extensions': true },
};

/** One Babel pass over a module, with no config file, keeping a source map chained to the input's. */
async function transform(
  code: string,
  filename: string,
  inputSourceMap: object | null | undefined,
  passes: Pick<babel.TransformOptions, 'plugins' | 'presets' | 'assumptions'>,
): Promise<Lowered> {
  const result = await babel.transformAsync(code, {
    babelrc: false,
    configFile: false,
    filename,
    sourceType: 'module',
    compact: false,
    sourceMaps: true,
    inputSourceMap: (inputSourceMap ?? undefined) as never,
    ...passes,
  });
  if (!result || result.code == null) throw new Error(`Babel produced no output for ${filename}`);
  return { code: result.code, map: result.map };
}

/**
 * What Babel may take for granted, for shorter ES5: nothing here is `document.all`, no class is
 * called without `new`, no arrow with `new`, no code reads a function's `length`, spreads copy
 * plain data (Object.assign semantics), no symbol-keyed rest, getters have no side effects, a
 * `for...of` left early need not close its iterator, class methods may be plain prototype
 * assignments (`setClassMethods`: enumerable, which only a `for...in` over an instance or a
 * prototype would see; the bundle's only `for...in` loops walk option objects, esbuild's export
 * table and bottleneck's job tables, and Babel's spread helper keeps own keys only). (Not
 * `superIsCallableConstructor`: the connector's errors extend Error, whose call form returns a new
 * object.)
 */
const ASSUMPTIONS = {
  noDocumentAll: true,
  noClassCalls: true,
  noNewArrows: true,
  ignoreFunctionLength: true,
  ignoreToPrimitiveHint: true,
  mutableTemplateObject: true,
  setSpreadProperties: true,
  setComputedProperties: true,
  constantSuper: true,
  objectRestNoSymbols: true,
  pureGetters: true,
  skipForOfIteratorClosing: true,
  setClassMethods: true,
};

export async function lowerToEs5(code: string, filename: string, inputSourceMap?: object): Promise<Lowered> {
  return transform(code, filename, inputSourceMap, {
    assumptions: ASSUMPTIONS,
    plugins: [
      literalNamedMethods,
      [require.resolve('babel-plugin-transform-async-to-promises'), { target: 'es5' }],
    ],
    presets: [
      [
        require.resolve('@babel/preset-env'),
        {
          forceAllTransforms: true,
          modules: false,
          useBuiltIns: false,
          exclude: [...FORBIDDEN, ...KEPT],
          targets: { ie: '11' },
        },
      ],
    ],
  });
}

export interface Relinked extends Lowered {
  moduleInterface: ModuleInterface;
}

/** Statements to put right after the first top-level statement `after` accepts (it must exist). */
export interface Insertion {
  after: (statement: babel.NodePath) => boolean;
  source: string;
}

function insertAfter({ after, source }: Insertion): babel.PluginObj {
  return {
    visitor: {
      Program(program) {
        const anchor = program.get('body').find((s) => after(s));
        if (!anchor) throw new Error('relink: no statement to insert after');
        anchor.insertAfter(babel.template.statements.ast(source));
      },
    },
  };
}

/**
 * Second pass on lowered code: rewrites free globals (the map chosen per top-level statement), and (for the connector's
 * module) takes its imports and default export out for module-interface.ts to put back.
 */
export async function relink(
  code: string,
  filename: string,
  choose: MapChooser,
  inputSourceMap?: object | null,
  extractInterface = false,
  insertion?: Insertion,
): Promise<Relinked> {
  const moduleInterface: ModuleInterface = { imports: new Map(), hasDefault: false };
  const plugins: babel.PluginItem[] = [({ types }: typeof babel) => renameFreeGlobals(types, choose)];
  if (insertion) plugins.push(() => insertAfter(insertion));
  if (extractInterface)
    plugins.push(({ types }: typeof babel) => extractModuleInterface(types, moduleInterface));
  const lowered = await transform(code, filename, inputSourceMap, { plugins });
  return { code: lowered.code, map: lowered.map, moduleInterface };
}
