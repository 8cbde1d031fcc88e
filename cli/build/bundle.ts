/**
 * The upload build: connector TS entry -> ONE ES module that parses, loads and runs on NiL.JS.
 *
 *   prelude  esbuild (engine layer: built-ins, promise-polyfill, job queue, hook drivers; IIFE `__twc_engine`) -> Babel ES5
 *            -> free host globals read from a one-time `typeof` capture (`__twc_host`)
 *   main     esbuild (entry, axios browser build, p-retry, bottleneck/light, tenant config;
 *            neo/* external) -> Babel ES5 + async-to-promises -> free globals to `__twc_engine`,
 *            imports/default export taken out
 *   then     capture + prelude + main, minified as a script (es5 target) -> stops for the
 *            engine's comment scan (parse-stops.ts) -> imports + that + native async hooks
 *            (boundary-tail.ts) + `export default function` -> syntax gate
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { NodePath } from '@babel/core';
import * as acorn from 'acorn';
import * as esbuild from 'esbuild';
import { inputSizes, sizeByModule, type SizeByModule } from './analyze';
import { boundaryTailSource } from './boundary-tail';
import {
  ENGINE_VAR,
  HOST_VAR,
  engineAliasesSource,
  hostCaptureSource,
  mainRenames,
  preludeRenames,
} from './engine-api';
import {
  REPO_ROOT,
  axiosAdaptersPlugin,
  bottleneckForEnginePlugin,
  engineLinkPlugin,
  promiseReactionsPlugin,
  stubModulesPlugin,
  tenantConfigPlugin,
} from './esbuild-plugins';
import { axiosLibUse } from './axios-slim';
import { lowerToEs5, MINIFY_TARGET, relink } from './lower';
import { addParseStops } from './parse-stops';
import { splitScopes } from './scope-split';
import { defaultExportSource, importsSource } from './module-interface';
import { assertEngineSyntax } from './syntax-gate';

export interface BuildOptions {
  /** The connector's TS entry (its default export is `register(context)`). */
  entry: string;
  /** Served as the default export of `twc:tenant-config`. Holds secret NAMES only. */
  tenantConfig: unknown;
  /** Directory the bundle and its map are written to (created when missing). */
  outDir: string;
  scriptName: string;
  /** Default true. */
  minify?: boolean;
  /**
   * Packages this tenant never uses, replaced by a stub module's source (e.g. jsrsasign when no
   * destination signs JWTs): a tenant's script carries only what its configuration needs.
   */
  stubModules?: Record<string, string>;
  /** Also measure the size by module (cli/build/analyze.ts): one more esbuild pass. */
  analyze?: boolean;
}

export interface BuildResult {
  file: string;
  mapFile: string;
  bytes: number;
  gzipBytes: number;
  /** Minified size of the prelude: polyfills, our Promise, job queue, timer shims. */
  polyfillBytes?: number;
  /** With `analyze`: the bytes by module. */
  sizes?: SizeByModule;
}

const ENGINE_PRELUDE = path.join(REPO_ROOT, 'connector', 'platform', 'engine', 'prelude.ts');

interface SourceMapV3 {
  version: number;
  sources: string[];
  mappings: string;
  [key: string]: unknown;
}

function only(result: esbuild.BuildResult, ext: string): string {
  const file = (result.outputFiles ?? []).find((f) => f.path.endsWith(ext));
  if (!file) throw new Error(`esbuild produced no ${ext} output`);
  return file.text;
}

function preludeOptions(): esbuild.BuildOptions {
  return {
    entryPoints: [ENGINE_PRELUDE],
    bundle: true,
    format: 'iife',
    globalName: ENGINE_VAR,
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    write: false,
    outfile: 'prelude.js',
    plugins: [promiseReactionsPlugin()],
    logLevel: 'silent',
  };
}

async function buildPrelude(): Promise<string> {
  return only(await esbuild.build(preludeOptions()), '.js');
}

function mainOptions(options: BuildOptions): esbuild.BuildOptions {
  return {
    entryPoints: [options.entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    external: ['neo/*'],
    legalComments: 'none',
    sourcemap: 'external',
    sourcesContent: true,
    metafile: true,
    write: false,
    outfile: path.join(options.outDir, `${options.scriptName}.js`),
    plugins: [
      stubModulesPlugin(options.stubModules || {}),
      tenantConfigPlugin(options.tenantConfig),
      axiosAdaptersPlugin(),
      bottleneckForEnginePlugin(),
      engineLinkPlugin(),
    ],
    logLevel: 'silent',
  };
}

async function buildMain(options: BuildOptions): Promise<{ code: string; map: SourceMapV3 }> {
  const built = await esbuild.build(mainOptions(options));
  assertAxiosFilesKnown(Object.keys(built.metafile?.inputs || {}));
  const map = JSON.parse(only(built, '.js.map')) as SourceMapV3;
  const code = only(built, '.js').replace(/\/\/# sourceMappingURL=.*\s*$/, '');
  return { code, map };
}

/**
 * The bundle's utils.js keeps only the members of the axios files axios-slim.ts follows from its
 * entry: an axios file bundled that it did not follow could read a member left out.
 */
function assertAxiosFilesKnown(inputs: string[]): void {
  const libDir = path.join(path.dirname(require.resolve('axios/package.json')), 'lib');
  const { files } = axiosLibUse(libDir);
  for (const input of inputs) {
    const under = input.replace(/\\/g, '/').match(/node_modules\/axios\/lib\/(.+)$/);
    if (under && !files.has(under[1] as string))
      throw new Error(`axios/lib/${under[1]} is bundled but cli/build/axios-slim.ts did not follow it`);
  }
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Moves every mapping down by `lines` lines (text was put in front of the mapped code). */
function shiftMap(map: SourceMapV3, lines: number): SourceMapV3 {
  return { ...map, mappings: ';'.repeat(lines) + map.mappings };
}

/** True for the prelude's statement, `var __twc_engine = ...`. */
function isPreludeStatement(statement: NodePath): boolean {
  const node = statement.node;
  return (
    node.type === 'VariableDeclaration' &&
    node.declarations.some((d) => d.id.type === 'Identifier' && d.id.name === ENGINE_VAR)
  );
}

/** The prelude's part of the final text, minified alone: what the engine support costs. */
async function measurePrelude(script: string): Promise<number> {
  const program = acorn.parse(script, { ecmaVersion: 'latest', sourceType: 'script' });
  let bytes = 0;
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    const ids = statement.declarations.map((d) => (d.id.type === 'Identifier' ? d.id.name : ''));
    if (ids.indexOf(ENGINE_VAR) < 0 && ids.indexOf(HOST_VAR) < 0) continue;
    const text = script.slice(statement.start, statement.end);
    bytes += Buffer.byteLength(
      (await esbuild.transform(text, { loader: 'js', minify: true, ...MINIFY_TARGET })).code,
    );
  }
  return bytes;
}

export async function buildBundle(options: BuildOptions): Promise<BuildResult> {
  const minify = options.minify !== false;
  const [prelude, main] = await Promise.all([buildPrelude(), buildMain(options)]);

  // One lowering pass over prelude + main, so Babel's helpers are declared once.
  const joined = `${prelude}\n${main.code}`;
  const lowered = await lowerToEs5(joined, 'bundle.js', shiftMap(main.map, lineCount(prelude) + 1));
  const prelMap = preludeRenames();
  const mainMap = mainRenames();
  const unsplit = await relink(
    lowered.code,
    'bundle.js',
    (statement) => (isPreludeStatement(statement) ? prelMap : mainMap),
    lowered.map,
    true,
    { after: isPreludeStatement, source: engineAliasesSource() },
  );
  const relinked = await splitScopes(unsplit);
  if (!relinked.moduleInterface.hasDefault) throw new Error(`${options.entry} has no default export`);

  const capture = hostCaptureSource();
  const body = `${capture}${relinked.code}\n`;
  const bodyMap = shiftMap(relinked.map as unknown as SourceMapV3, lineCount(capture));
  const inlineMap = Buffer.from(JSON.stringify(bodyMap)).toString('base64');
  // A script (no import/export left), so top-level names survive: the capture, the engine, the
  // entry and the imported names are referenced by the text put around it.
  const minified = await esbuild.transform(
    `${body}//# sourceMappingURL=data:application/json;base64,${inlineMap}\n`,
    {
      loader: 'js',
      minify,
      ...MINIFY_TARGET,
      sourcemap: 'external',
      sourcefile: `${options.scriptName}.js`,
      legalComments: 'none',
    },
  );

  // After the minifier, which would drop the stops as dead code (parse-stops.ts says why).
  const stopped = addParseStops(minified.code, JSON.parse(minified.map) as SourceMapV3);
  const head = importsSource(relinked.moduleInterface);
  const code = `${head}${stopped.code.trimEnd()}\n${boundaryTailSource()}${defaultExportSource()}`;
  if (process.env.TWC_DEBUG_BUNDLE) fs.writeFileSync(process.env.TWC_DEBUG_BUNDLE, code);
  assertEngineSyntax(code);

  const finalMap = shiftMap(stopped.map, lineCount(head));
  finalMap.file = `${options.scriptName}.js`;
  fs.mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `${options.scriptName}.js`);
  // The map sits beside the script, unnamed by it: a `//# sourceMappingURL` comment would make
  // NiL.JS copy the whole source once per parse (parse-stops.ts), and no engine reads maps.
  const mapFile = `${file}.map`;
  fs.writeFileSync(file, code);
  fs.writeFileSync(mapFile, JSON.stringify(finalMap));

  const bytes = Buffer.byteLength(code);
  const sizes = options.analyze
    ? sizeByModule(
        (
          await Promise.all([
            inputSizes(mainOptions(options), REPO_ROOT),
            inputSizes(preludeOptions(), REPO_ROOT),
          ])
        ).flat(),
        bytes,
      )
    : undefined;
  return {
    file,
    mapFile,
    bytes,
    gzipBytes: zlib.gzipSync(code).length,
    // Before the scope split, which turns the prelude's `var` into an assignment in a wrapper.
    polyfillBytes: await measurePrelude(`${capture}${unsplit.code}`),
    sizes,
  };
}
