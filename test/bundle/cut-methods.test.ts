import * as path from 'node:path';
import * as vm from 'node:vm';
import * as fs from 'node:fs';
import { axiosLibSource, axiosLibUse, slimAxiosUtils } from '../../cli/build/axios-slim';
import { pRetrySource } from '../../cli/build/p-retry-cuts';
import {
  cutMethods,
  cutStubSource,
  replaceFunction,
  replaceMethod,
  sourceFingerprint,
} from '../../cli/build/cut-methods';

/** Two classes as a package ships them: one assigned (`X = class X {}`), one declared. */
const PACKAGE = [
  'var Queue;',
  'Queue = class Queue {',
  '  constructor() { this.items = []; }',
  '  push(x) { this.items.push(x); return this.items.length; }',
  '  debug() { return JSON.stringify(this.items); }',
  '};',
  'class Limiter {',
  '  schedule(job) { return job(); }',
  '  async stop() { return "stopped"; }',
  '  static from(x) { return new Limiter(x); }',
  '  static version() { return "1"; }',
  '}',
  'result = { Queue: Queue, Limiter: Limiter };',
].join('\n');

type Methods = Record<string, (...args: unknown[]) => unknown>;
interface Loaded {
  Queue: new () => Methods;
  Limiter: (new () => Methods) & Methods;
}

function run(source: string): Loaded {
  const sandbox: { result?: unknown } = {};
  vm.runInNewContext(`${source}\n${cutStubSource('__cut')}`, sandbox);
  return sandbox.result as Loaded;
}

describe('cutMethods', () => {
  const cut = cutMethods(
    'pkg.js',
    PACKAGE,
    { Queue: ['debug'], Limiter: ['stop', 'static version'] },
    '__cut',
    'pkg ',
  );

  it('removes the named methods and keeps the others working', () => {
    expect(cut).not.toContain('JSON.stringify');
    expect(cut).not.toContain('"stopped"');
    const { Queue, Limiter } = run(cut);
    const queue = new Queue();
    expect(queue.push!(1)).toBe(1);
    expect(queue.push!(2)).toBe(2);
    expect(new Limiter().schedule!(() => 42)).toBe(42);
    expect(Limiter.from!(1)).toBeInstanceOf(Limiter);
  });

  it('leaves a thrower in each cut slot that names the package, class and method', () => {
    const { Queue, Limiter } = run(cut);
    expect(() => new Queue().debug!()).toThrow('pkg Queue.prototype.debug is not built into this bundle');
    expect(() => new Limiter().stop!()).toThrow('pkg Limiter.prototype.stop is not built into this bundle');
    expect(() => Limiter.version!()).toThrow('pkg Limiter.version is not built into this bundle');
  });

  it('fails the build when a class or method to cut is not there (the package changed)', () => {
    expect(() => cutMethods('pkg.js', PACKAGE, { Queue: ['shiftAll'] }, '__cut', '')).toThrow(
      'pkg.js: class Queue has no method shiftAll to cut',
    );
    expect(() => cutMethods('pkg.js', PACKAGE, { Limiter: ['version'] }, '__cut', '')).toThrow(
      'has no method version',
    );
    expect(() => cutMethods('pkg.js', PACKAGE, { Group: ['key'] }, '__cut', '')).toThrow(
      'pkg.js: class Group not found once',
    );
  });
});

describe('replaceMethod and replaceFunction', () => {
  it('replace one method or top-level function, and fail when it is not found once', () => {
    const replaced = replaceMethod(
      'pkg.js',
      PACKAGE,
      'Limiter',
      'schedule',
      'schedule(job) { return -1; }',
      'script',
    );
    expect(new (run(replaced).Limiter)().schedule!(() => 42)).toBe(-1);
    expect(() => replaceMethod('pkg.js', PACKAGE, 'Limiter', 'wrap', '', 'script')).toThrow(
      'method Limiter.wrap not found once',
    );
    const module = 'export function a() { return 1; }\nfunction b() { return 2; }\nexport default b;';
    expect(replaceFunction('m.js', module, 'b', 'function b() { return 3; }')).toContain('return 3');
    expect(() => replaceFunction('m.js', module, 'c', '')).toThrow('m.js: function c not found once');
  });

  it('with a reviewed fingerprint, replace only the original it was written against', () => {
    const original = 'schedule(job) { return job(); }';
    const reviewed = sourceFingerprint(original);
    const replaced = replaceMethod(
      'pkg.js',
      PACKAGE,
      'Limiter',
      'schedule',
      'schedule() {}',
      'script',
      reviewed,
    );
    expect(replaced).toContain('schedule() {}');
    const changed = PACKAGE.replace('return job();', 'return job(1);');
    expect(() =>
      replaceMethod('pkg.js', changed, 'Limiter', 'schedule', 'schedule() {}', 'script', reviewed),
    ).toThrow(
      `pkg.js: method Limiter.schedule changed since its replacement was written (fingerprint ${sourceFingerprint('schedule(job) { return job(1); }')}, reviewed ${reviewed})`,
    );
    const module = 'function b() { return 2; }\nexport default b;';
    expect(() => replaceFunction('m.js', module, 'b', '', '000000000000')).toThrow(
      'm.js: function b changed since its replacement was written',
    );
  });
});

describe("the bundle's axios sources", () => {
  const libDir = path.join(path.dirname(require.resolve('axios/package.json')), 'lib');

  it('carry the cuts, and the utils members they no longer read are left out', () => {
    const headers = axiosLibSource(libDir, 'core/AxiosHeaders.js');
    expect(headers).toContain(
      '"axios AxiosHeaders.prototype", ["get","has","delete","clear","toString","getSetCookie"]',
    );
    expect(headers).not.toContain('AxiosHeaders.accessor([');
    expect(headers).toContain("'setContentType'");
    expect(axiosLibSource(libDir, 'core/Axios.js')).not.toContain('captureStackTrace');
    expect(axiosLibSource(libDir, 'core/mergeConfig.js')).toContain(
      'axios params are not built into this bundle',
    );
    // Only the header accessors read toCamelCase.
    expect(axiosLibUse(libDir).utils.has('toCamelCase')).toBe(false);
  });

  it('dispatch without validator or interceptor chains, and refuse what they would have judged', () => {
    const axiosJs = axiosLibSource(libDir, 'core/Axios.js');
    expect(axiosJs).not.toContain('validators.');
    expect(axiosJs).not.toContain('requestInterceptorChain');
    expect(axiosJs).toContain("'axios transitional options are not built into this bundle'");
    expect(axiosJs).toContain('"axios Axios.prototype", ["getUri"]');
    expect(axiosLibSource(libDir, 'core/InterceptorManager.js')).not.toContain('new Map()');
    expect(axiosLibSource(libDir, 'core/AxiosError.js')).toContain('"axios AxiosError", ["from"]');
    expect(axiosLibSource(libDir, 'core/mergeConfig.js')).not.toContain(
      "getMergedTransitionalOption(config1, config2, 'validateStatusUndefinedResolves')",
    );
    const headers = axiosLibSource(libDir, 'core/AxiosHeaders.js');
    expect(headers).not.toContain('parseHeaders(header)');
    expect(headers).toContain('axios headers as raw text or as an iterable are not built into this bundle');
  });

  it("the bundle's utils.js keeps only the declarations its members reach", () => {
    const utils = [
      'const probe = (() => { globalThis.touched = true; return 1; })();',
      'const inner = (x) => x + 1;',
      'function kept(x) { return inner(x); }',
      'function dropped() { return probe; }',
      'export default {',
      '  kept,',
      '  dropped,',
      '};',
      '',
    ].join('\n');
    const slim = slimAxiosUtils(utils, new Set(['kept']));
    expect(slim).toContain('function kept(x)');
    expect(slim).toContain('const inner');
    expect(slim).not.toContain('dropped');
    expect(slim).not.toContain('probe');
  });
});

describe("the bundle's p-retry", () => {
  const file = require.resolve('p-retry');
  const source = fs.readFileSync(file, 'utf8');

  it('refuses the options it is built without, and leaves out what served them', () => {
    const cut = pRetrySource(file, source);
    expect(cut).toContain(
      "throw new Error('p-retry signal, maxRetryTime, shouldConsumeRetry and unref are not built into this bundle')",
    );
    expect(cut).not.toContain('options.signal?.');
    expect(cut).not.toContain('isNetworkError(');
    expect(cut).not.toContain('const startTime = performance.now()');
  });

  it('fails the build when p-retry changes what it replaces or patches', () => {
    expect(() =>
      pRetrySource(file, source.replace('normalizedError instanceof AbortError', 'false')),
    ).toThrow('function onAttemptFailure changed since its replacement was written');
    expect(() =>
      pRetrySource(file, source.replace('options.shouldConsumeRetry ??= () => true;', '')),
    ).toThrow('"options.shouldConsumeRetry ??= () => true;" not found (p-retry changed');
  });
});
