/**
 * esbuild plugins of the upload build. Each one swaps a module for the engine's sake; the reasons
 * are in the comments, the mechanics in esbuild's onResolve/onLoad.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import type { Plugin } from 'esbuild';
import {
  AXIOS_CUT_STUB,
  AXIOS_ENTRY_SOURCE,
  axiosLibSource,
  axiosLibUse,
  slimAxiosUtils,
} from './axios-slim';
import { cutMethods, cutStubSource, patchSource, replaceMethod, type MethodCuts } from './cut-methods';
import { engineApiModuleSource } from './engine-api';
import { pRetrySource } from './p-retry-cuts';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENGINE_DIR = path.join(REPO_ROOT, 'connector', 'platform', 'engine');
const ENGINE_INDEX = path.join(ENGINE_DIR, 'index.ts');
const HOST_BOUNDARY = path.join(REPO_ROOT, 'connector', 'platform', 'host-boundary.ts');
const HOST_BOUNDARY_BUNDLE = path.join(ENGINE_DIR, 'host-boundary.bundle.ts');

/** `import config from 'twc:tenant-config'`: the tenant's configuration, inlined as JSON. */
export function tenantConfigPlugin(config: unknown): Plugin {
  return {
    name: 'twc-tenant-config',
    setup(build) {
      build.onResolve({ filter: /^twc:tenant-config$/ }, () => ({ path: 'tenant-config', namespace: 'twc' }));
      build.onLoad({ filter: /^tenant-config$/, namespace: 'twc' }, () => ({
        contents: JSON.stringify(config === undefined ? null : config),
        loader: 'json',
      }));
    },
  };
}

/**
 * axios in the bundle: its core only (cli/build/axios-slim.ts: the defaults without body
 * transforms or platform detection, no adapters of its own: its fetch adapter uses async
 * generators, which nothing may lower here, and its xhr adapter needs XMLHttpRequest). The
 * connector passes its own adapter (connector/platform/http.ts), so axios only ever sees a function.
 */
export function axiosAdaptersPlugin(): Plugin {
  return {
    name: 'twc-axios-adapters',
    setup(build) {
      // The smallest axios over the connector's own adapter (cli/build/axios-slim.ts says what is
      // left out and why).
      build.onResolve({ filter: /^axios$/ }, () => ({ path: 'axios', namespace: 'twc-axios-slim' }));
      build.onResolve({ filter: new RegExp(`^${AXIOS_CUT_STUB}$`) }, () => ({
        path: 'cut-stub',
        namespace: 'twc-axios-slim',
      }));
      build.onLoad({ filter: /^cut-stub$/, namespace: 'twc-axios-slim' }, () => ({
        contents: `export default ${cutStubSource('cut')}`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'twc-axios-slim' }, () => ({
        contents: AXIOS_ENTRY_SOURCE,
        loader: 'js',
        resolveDir: REPO_ROOT,
      }));
      build.onLoad({ filter: /[\\/]axios[\\/]lib[\\/]/ }, (args) => {
        const under = args.path.replace(/^.*[\\/]axios[\\/]lib[\\/]/, '').replace(/\\/g, '/');
        const libDir = args.path.slice(0, args.path.length - under.length - 1);
        const use = axiosLibUse(libDir);
        const contents =
          under === 'utils.js'
            ? slimAxiosUtils(fs.readFileSync(args.path, 'utf8'), use.utils)
            : (use.files.get(under) ?? axiosLibSource(libDir, under));
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * NiL.JS's property table (StringMap) corrupts its own chains once an object of more than four
 * properties has entries deleted and added again: a later lookup never ends (measured on both
 * builds: the engine check hung in bottleneck's job table after ~70 requests, 16 in flight).
 * bottleneck keeps its jobs and scheduled timers in such tables, one key per job, deleted when
 * done. Here each `delete` blanks the entry instead, and the table is rebuilt without its blank
 * entries once they outnumber the live ones, so it stays bounded without ever deleting.
 */
const FORGET_HELPER = `function __twcForget(owner, field, key) {
  var table = owner[field];
  if (table[key] === undefined) return false;
  table[key] = undefined;
  var dead = (owner[field + "$dead"] || 0) + 1;
  if (dead >= (owner[field + "$compactAt"] || 32)) {
    var fresh = {}, live = 0;
    for (var k in table) if (table[k] !== undefined) { fresh[k] = table[k]; live++; }
    owner[field] = fresh;
    owner[field + "$compactAt"] = Math.max(32, 2 * live);
    dead = 0;
  }
  owner[field + "$dead"] = dead;
  return true;
}
`;

const BOTTLENECK_DELETES: Array<[string, string]> = [
  ['return delete this._jobs[id];', 'return __twcForget(this, "_jobs", id);'],
  ['delete this._jobs[id];', '__twcForget(this, "_jobs", id);'],
  ['delete this._scheduled[index];', '__twcForget(this, "_scheduled", index);'],
];

/**
 * The option defaults of the Redis datastore (which bottleneck/light does not carry: it only logs
 * "You must import the full version") and of `stop` (cut, BOTTLENECK_CUTS): nothing reads them here.
 */
const BOTTLENECK_UNUSED_DEFAULTS: Array<[string, string]> = [
  [
    `
  Bottleneck.prototype.redisStoreDefaults = {
    Promise: Promise,
    timeout: null,
    heartbeatInterval: 5000,
    clientTimeout: 10000,
    Redis: null,
    clientOptions: {},
    clusterNodes: null,
    clearDatastore: false,
    connection: null
  };
`.replace(/\n {2}/g, '\n\t  '),
    '',
  ],
  [
    `
  Bottleneck.prototype.stopDefaults = {
    enqueueErrorMessage: "This limiter has been stopped and cannot accept new jobs.",
    dropWaitingJobs: true,
    dropErrorMessage: "This limiter has been stopped."
  };
`.replace(/\n {2}/g, '\n\t  '),
    '',
  ],
];

/**
 * bottleneck's Group (a limiter per key) and Batcher, which the connector does not use (it has its
 * own batcher): about 5 KB of the bundle and 40 functions for NiL.JS to parse. Their slots on
 * Bottleneck say so if ever reached.
 */
const BOTTLENECK_UNUSED: [string, string] = [
  'var Events$2, Group, IORedisConnection$1, RedisConnection$1, Scripts$1, parser$3;',
  'var Batcher_1 = Batcher;',
];
const BOTTLENECK_UNUSED_STUB = `var Group_1 = function () { throw new Error('bottleneck Group is not built into this bundle'); };
var Batcher_1 = function () { throw new Error('bottleneck Batcher is not built into this bundle'); };`;

/** Replaces the text from `from` to the end of `to` (each found once) with `by`. */
function cutSource(file: string, source: string, [from, to]: [string, string], by: string): string {
  const start = source.indexOf(from);
  const end = source.indexOf(to, start);
  if (start < 0 || end < 0 || source.indexOf(from, start + 1) >= 0)
    throw new Error(
      `${file}: "${from}" ... "${to}" not found once (the package changed; see cli/build/esbuild-plugins.ts)`,
    );
  return source.slice(0, start) + by + source.slice(end + to.length);
}

/**
 * bottleneck/light's methods the connector never reaches: it makes a limiter, `schedule`s jobs and
 * `updateSettings` (connector/delivery/limiter.ts; the engine probe bundle only schedules). Left
 * out: the cluster and Redis-facing calls, reservoir reads and increments, counts and job lists,
 * `submit` (callback jobs), `wrap`, `chain` and `stop` (with what only they use). About 40
 * functions less to parse, 11 of them async. Each slot throws if ever reached (cut-methods.ts).
 */
const BOTTLENECK_CUTS: MethodCuts = {
  Bottleneck: [
    'ready',
    'clients',
    'channel',
    'channel_client',
    'publish',
    'disconnect',
    'chain',
    'clusterQueued',
    'running',
    'done',
    'jobs',
    'counts',
    'check',
    '_dropAllQueued',
    'stop',
    'submit',
    'wrap',
    'currentReservoir',
    'incrementReservoir',
  ],
  LocalDatastore: [
    '__publish__',
    '__disconnect__',
    '__running__',
    '__queued__',
    '__done__',
    '__groupCheck__',
    '__incrementReservoir__',
    '__currentReservoir__',
    '__check__',
  ],
  States: ['statusJobs', 'statusCounts'],
  Job: ['doExpire'],
  Queues: ['shiftAll'],
  DLList: ['getArray', 'forEachShift', 'debug'],
  Events: ['listenerCount'],
};

/**
 * The datastore's heartbeat exists for reservoir refreshes and increases, which the connector
 * never configures: without them bottleneck only clears a heartbeat it never started, as here;
 * with them the limiter refuses to start instead of running the interval left out.
 */
const BOTTLENECK_HEARTBEAT = `_startHeartbeat() {
    var o = this.storeOptions;
    if ((o.reservoirRefreshInterval != null && o.reservoirRefreshAmount != null) ||
        (o.reservoirIncreaseInterval != null && o.reservoirIncreaseAmount != null))
      throw new Error("bottleneck reservoir refresh and increase are not built into this bundle");
    return clearInterval(this.heartbeat);
  }`;

/**
 * The delivery layer's two libraries as the bundle takes them: bottleneck/light (the cuts and
 * patches above) and p-retry (cli/build/p-retry-cuts.ts).
 */
export function bottleneckForEnginePlugin(): Plugin {
  return {
    name: 'twc-delivery-libraries',
    setup(build) {
      build.onLoad({ filter: /[\\/]p-retry[\\/]index\.js$/ }, async (args) => ({
        contents: pRetrySource(args.path, await fs.promises.readFile(args.path, 'utf8')),
        loader: 'js',
      }));
      build.onLoad({ filter: /[\\/]bottleneck[\\/]light\.js$/ }, async (args) => {
        const uncut = cutSource(
          args.path,
          await fs.promises.readFile(args.path, 'utf8'),
          BOTTLENECK_UNUSED,
          BOTTLENECK_UNUSED_STUB,
        );
        const cut = cutMethods(args.path, uncut, BOTTLENECK_CUTS, '__twcCut', 'bottleneck ');
        const source = patchPackage(
          args.path,
          replaceMethod(args.path, cut, 'LocalDatastore', '_startHeartbeat', BOTTLENECK_HEARTBEAT, 'script'),
          [...BOTTLENECK_DELETES, ...BOTTLENECK_UNUSED_DEFAULTS],
        );
        // Appended, not prepended: a declaration hoists, and NiL.JS misreads one placed right before
        // the module's opening `(function (global, factory) {...})` as a call.
        return { contents: `${source}\n${FORGET_HELPER}${cutStubSource('__twcCut')}`, loader: 'js' };
      });
    },
  };
}

/**
 * promise-polyfill keeps each pending promise's reactions in an array made at construction. In V8
 * (the bench, the Node stand-in) the first push gives that array room for 17, about 150 bytes, and
 * nearly every promise only ever has one reaction: with a backlog of queued calls, each holding a
 * few pending promises, those arrays were a fifth of the heap per queued call. Here the reactions
 * are: none (undefined), one (the Handler itself), or several (an array), and the algorithm is
 * otherwise unchanged.
 */
const PROMISE_REACTIONS: Array<[string, string]> = [
  ['this._deferreds = [];', 'this._deferreds = undefined;'],
  [
    'self._deferreds.push(deferred);',
    'var ds = self._deferreds;\n    self._deferreds = ds === undefined ? deferred : ds instanceof Array ? (ds.push(deferred), ds) : [ds, deferred];',
  ],
  [
    'if (self._state === 2 && self._deferreds.length === 0) {',
    'if (self._state === 2 && self._deferreds === undefined) {',
  ],
  [
    `  for (var i = 0, len = self._deferreds.length; i < len; i++) {
    handle(self, self._deferreds[i]);
  }`,
    `  var all = self._deferreds;
  if (all instanceof Array) {
    for (var i = 0, len = all.length; i < len; i++) handle(self, all[i]);
  } else if (all !== undefined) handle(self, all);`,
  ],
];

/**
 * promise-polyfill's `any`, `allSettled` and `race`, which nothing in the bundle calls (nor has the
 * engine's own Promise the first two): left out, their slots throw if ever reached. Its default
 * `_immediateFn` (setImmediate or setTimeout) and unhandled-rejection printer are left out too:
 * engine/promise.ts sets both as soon as the module is evaluated, before any promise exists.
 */
const PROMISE_UNUSED: Array<[string, string]> = [
  ["import allSettled from './allSettled';\nimport any from './any';\n", ''],
  [
    'Promise.any = any;\n\nPromise.allSettled = allSettled;',
    'Promise.any = Promise.allSettled = Promise.race = function () {\n  throw new Error("Promise.any, Promise.allSettled and Promise.race are not built into this bundle");\n};',
  ],
  [
    `Promise.race = function(arr) {
  return new Promise(function(resolve, reject) {
    if (!isArray(arr)) {
      return reject(new TypeError('Promise.race accepts an array'));
    }

    for (var i = 0, len = arr.length; i < len; i++) {
      Promise.resolve(arr[i]).then(resolve, reject);
    }
  });
};
`,
    '',
  ],
  ['var setTimeoutFunc = setTimeout;\n', ''],
  [
    `Promise._immediateFn =
  // @ts-ignore
  (typeof setImmediate === 'function' &&
    function(fn) {
      // @ts-ignore
      setImmediate(fn);
    }) ||
  function(fn) {
    setTimeoutFunc(fn, 0);
  };
`,
    '',
  ],
  [
    `Promise._unhandledRejectionFn = function _unhandledRejectionFn(err) {
  if (typeof console !== 'undefined' && console) {
    console.warn('Possible Unhandled Promise Rejection:', err); // eslint-disable-line no-console
  }
};
`,
    '',
  ],
];

export function promiseReactionsPlugin(): Plugin {
  return {
    name: 'twc-promise-reactions',
    setup(build) {
      build.onLoad({ filter: /[\\/]promise-polyfill[\\/]src[\\/]index\.js$/ }, async (args) => ({
        contents: patchPackage(args.path, await fs.promises.readFile(args.path, 'utf8'), [
          ...PROMISE_REACTIONS,
          ...PROMISE_UNUSED,
        ]),
        loader: 'js',
      }));
    },
  };
}

/** Applies each [from, to] everywhere; a missing `from` fails the build (the package changed). */
function patchPackage(file: string, source: string, patches: Array<[string, string]>): string {
  return patchSource(file, source, patches, 'the package', 'cli/build/esbuild-plugins.ts');
}

/**
 * Built-ins NiL.JS lacks or gets wrong that the prelude no longer installs, because no bundle
 * called them (connector/platform/engine/builtins.ts): a bundle that starts calling one fails its
 * build here, naming it, rather than on the engine.
 */
export const ENGINE_BUILTINS_LEFT_OUT: Array<[string, RegExp]> = [
  ['Array.prototype.flat, flatMap or at', /\.(?:flat|flatMap|at)\(/],
  [
    'String.prototype.trimStart, trimEnd, replaceAll or matchAll',
    /\.(?:trimStart|trimEnd|replaceAll|matchAll)\(/,
  ],
  ['Object.values, fromEntries or setPrototypeOf', /\bObject\.(?:values|fromEntries|setPrototypeOf)\b/],
  ['Number.parseFloat, EPSILON or MAX_SAFE_INTEGER', /\bNumber\.(?:parseFloat|EPSILON|MAX_SAFE_INTEGER)\b/],
  ['Math.trunc, sign or log2 (log2 is inexact there)', /\bMath\.(?:trunc|sign|log2)\b/],
  ['WeakMap or WeakSet', /\bWeak(?:Map|Set)\b/],
  ['Set (its has is wrong on the 2021 build)', /(?<![\w$.'"-])Set\b(?!['"-])/],
];

/** `code` with its comments blanked out (esbuild keeps them): a comment calls nothing. */
function withoutComments(code: string): string {
  const comments: Array<[number, number]> = [];
  acorn.parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    onComment: (_block, _text, start, end) => comments.push([start, end]),
  });
  // Pieces joined once: splicing each comment out of the whole text is quadratic in the bundle.
  const pieces: string[] = [];
  let from = 0;
  for (const [start, end] of comments) {
    pieces.push(code.slice(from, start), ' '.repeat(end - start));
    from = end;
  }
  pieces.push(code.slice(from));
  return pieces.join('');
}

/** What of ENGINE_BUILTINS_LEFT_OUT `source` calls, each with the text around its first call. */
export function leftOutBuiltinsCalled(source: string): string[] {
  const code = withoutComments(source);
  const found: string[] = [];
  for (const [name, pattern] of ENGINE_BUILTINS_LEFT_OUT) {
    const match = pattern.exec(code);
    if (match)
      found.push(
        `the bundle calls ${name} ("${code.slice(Math.max(0, match.index - 40), match.index + 40).replace(/\s+/g, ' ')}"), which NiL.JS lacks and connector/platform/engine/builtins.ts does not install: install it there (and drop it from ENGINE_BUILTINS_LEFT_OUT) or avoid it`,
      );
  }
  return found;
}

/**
 * In the connector's bundle the engine layer is not bundled again: engine/index.ts is served from
 * the prelude's instance (one job queue, one Promise, one hook target), and host-boundary.ts is
 * swapped for its bundle twin whose hooks are the native async functions the build appends. The
 * bundle is also held to the built-ins the engine layer provides (ENGINE_BUILTINS_LEFT_OUT).
 */
export function engineLinkPlugin(): Plugin {
  return {
    name: 'twc-engine-link',
    setup(build) {
      build.onLoad({ filter: /host-boundary\.ts$/ }, (args) =>
        args.path === HOST_BOUNDARY
          ? { contents: fs.readFileSync(HOST_BOUNDARY_BUNDLE, 'utf8'), loader: 'ts', resolveDir: ENGINE_DIR }
          : undefined,
      );
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'twc-engine-link' || args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'twc-engine-link',
        });
        if (resolved.errors.length > 0) return undefined;
        if (resolved.path === ENGINE_INDEX) return { path: 'engine-api', namespace: 'twc-engine' };
        if (resolved.path.startsWith(ENGINE_DIR + path.sep) && resolved.path !== HOST_BOUNDARY_BUNDLE) {
          return {
            errors: [
              {
                text: `${path.relative(REPO_ROOT, args.importer)} imports ${args.path}: outside the engine layer, import connector/platform/engine/index.ts only`,
              },
            ],
          };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'twc-engine' }, () => ({
        contents: engineApiModuleSource(),
        loader: 'js',
      }));
      // What the bundle may call of the engine's built-ins: see ENGINE_BUILTINS_LEFT_OUT.
      build.onEnd((result) => {
        for (const file of result.outputFiles ?? []) {
          if (!file.path.endsWith('.js')) continue;
          const called = leftOutBuiltinsCalled(file.text);
          if (called.length > 0) throw new Error(called.join('\n'));
        }
      });
    },
  };
}

/**
 * Serves the listed packages (bare names) and connector source files (absolute paths) from the given
 * stub sources instead of node_modules or the file.
 */
export function stubModulesPlugin(stubs: Record<string, string>): Plugin {
  const names = Object.keys(stubs).filter((n) => !path.isAbsolute(n));
  const files = Object.keys(stubs).filter((n) => path.isAbsolute(n));
  const escape = (n: string): string => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return {
    name: 'twc-stub-modules',
    setup(build) {
      if (names.length > 0) {
        const filter = new RegExp(`^(${names.map(escape).join('|')})$`);
        build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'twc-stub' }));
        // resolveDir: a stub may import a connector file (the shared message, not-built-in.ts).
        build.onLoad({ filter: /.*/, namespace: 'twc-stub' }, (args) => ({
          contents: stubs[args.path],
          loader: 'js',
          resolveDir: REPO_ROOT,
        }));
      }
      if (files.length > 0) {
        const filter = new RegExp(`^(${files.map(escape).join('|')})$`);
        build.onLoad({ filter }, (args) => ({ contents: stubs[args.path], loader: 'ts' }));
      }
    },
  };
}
