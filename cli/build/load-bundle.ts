/**
 * Loads a BUILT upload bundle the way the platform does (module, `neo/secrets`, default export
 * called with a `context` whose `register` records the hooks), in a node:vm context stripped to
 * NiL.JS's built-ins (engine-floor.ts). Only what the caller lends is added: fetch, timers
 * (setTimeout/clearTimeout), console. The context's own Promise is still V8's.
 *
 * The bundle is an ES module; vm runs scripts. Its one `import { ... } from 'neo/secrets'` and its
 * default export are rewritten at their acorn positions (never by regex) so it runs as a script.
 */
import * as vm from 'node:vm';
import * as acorn from 'acorn';
import { engineFloorScript, loseLateRejections, type EngineProfile } from './engine-floor';

export type BundleHook = (...args: unknown[]) => Promise<void>;

export interface LoadBundleOptions {
  fetch?: unknown;
  /** Lend Node's setTimeout/clearTimeout (true), or these (a test that counts what the bundle arms). */
  timers?: boolean | LentTimers;
  secrets: Record<string, string>;
  console?: Partial<Record<'log' | 'info' | 'warn' | 'error', (line: string) => void>>;
  /** Which measured NiL.JS build's faults the context carries (default: the newest's). */
  engine?: EngineProfile;
}

export interface LentTimers {
  setTimeout(fn: () => void, ms?: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LoadedBundle {
  /** The hooks, called the way the host calls them: arguments are the context's own objects. */
  hooks: { OnPassInstalled: BundleHook; OnPassUninstalled: BundleHook };
  /** The functions exactly as the bundle registered them. */
  registered: { OnPassInstalled: BundleHook; OnPassUninstalled: BundleHook };
  /** Every line the bundle wrote through console, in order. */
  logs: string[];
  /** The registration keys, in call order. */
  registrations: string[];
  context: vm.Context;
}

const MODULES_VAR = '__twc_modules';
const EXPORTS_VAR = '__twc_exports';

interface Edit {
  start: number;
  end: number;
  text: string;
}

type AnyNode = acorn.Node & Record<string, unknown>;

/** The bundle as a script: imports read from `__twc_modules`, exports written to `__twc_exports`. */
export function moduleToScript(code: string): string {
  const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as {
    body: AnyNode[];
  };
  const edits: Edit[] = [];
  let tail = '';
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      const source = String((node.source as AnyNode).value);
      if (!/^neo\//.test(source))
        throw new Error(`The bundle imports "${source}": only neo/* modules exist on the platform`);
      const decls = (node.specifiers as AnyNode[]).map((s) => {
        if (s.type !== 'ImportSpecifier') throw new Error(`Unsupported import form from "${source}"`);
        const imported = (s.imported as AnyNode).name as string;
        const local = (s.local as AnyNode).name as string;
        return `${local} = ${MODULES_VAR}[${JSON.stringify(source)}].${imported}`;
      });
      edits.push({ start: node.start, end: node.end, text: decls.length ? `var ${decls.join(', ')};` : '' });
    } else if (node.type === 'ExportDefaultDeclaration') {
      const decl = node.declaration as AnyNode;
      const id = decl.id as AnyNode | null | undefined;
      if (decl.type === 'FunctionDeclaration' && id) {
        edits.push({ start: node.start, end: decl.start, text: '' });
        tail += `\n${EXPORTS_VAR}.default = ${id.name as string};`;
      } else {
        edits.push({ start: node.start, end: decl.start, text: `${EXPORTS_VAR}.default = ` });
        if (decl.type !== 'FunctionDeclaration') edits.push({ start: node.end, end: node.end, text: ';' });
      }
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration || node.source) throw new Error('Unsupported export form in the bundle');
      for (const s of node.specifiers as AnyNode[]) {
        tail += `\n${EXPORTS_VAR}[${JSON.stringify((s.exported as AnyNode).name)}] = ${(s.local as AnyNode).name as string};`;
      }
      edits.push({ start: node.start, end: node.end, text: '' });
    }
  }
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out + tail + '\n';
}

function lendConsole(
  logs: string[],
  sink: LoadBundleOptions['console'],
): Record<string, (...args: unknown[]) => void> {
  const make =
    (level: 'log' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const line = args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
      logs.push(line);
      const out = sink && sink[level];
      if (out) out(line);
    };
  return { log: make('log'), info: make('info'), warn: make('warn'), error: make('error') };
}

/** The platform's secrets module, built inside the context so it answers with the engine's Promise. */
function secretsModuleScript(): string {
  return `(function (table) {
  return { getSecret: function (name) {
    return new Promise(function (resolve, reject) {
      if (Object.prototype.hasOwnProperty.call(table, name)) resolve(table[name]);
      else reject(new Error('secret not found: ' + name));
    });
  } };
})`;
}

export function loadBundle(code: string, options: LoadBundleOptions): LoadedBundle {
  return loadBundleScript(moduleToScript(code), options);
}

/**
 * loadBundle after its ES module -> script rewrite (`moduleToScript`): what loading costs the
 * bundle itself, since the platform loads modules without that step (bench/bundle-metrics.ts).
 */
export function loadBundleScript(script: string, options: LoadBundleOptions): LoadedBundle {
  const logs: string[] = [];
  const context = vm.createContext({});
  vm.runInContext(engineFloorScript(options.engine), context, { filename: 'engine-floor.js' });

  const makeSecrets = vm.runInContext(secretsModuleScript(), context) as (t: object) => unknown;
  const table = vm.runInContext('Object.create(null)', context) as Record<string, string>;
  for (const name of Object.keys(options.secrets)) table[name] = options.secrets[name] as string;
  context[MODULES_VAR] = { 'neo/secrets': makeSecrets(table) };
  context[EXPORTS_VAR] = {};
  // NiL has console.log/info/warn/error: always lent, captured into `logs`, echoed to the caller.
  context.console = lendConsole(logs, options.console);
  if (options.fetch) context.fetch = options.fetch;
  if (options.timers) {
    const lent: LentTimers =
      options.timers === true
        ? {
            setTimeout: (fn, ms) => setTimeout(fn, ms),
            clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
          }
        : options.timers;
    context.setTimeout = (fn: () => void, ms?: number) => lent.setTimeout(fn, ms);
    context.clearTimeout = (handle: unknown) => lent.clearTimeout(handle);
  }

  vm.runInContext(options.engine === 'nil-2021' ? loseLateRejections(script) : script, context, {
    filename: 'bundle.js',
  });
  const entry = (context[EXPORTS_VAR] as { default?: unknown }).default;
  if (typeof entry !== 'function') throw new Error('The bundle has no default export function');

  // The platform hands the hooks objects of the engine's own realm; objects made in the caller's
  // realm would fail `instanceof Object`-style checks in the bundle. Plain data crosses as JSON.
  const parse = vm.runInContext('(function (json) { return JSON.parse(json); })', context) as (
    json: string,
  ) => unknown;
  const toContext = (value: unknown): unknown =>
    value === undefined || typeof value === 'function' ? value : parse(JSON.stringify(value));
  const calledAsHost =
    (hook: BundleHook): BundleHook =>
    (...args: unknown[]) =>
      hook(...args.map(toContext));

  const registrations: string[] = [];
  let hooks: LoadedBundle['hooks'] | undefined;
  entry({
    register(key: string, members: Record<string, unknown>) {
      registrations.push(key);
      if (key !== 'runtime.wallet.passUpdater') return;
      const installed = members.OnPassInstalled;
      const uninstalled = members.OnPassUninstalled;
      if (typeof installed !== 'function' || typeof uninstalled !== 'function') {
        throw new Error('runtime.wallet.passUpdater registered without both hooks');
      }
      hooks = { OnPassInstalled: installed as BundleHook, OnPassUninstalled: uninstalled as BundleHook };
    },
  });
  if (!hooks) throw new Error('The bundle did not register runtime.wallet.passUpdater');
  const registered: LoadedBundle['hooks'] = hooks;
  return {
    hooks: {
      OnPassInstalled: calledAsHost(registered.OnPassInstalled),
      OnPassUninstalled: calledAsHost(registered.OnPassUninstalled),
    },
    registered,
    logs,
    registrations,
    context,
  };
}
