/**
 * Lowers bundled JavaScript to what NiL.JS parses: ES5 syntax (plus import/export), every async
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
 * `for...of` left early need not close its iterator. (Not `superIsCallableConstructor`: the
 * connector's errors extend Error, whose call form returns a new object; not `setClassMethods`:
 * enumerable methods would show in `for...in` over instances.)
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
};

export async function lowerToEs5(code: string, filename: string, inputSourceMap?: object): Promise<Lowered> {
  return transform(code, filename, inputSourceMap, {
    assumptions: ASSUMPTIONS,
    plugins: [[require.resolve('babel-plugin-transform-async-to-promises'), { target: 'es5' }]],
    presets: [
      [
        require.resolve('@babel/preset-env'),
        {
          forceAllTransforms: true,
          modules: false,
          useBuiltIns: false,
          exclude: FORBIDDEN,
          targets: { ie: '11' },
        },
      ],
    ],
  });
}

export interface Relinked extends Lowered {
  moduleInterface: ModuleInterface;
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
): Promise<Relinked> {
  const moduleInterface: ModuleInterface = { imports: new Map(), hasDefault: false };
  const plugins: babel.PluginItem[] = [({ types }: typeof babel) => renameFreeGlobals(types, choose)];
  if (extractInterface)
    plugins.push(({ types }: typeof babel) => extractModuleInterface(types, moduleInterface));
  const lowered = await transform(code, filename, inputSourceMap, { plugins });
  return { code: lowered.code, map: lowered.map, moduleInterface };
}
