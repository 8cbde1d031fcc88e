/**
 * The probe connector (fixtures/probe-entry.ts: axios, p-retry, bottleneck/light, lowered
 * async/await, classes, Map, spreads) built with buildBundle and run in the engine-like context,
 * against a real loopback server: with fetch and timers lent, and with no timers at all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as acorn from 'acorn';
import { buildBundle, type BuildResult } from '../../cli/build/bundle';
import { checkEngineSyntax } from '../../cli/build/syntax-gate';
import { loadBundle } from '../support/engine-context';
import { startProbeServer, type ProbeServer } from './probe-server';

const TOKEN = 's3cr3t-probe-token';
const SECRETS = { 'probe-token': TOKEN };

let server: ProbeServer;
let built: BuildResult;
let code: string;

beforeAll(async () => {
  server = await startProbeServer();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-probe-'));
  built = await buildBundle({
    entry: path.join(__dirname, 'fixtures', 'probe-entry.ts'),
    tenantConfig: { tenantId: 'probe', baseUrl: server.baseUrl },
    outDir,
    scriptName: 'probe',
  });
  code = fs.readFileSync(built.file, 'utf8');
});

afterAll(async () => {
  await server.close();
});

function eventFor(passId: string): Record<string, unknown> | undefined {
  return server.events.find((e) => e.passId === passId);
}

type Rejection = { code?: string; message?: string };

async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error('expected the hook to reject');
}

describe('probe bundle with fetch and timers lent', () => {
  test('registers both hooks and logs what the host lends', () => {
    const loaded = loadBundle(code, { fetch, timers: true, secrets: SECRETS });
    expect(loaded.registrations).toEqual(['runtime.wallet.passUpdater']);
    const first = JSON.parse(loaded.logs[0] as string) as { capabilities: unknown };
    expect(first.capabilities).toEqual({ fetch: true, timers: true, console: true });
  });

  test('a flaky read and a flaky write are retried, and every lowered construct computed right', async () => {
    const loaded = loadBundle(code, { fetch, timers: true, secrets: SECRETS });
    await loaded.hooks.OnPassInstalled('flaky-1', 'loyalty', { customerId: 'c1', email: 'c1' }, 'apple', {
      activeRegistrationCount: 1,
    });
    expect(server.gets.get('flaky-1')).toBe(2);
    expect(server.posts.get('flaky-1')).toBe(2);
    expect(eventFor('flaky-1')).toEqual({
      activeRegistrationCount: 1,
      kind: 'installed',
      passId: 'flaky-1',
      passType: 'loyalty',
      device: 'apple',
      fresh: 3,
      unique: ['c1', 'customerId', 'email'],
      record: 'v-flaky-1',
      readAttempts: 2,
      closures: [0, 1, 2],
      radix: 'z0.1',
      hasToken: true,
      contentType: 'application/json',
    });
    const delivered = loaded.logs.find((l) => l.includes('probe delivered')) as string;
    expect(JSON.parse(delivered)).toMatchObject({
      level: 'info',
      passId: 'flaky-1',
      attempts: 2,
      token: '[redacted]',
    });
    expect(loaded.logs.join('\n')).not.toContain(TOKEN);
  });

  test('concurrent calls all resolve, through bottleneck and our job queue', async () => {
    const loaded = loadBundle(code, { fetch, timers: true, secrets: SECRETS });
    const ids = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    await Promise.all(
      ids.map((id) => loaded.hooks.OnPassUninstalled(id, 'loyalty', { customerId: id }, 'google', {})),
    );
    for (const id of ids)
      expect(eventFor(id)).toMatchObject({ kind: 'uninstalled', device: 'google', record: `v-${id}` });
  });

  test.each(['nil-newest', 'nil-2021'] as const)(
    'a permanent failure (p-retry AbortError) and an outlived retry budget both reject the hook (%s stand-in: the 2021 build loses an async function rejection after its second await)',
    async (engine) => {
      server.gets.clear();
      const loaded = loadBundle(code, { fetch, timers: true, secrets: SECRETS, engine });
      const gone = await rejectionOf(
        loaded.hooks.OnPassInstalled('gone-1', 'loyalty', { customerId: 'g' }, 'apple', {}),
      );
      expect(gone.message).toBe('record gone-1 is gone');
      expect(server.gets.get('gone-1')).toBe(1);
      const down = await rejectionOf(
        loaded.hooks.OnPassInstalled('down-1', 'loyalty', { customerId: 'd' }, 'apple', {}),
      );
      if (engine === 'nil-newest') {
        expect(down.message).toBe('status 503');
        expect(server.gets.get('down-1')).toBe(4);
      } else {
        // The 2021 build cannot wait out the backoff: refused as transient, to be delivered again.
        expect(down).toMatchObject({
          kind: 'transient',
          message: expect.stringMatching(/cannot wait for a timer/),
        });
      }
      expect(eventFor('gone-1')).toBeUndefined();
    },
  );

  test('a missing secret becomes a rejection, not a throw', async () => {
    const loaded = loadBundle(code, { fetch, timers: true, secrets: {} });
    const error = await rejectionOf(loaded.hooks.OnPassInstalled('nosecret-1', 'loyalty', {}, 'apple', {}));
    expect(error).toMatchObject({ code: 'ESECRET', message: 'Secret "probe-token" is not available' });
  });
});

describe('probe bundle with no timers lent', () => {
  test('registration says so, and a call that needs no wait still works', async () => {
    const loaded = loadBundle(code, { fetch, timers: false, secrets: SECRETS });
    expect(JSON.parse(loaded.logs[0] as string)).toMatchObject({ capabilities: { timers: false } });
    await loaded.hooks.OnPassInstalled('calm-1', 'loyalty', { customerId: 'k' }, 'apple', {});
    expect(eventFor('calm-1')).toMatchObject({ record: 'v-calm-1', readAttempts: 1 });
  });

  test('a retry that would wait fails fast as transient instead of hanging', async () => {
    const loaded = loadBundle(code, { fetch, timers: false, secrets: SECRETS });
    const error = await rejectionOf(
      loaded.hooks.OnPassInstalled('flaky-2', 'loyalty', { customerId: 'f' }, 'apple', {}),
    );
    expect(error).toMatchObject({ code: 'ENOTIMERS' });
    expect(server.gets.get('flaky-2')).toBe(1);
    expect(eventFor('flaky-2')).toBeUndefined();
  });
});

describe('the built bundle itself', () => {
  test('passes the syntax gate, imports only neo/*, and holds no eval or Function constructor', () => {
    expect(checkEngineSyntax(code)).toEqual([]);
    const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
    const sources = program.body.filter((n) => n.type === 'ImportDeclaration').map((n) => n.source.value);
    expect(sources).toEqual(['neo/secrets']);
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bnew\s+Function\b/);
    expect(code).not.toMatch(/(^|[^\w$.])Function\s*\(/);
    expect(code).not.toContain(TOKEN);
  });

  test('the hooks are plain functions ending a native async driver in a native then; the driver only awaits whole `var` statements on what it is handed', () => {
    const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
    const decls = program.body.filter(
      (n): n is acorn.FunctionDeclaration => n.type === 'FunctionDeclaration',
    );
    const asyncDecls = decls.filter((d) => d.async);
    expect(asyncDecls.map((d) => d.id.name)).toEqual(['__twc_drive']);
    const drive = code.slice(asyncDecls[0]!.start, asyncDecls[0]!.end);
    expect(drive.match(/await/g)).toHaveLength(1);
    expect(drive).toContain('var got = await wait.promise;');
    // It never throws (the 2021 build loses such a rejection): it returns the call, and `end`
    // throws in a native `then`, which rejects the hook's promise on both builds.
    expect(drive).not.toMatch(/\bthrow\b|finish/);
    const body = asyncDecls[0]!.body.body;
    expect(code.slice(body.at(-1)!.start, body.at(-1)!.end)).toBe('return call;');
    for (const name of ['__twc_OnPassInstalled', '__twc_OnPassUninstalled']) {
      const decl = decls.find((d) => d.id.name === name)!;
      expect(decl.async).toBe(false);
      expect(code.slice(decl.body.body[0]!.start, decl.body.body[0]!.end)).toMatch(
        /^return __twc_drive\(__twc_engine\.startHook\("(un)?installed", \[[^\]]*\]\)\)\.then\(__twc_end\);$/,
      );
    }
    // Nothing at the top level shadows the engine's Promise the hooks await.
    const topNames = program.body.flatMap((n) =>
      n.type === 'VariableDeclaration'
        ? n.declarations.map((d) => (d.id.type === 'Identifier' ? d.id.name : ''))
        : n.type === 'FunctionDeclaration'
          ? [n.id.name]
          : [],
    );
    expect(topNames).not.toContain('Promise');
    const loaded = loadBundle(code, { fetch, timers: true, secrets: SECRETS });
    expect(loaded.registered.OnPassInstalled.constructor.name).toBe('Function');
    expect(loaded.registered.OnPassInstalled.name).toBe('__twc_OnPassInstalled');
    expect(loaded.registered.OnPassUninstalled.name).toBe('__twc_OnPassUninstalled');
  });

  test('ends with export default function, names no source map (written beside it), and reports its sizes', () => {
    expect(code.trimEnd()).toMatch(/export default function __twc_register\(context\) \{[^}]*\}$/);
    expect(code).not.toContain('sourceMappingURL');
    const map = JSON.parse(fs.readFileSync(built.mapFile, 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('test/engine/fixtures/probe-entry.ts'))).toBe(true);
    expect(built.bytes).toBe(Buffer.byteLength(code));
    expect(built.gzipBytes).toBeLessThan(built.bytes);
    expect(built.polyfillBytes).toBeGreaterThan(0);
    expect(built.polyfillBytes).toBeLessThan(built.bytes);
  });
});
