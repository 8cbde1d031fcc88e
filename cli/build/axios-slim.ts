/**
 * The smallest axios the connector needs over the host's fetch. connector/platform/http.ts builds
 * its client with `new axios.Axios({ adapter, transformRequest: [], ... })` and uses
 * `AxiosError` and `AxiosHeaders`; `axios.create` (the probe bundle of the engine tests) keeps
 * axios's request methods (`get`, `post`...). So the bundle takes axios's core (Axios, mergeConfig, AxiosHeaders, AxiosError,
 * dispatchRequest: header normalization, status validation, JSON bodies) and leaves out what only its defaults and top-level export reach: form-data and
 * URL-encoded bodies, its own adapters and their platform detection, the `params` serializer,
 * CancelToken, HttpStatusCode, `spread`, `all`. Inside the core, the methods and functions nothing
 * in the bundle reaches are cut or replaced too (AXIOS_CUTS, AXIOS_FUNCTIONS, AXIOS_REQUEST, AXIOS_DISPATCH
 * below).
 * The connector's Node tools import the real axios; only the upload bundle uses these sources.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import { cutMethods, patchSource, replaceFunction, replaceMethod, type MethodCuts } from './cut-methods';

/** Replaces `axios` (its index) in the bundle. */
export const AXIOS_ENTRY_SOURCE = `
import Axios from 'axios/unsafe/core/Axios.js';
import mergeConfig from 'axios/unsafe/core/mergeConfig.js';
import defaults from 'axios/unsafe/defaults/index.js';
import AxiosError from 'axios/unsafe/core/AxiosError.js';
import AxiosHeaders from 'axios/unsafe/core/AxiosHeaders.js';
import methodList from 'axios/unsafe/core/methodList.js';

function create(instanceConfig) {
  var context = new Axios(mergeConfig(defaults, instanceConfig || {}));
  // Callable like axios's own instances, with its request methods bound to the context.
  var instance = function (config) { return context.request(config); };
  ['request', 'getUri'].concat(methodList).forEach(function (name) {
    if (typeof context[name] === 'function')
      instance[name] = function () { return context[name].apply(context, arguments); };
  });
  instance.defaults = context.defaults;
  instance.interceptors = context.interceptors;
  return instance;
}

var axios = create({});
axios.create = create;
axios.Axios = Axios;
export default axios;
export { AxiosError, AxiosHeaders };
`;

/**
 * Replaces axios/lib/defaults/index.js: the same defaults, with body transforms for JSON and text
 * only (no FormData, Blob, URL-encoded or stream bodies: the engine has none of them; an
 * unparsable JSON body fails as a plain AxiosError, not one wrapping the parser's error), no
 * platform detection, and no `transitional` flags: the body transforms here read none of them,
 * and the one mergeConfig reads (validateStatusUndefinedResolves) acts only when set to false.
 */
export const AXIOS_DEFAULTS_SOURCE = `
import methodList from '../core/methodList.js';
import AxiosError from '../core/AxiosError.js';
function toJson(data, headers) {
  if (data === null || typeof data !== 'object') return data;
  headers.setContentType('application/json', false);
  return JSON.stringify(data);
}
function fromJson(data) {
  if (typeof data !== 'string' || data === '' || (this.responseType && this.responseType !== 'json')) return data;
  try {
    return JSON.parse(data);
  } catch (e) {
    if (this.responseType === 'json') throw new AxiosError(e.message, AxiosError.ERR_BAD_RESPONSE, this, null, this.response);
    return data;
  }
}
var defaults = {
  adapter: [],
  transformRequest: [toJson],
  transformResponse: [fromJson],
  timeout: 0,
  xsrfCookieName: 'XSRF-TOKEN',
  xsrfHeaderName: 'X-XSRF-TOKEN',
  maxContentLength: -1,
  maxBodyLength: -1,
  env: { FormData: null, Blob: null },
  validateStatus: function validateStatus(status) { return status >= 200 && status < 300; },
  headers: { common: { Accept: 'application/json, text/plain, */*', 'Content-Type': undefined } }
};
methodList.forEach(function (method) { defaults.headers[method] = {}; });
export default defaults;
`;

/** Replaces axios/lib/adapters/adapters.js: the connector's adapter is always a function. */
export const AXIOS_ADAPTERS_SOURCE = `
import AxiosError from '../core/AxiosError.js';
function getAdapter(adapter) {
  var first = Array.isArray(adapter) ? adapter[0] : adapter;
  if (typeof first === 'function') return first;
  throw new AxiosError('This bundle carries no axios adapter of its own: pass an adapter function', AxiosError.ERR_NOT_SUPPORT);
}
export default { getAdapter: getAdapter, adapters: {} };
`;

/**
 * Replaces axios/lib/helpers/AxiosURLSearchParams.js (and with it toFormData): only `params` reach
 * it, and the connector puts its queries in the URL itself.
 */
export const AXIOS_PARAMS_SOURCE = `
export default function AxiosURLSearchParams() {
  throw new Error('axios params are not built into this bundle: put the query in the URL');
}
`;

/**
 * `Axios.prototype.request` without its stack stitching: on a failed request axios splices the
 * caller's frames into the error's `stack` (Error.captureStackTrace, which the engine lacks, or a
 * dummy Error). The connector never reads a stack (connector/platform/http.ts turns every failure
 * into an HttpTransportError from its code and message), so only the promise is kept: a throw
 * while building the request still comes back as a rejection, as from the async original.
 */
const AXIOS_REQUEST = `request(configOrUrl, config) {
    try {
      return Promise.resolve(this._request(configOrUrl, config));
    } catch (err) {
      return Promise.reject(err);
    }
  }`;

/**
 * `Axios.prototype._request` for this bundle: merge the config, lower-case the method, flatten the
 * header buckets (`common` and the method's) into one AxiosHeaders, dispatch. Left out, as
 * nothing in the bundle can reach them: the interceptor chains (no interceptor can be added:
 * InterceptorManager's `use` is cut, so both chains are always empty); `transitional` options
 * (refused: of them only validateStatusUndefinedResolves was read, by mergeConfig, cut with
 * them); the validator's check of `paramsSerializer` (params are refused, AXIOS_MERGE_PARAMS) and
 * its console warnings for the misspellings `baseUrl` and `withXsrfToken`; `allowAbsoluteUrls`,
 * read by axios's own adapters only. A header bucket is a
 * plain object, AxiosHeaders or nullish, as axios judges it (its brand probe for AxiosHeaders of
 * another axios copy aside: the bundle has one). Written against the reviewed original
 * (AXIOS_REQUEST_REVIEWED): a new axios fails the build until it is compared again.
 */
const AXIOS_DISPATCH = `_request(configOrUrl, config) {
    if (typeof configOrUrl === 'string') {
      config = config || {};
      config.url = configOrUrl;
    } else {
      config = configOrUrl || {};
    }
    config = mergeConfig(this.defaults, config);
    if (config.transitional !== undefined)
      throw new Error('axios transitional options are not built into this bundle');
    config.method = (
      utils.getSafeProp(config, 'method') ||
      utils.getSafeProp(this.defaults, 'method') ||
      'get'
    ).toLowerCase();
    const headers = config.headers;
    const bucket = (value) => value == null || utils.isPlainObject(value) || value instanceof AxiosHeaders;
    const common = utils.getSafeProp(headers, 'common');
    const own = utils.getSafeProp(headers, config.method);
    const contextHeaders = headers && utils.merge(bucket(common) ? common : undefined, bucket(own) ? own : undefined);
    headers &&
      methodList.concat('common').forEach((method) => {
        if (utils.hasOwnProp(headers, method) && bucket(headers[method])) delete headers[method];
      });
    config.headers = AxiosHeaders.concat(contextHeaders, headers);
    return dispatchRequest.call(this, config);
  }`;
const AXIOS_REQUEST_REVIEWED = '9832683ef6dd';

/**
 * mergeConfig's merge of `params`: a copy that guards against cycles (with WeakMaps and Sets).
 * The bundle serializes no params (AXIOS_PARAMS_SOURCE) and the connector's adapter reads the URL
 * alone, so a request with params is refused here, when its config is merged.
 */
const AXIOS_MERGE_PARAMS = `function mergeParams(a, b) {
  if (a === undefined && b === undefined) return undefined;
  throw new Error('axios params are not built into this bundle: put the query in the URL');
}`;

/** Top-level functions replaced, by file: mergeParams (above); buildAccessors, which only
 * AxiosHeaders.accessor used (see AXIOS_ACCESSORS_CALL). */
const AXIOS_FUNCTIONS: Record<string, Record<string, string>> = {
  'core/mergeConfig.js': { mergeParams: AXIOS_MERGE_PARAMS },
  'core/AxiosHeaders.js': { buildAccessors: '' },
};

/** The name the cut methods' stub is imported as (cut-methods.ts; served by esbuild-plugins.ts). */
export const AXIOS_CUT_STUB = 'twc:axios-cut';

/**
 * Methods of axios's classes the connector (and the engine probe bundle, which goes through
 * `axios.create` and `get`/`post`) never reaches: header lookups by name or matcher (the
 * connector reads headers whole with `toJSON`), header deletion, Set-Cookie and parameter
 * parsing, the headers' text form (`toString`: the adapter reads them with `toJSON`), an error's JSON form with config redaction and `AxiosError.from`, which wraps an
 * error with its cause's stack (no AxiosError leaves http.ts; the JSON body transform of
 * AXIOS_DEFAULTS_SOURCE makes its own), adding,
 * removing or walking interceptors (none is ever added: AXIOS_DISPATCH walks none), and `getUri`
 * (with the URL building only it reaches here). Each slot throws if reached (cut-methods.ts).
 */
const AXIOS_CUTS: Record<string, MethodCuts> = {
  'core/AxiosHeaders.js': {
    AxiosHeaders: [
      'get',
      'has',
      'delete',
      'clear',
      'getSetCookie',
      'toString',
      'static parseParameters',
      'static accessor',
    ],
  },
  'core/AxiosError.js': { AxiosError: ['toJSON', 'static from'] },
  'core/InterceptorManager.js': { InterceptorManager: ['use', 'eject', 'clear', 'forEach'] },
  'core/Axios.js': { Axios: ['getUri'] },
};

/**
 * Of the 18 header accessors axios defines at load (get/set/has for six headers, through
 * `AxiosHeaders.accessor`), the bundle only ever calls `setContentType` (dispatchRequest, the JSON
 * body transform of AXIOS_DEFAULTS_SOURCE): that one is defined as axios would, the rest left out.
 */
const AXIOS_ACCESSORS_CALL = `AxiosHeaders.accessor([
  'Content-Type',
  'Content-Length',
  'Accept',
  'Accept-Encoding',
  'User-Agent',
  'Authorization',
]);`;
const AXIOS_SET_CONTENT_TYPE = `Object.defineProperty(AxiosHeaders.prototype, 'setContentType', {
  value: function (value, rewrite) {
    return this.set('Content-Type', value, rewrite);
  },
  configurable: true,
});`;

/**
 * `AxiosHeaders.prototype.set`'s branches for raw header text ("Name: value" lines, parsed by
 * helpers/parseHeaders.js) and for iterables of pairs (Map, Headers): axios's own adapters hand
 * those over; in this bundle headers come as plain objects or AxiosHeaders (the connector's
 * requests, http.ts's adapter), so either is refused by name instead.
 */
const AXIOS_SET_FROM_TEXT_OR_ITERABLE = `    } else if (utils.isString(header) && (header = header.trim()) && !isValidHeaderName(header)) {
      setHeaders(parseHeaders(header), valueOrRewrite);
    } else if (utils.isObject(header) && utils.isSafeIterable(header)) {
      let obj = Object.create(null),
        dest,
        key;
      for (const entry of header) {
        if (!utils.isArray(entry)) {
          throw new TypeError('Object iterator must return a key-value pair');
        }

        key = entry[0];

        if (utils.hasOwnProp(obj, key)) {
          dest = obj[key];
          obj[key] = utils.isArray(dest) ? [...dest, entry[1]] : [dest, entry[1]];
        } else {
          obj[key] = entry[1];
        }
      }

      setHeaders(obj, valueOrRewrite);`;
const AXIOS_SET_REFUSED = `    } else if (
      (utils.isString(header) && (header = header.trim()) && !isValidHeaderName(header)) ||
      (utils.isObject(header) && utils.isSafeIterable(header))
    ) {
      throw new Error('axios headers as raw text or as an iterable are not built into this bundle: pass a plain object');`;

/**
 * `freezeMethods(AxiosHeaders)` redefines the class function's own `length` and `name` with
 * Object.defineProperties: NiL.JS throws NotImplementedException there, at load. Freezing methods
 * against reassignment is a courtesy the bundle does without.
 */
const AXIOS_PATCHES: Record<string, Array<[string, string]>> = {
  // Only the validator's checks in _request read it (AXIOS_DISPATCH leaves them out).
  'core/Axios.js': [['const validators = validator.validators;', '']],
  // The interceptor table behind use/eject/forEach, all cut: two Maps less per Axios instance.
  // What `transitional.validateStatusUndefinedResolves: false` changes; AXIOS_DISPATCH refuses
  // every `transitional` option, so it is never set here.
  'core/mergeConfig.js': [
    [
      `
  if (
    utils.hasOwnProp(config2, 'validateStatus') &&
    utils.isUndefined(config2.validateStatus) &&
    getMergedTransitionalOption(config1, config2, 'validateStatusUndefinedResolves') === false
  ) {
    if (utils.hasOwnProp(config1, 'validateStatus')) {
      config.validateStatus = getMergedValue(undefined, config1.validateStatus);
    } else {
      delete config.validateStatus;
    }
  }
`,
      '',
    ],
  ],
  'core/InterceptorManager.js': [
    [
      `
    this[$internals] = {
      handlersRef: this.handlers,
      handlersLength: this.handlers.length,
      handlerEntries: new Map(),
      iterationDepth: 0,
      nextId: 0,
    };`,
      '',
    ],
  ],
  'core/AxiosHeaders.js': [
    ['utils.freezeMethods(AxiosHeaders);', '/* freezeMethods left out for NiL.JS */'],
    [AXIOS_ACCESSORS_CALL, AXIOS_SET_CONTENT_TYPE],
    [AXIOS_SET_FROM_TEXT_OR_ITERABLE, AXIOS_SET_REFUSED],
  ],
};

/** axios files the bundle serves from the sources above, by their path under axios/lib. */
export const AXIOS_REPLACED: Record<string, string> = {
  'defaults/index.js': AXIOS_DEFAULTS_SOURCE,
  'adapters/adapters.js': AXIOS_ADAPTERS_SOURCE,
  'helpers/AxiosURLSearchParams.js': AXIOS_PARAMS_SOURCE,
};

/** The files under axios/lib the entry above imports first (the rest are found from them). */
const AXIOS_ENTRY_FILES = [...AXIOS_ENTRY_SOURCE.matchAll(/from 'axios\/unsafe\/([^']+)'/g)].map(
  (m) => m[1] as string,
);

/**
 * A file under axios/lib as the bundle sees it: ours when replaced, else the package's with the
 * cuts and patches above (each fails the build when what it cuts or patches is not found).
 */
export function axiosLibSource(libDir: string, under: string): string {
  const replaced = AXIOS_REPLACED[under];
  if (replaced !== undefined) return replaced;
  const file = path.join(libDir, under);
  let source = fs.readFileSync(file, 'utf8');
  if (under === 'core/Axios.js') {
    source = replaceMethod(file, source, 'Axios', 'request', AXIOS_REQUEST);
    source = replaceMethod(
      file,
      source,
      'Axios',
      '_request',
      AXIOS_DISPATCH,
      'module',
      AXIOS_REQUEST_REVIEWED,
    );
  }
  const functions = AXIOS_FUNCTIONS[under] || {};
  for (const name of Object.keys(functions))
    source = replaceFunction(file, source, name, functions[name] as string);
  source = patchSource(file, source, AXIOS_PATCHES[under] || [], 'axios', 'cli/build/axios-slim.ts');
  const cuts = AXIOS_CUTS[under];
  if (cuts)
    source = `import __twcCut from '${AXIOS_CUT_STUB}';\n${cutMethods(file, source, cuts, '__twcCut', 'axios ', 'module')}`;
  return withoutUnusedImports(source);
}

/**
 * A module's text without the imports nothing in it reads any more (what the cuts left unread):
 * the bundler would drop them too, but axiosLibUse follows imports, and would keep the utils
 * members those files read.
 */
function withoutUnusedImports(source: string): string {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  const read = new Set<string>();
  for (const statement of program.body as AnyNode[])
    if (statement.type !== 'ImportDeclaration') namesUnder(statement, read);
  let out = source;
  for (const statement of [...(program.body as AnyNode[])].reverse()) {
    const specifiers = statement.specifiers as Array<{ local: { name: string } }> | undefined;
    if (statement.type !== 'ImportDeclaration' || !specifiers || specifiers.length === 0) continue;
    if (specifiers.every((sp) => !read.has(sp.local.name)))
      out = out.slice(0, statement.start) + out.slice(statement.end);
  }
  return out;
}

/** What the bundle takes of axios/lib: see axiosLibUse. */
export interface AxiosLibUse {
  /** Each file taken (path under axios/lib), with the source the bundle takes of it (axiosLibSource). */
  files: Map<string, string>;
  /** The members of axios's `utils` those files read. */
  utils: Set<string>;
}

/** Per axios/lib directory: the walk parses every file it takes, and each build asks twice. */
const libUses = new Map<string, AxiosLibUse>();

/**
 * The axios/lib files the bundle takes (following relative imports from the entry) and the
 * members of axios's `utils` object they read. `utils` is one object literal of some sixty
 * helpers, so the bundler keeps them all; the bundle's utils.js keeps only these (AXIOS_UTILS).
 * A file passing `utils` around whole fails the build: then no member could be left out. Made once
 * per directory in a process: the installed package does not change under a running build.
 */
export function axiosLibUse(libDir: string): AxiosLibUse {
  const known = libUses.get(libDir);
  if (known) return known;
  const files = new Map<string, string>();
  const utils = new Set<string>();
  const visit = (under: string): void => {
    if (files.has(under)) return;
    const source = axiosLibSource(libDir, under);
    files.set(under, source);
    for (const m of source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g))
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(under), m[1] as string)));
    if (under === 'utils.js') return;
    for (const m of source.replace(/^import [^\n]*\n/gm, '').matchAll(/\butils\b(\.(\w+))?/g)) {
      if (!m[2]) throw new Error(`axios/lib/${under} uses axios's utils whole (see cli/build/axios-slim.ts)`);
      utils.add(m[2]);
    }
  };
  AXIOS_ENTRY_FILES.forEach(visit);
  const use = { files, utils };
  libUses.set(libDir, use);
  return use;
}

/**
 * axios/lib/utils.js with its exported object reduced to the members in `keep`, and then its
 * top-level declarations that no kept member reaches (through other declarations) left out: the
 * bundler must keep those whose initializer calls something (the global lookup, the
 * setImmediate/postMessage probe, the `kindOfTest` closures), though nothing reads them.
 */
export function slimAxiosUtils(source: string, keep: Set<string>): string {
  const start = source.lastIndexOf('\nexport default {\n');
  const end = source.indexOf('\n};', start);
  if (start < 0 || end < 0) throw new Error('axios/lib/utils.js: no `export default {...}` (axios changed)');
  const members = source
    .slice(start + '\nexport default {\n'.length, end)
    .split('\n')
    .filter((line) => keep.has((line.trim().match(/^(\w+)/) || [])[1] || ''));
  const slim = `${source.slice(0, start)}\nexport default {\n${members.join('\n')}\n};${source.slice(end + 3)}`;
  return withoutUnreachedDeclarations(slim);
}

type AnyNode = acorn.Node & Record<string, unknown>;

/** Every identifier name under `node` (property keys too: more than read, never less). */
function namesUnder(node: AnyNode, into: Set<string>): Set<string> {
  if (node.type === 'Identifier') into.add(node.name as string);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value])
      if (child && typeof (child as AnyNode).type === 'string') namesUnder(child as AnyNode, into);
  }
  return into;
}

/** A module's text without the top-level declarations nothing else in it reaches. */
function withoutUnreachedDeclarations(source: string): string {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  const declarations: Array<{ node: AnyNode; declares: Set<string>; reads: Set<string> }> = [];
  const roots = new Set<string>();
  for (const statement of program.body as AnyNode[]) {
    const declares = new Set<string>();
    if (statement.type === 'FunctionDeclaration') declares.add((statement.id as { name: string }).name);
    else if (statement.type === 'VariableDeclaration')
      for (const d of statement.declarations as AnyNode[]) namesUnder(d.id as AnyNode, declares);
    if (declares.size === 0) namesUnder(statement, roots);
    else declarations.push({ node: statement, declares, reads: namesUnder(statement, new Set()) });
  }
  const reached = new Set<string>(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of declarations) {
      if (![...d.declares].some((name) => reached.has(name))) continue;
      for (const name of d.reads) {
        if (reached.has(name)) continue;
        reached.add(name);
        grew = true;
      }
    }
  }
  let out = source;
  for (const d of declarations.reverse())
    if (![...d.declares].some((name) => reached.has(name)))
      out = out.slice(0, d.node.start) + out.slice(d.node.end);
  return out;
}
