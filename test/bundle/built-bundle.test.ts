/**
 * The BUILT upload bundle, loaded in the engine-like context (NiL.JS's built-ins only, a broken
 * Set, no globalThis; fetch, timers and console lent), against the http CRM simulator: the sample
 * replay (issue 7), the exact-status scenarios (issue 3), and what the bundle contains.
 */
import * as acorn from 'acorn';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import { buildForTest, loadForTest } from '../support/built';
import { replayBundle } from '../../cli/commands/replay';
import { MALFORMED_CALLS } from '../fixtures/malformed-calls';
import {
  EXPECTED as expected,
  EXPECTED_PER_PASS,
  SAMPLE as sample,
  SAMPLE_PER_PASS,
  wrongCustomers,
} from '../support/replay-truth';

const KEY = 'bundle-key-8d1f2c3b4a';

let sim: HttpCrmSimulator;
let built: Awaited<ReturnType<typeof buildForTest>>;
const tenant = () =>
  httpTenant(sim.server.url, { rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 16 } });

beforeAll(async () => {
  sim = await startHttpCrmSimulator({ apiKey: KEY });
  built = await buildForTest(tenant());
}, 120000);
afterAll(() => sim.server.close());

const counts = (active: number, total: number) => ({
  activeRegistrationCount: active,
  totalRegistrationCount: total,
});
const record = (key: string) => sim.records.get(key) as Record<string, unknown> | undefined;

describe('what the built bundle is', () => {
  it('imports nothing but neo/*, has no eval or Function constructor, and holds no secret', () => {
    const program = acorn.parse(built.code, { ecmaVersion: 2017, sourceType: 'module' });
    const imports = program.body
      .filter((n) => n.type === 'ImportDeclaration')
      .map((n) => (n as acorn.ImportDeclaration).source.value);
    expect(imports).toEqual(['neo/secrets']);
    expect(built.code).not.toMatch(/\beval\s*\(|new Function\s*\(|\bFunction\s*\(/);
    expect(built.code).not.toContain(KEY);
  });

  it('carries only what this tenant runs: no OAuth2 client, no axios form bodies or adapters of its own', () => {
    // This tenant signs with an API key: the token client (grant_type forms) is left out.
    expect(built.code).not.toContain('grant_type');
    expect(built.code).not.toContain('urn:ietf:params:oauth:grant-type:jwt-bearer');
    // Nor the other static schemes (each has its own module, stubbed when unused).
    expect(built.code).not.toContain('Bearer ');
    expect(built.code).not.toContain('Basic ');
    // axios's form-data bodies (toFormData) and its xhr/fetch adapters.
    expect(built.code).not.toContain('XMLHttpRequest');
    expect(built.code).not.toMatch(/visitor|dots\b/);
    // Only the command line runs a destination's auth check and setup steps.
    expect(built.code).not.toContain('credentials accepted');
    expect(built.code).not.toContain("Nothing to create in the connector's terms");
  });

  it('registers both hooks on the platform key as plain functions that return a native promise', async () => {
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    expect(bundle.registrations).toEqual(['runtime.wallet.passUpdater']);
    for (const hook of [bundle.registered.OnPassInstalled, bundle.registered.OnPassUninstalled]) {
      // Not async themselves (the 2021 build loses an async function's late rejection): they
      // return the native async driver's promise chained with a native then (cli/build/boundary-tail.ts).
      expect(Object.prototype.toString.call(hook)).toBe('[object Function]');
    }
    // A malformed call is refused with an error line, and its promise still settles.
    const malformed = bundle.registered.OnPassInstalled(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    );
    expect(Object.prototype.toString.call(malformed)).toBe('[object Promise]');
    await malformed;
    expect(bundle.logs.filter((line) => line.indexOf('"level":"error"') >= 0)).toHaveLength(1);
  });
});

describe('the sample replay through the built bundle (engine-like context)', () => {
  it('reaches the true final state of every customer, refusing exactly the two malformed calls', async () => {
    const lines: string[] = [];
    const summary = await replayBundle({
      bundleFile: built.file,
      tenant: tenant(),
      secrets: { 'crm-key': KEY },
      calls: sample,
      concurrency: 16,
      progress: false,
      logSink: (line) => lines.push(line),
    });
    expect(summary.rejected).toBe(0);
    expect(summary.resolved).toBe(sample.length);
    expect(summary.errorLines).toBe(2);
    const table = new Map(sim.table().map((row) => [row.key, row.walletStatus]));
    const wrong = Object.keys(expected).filter((k) => (table.get(k) || 'none') !== expected[k]!.walletStatus);
    expect(wrong).toEqual([]);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(lines.some((l) => l.indexOf('unhandled rejection') >= 0)).toBe(false);
  });

  it('reaches the truth for the recording whose counts cover the whole pass too (default auto)', async () => {
    const summary = await replayBundle({
      bundleFile: built.file,
      tenant: tenant(),
      secrets: { 'crm-key': KEY },
      calls: SAMPLE_PER_PASS,
      concurrency: 16,
      progress: false,
    });
    expect([summary.rejected, summary.resolved]).toEqual([0, SAMPLE_PER_PASS.length]);
    expect(wrongCustomers(sim.table(), EXPECTED_PER_PASS)).toEqual([]);
  });
});

describe('malformed hook calls through the built bundle', () => {
  it.each(MALFORMED_CALLS)(
    '%s: resolves, logs exactly one error line naming the pass and the reason, sends nothing',
    async (_name, args, reason) => {
      const bundle = loadForTest(built.code, { 'crm-key': KEY });
      const before = sim.server.requests.length;
      // `true`, not undefined: the newest engine rejects a resumed async function returning undefined.
      await expect(bundle.hooks.OnPassInstalled(...args)).resolves.toBe(true);
      const errors = bundle.errorLines();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ msg: 'event rejected', passId: expect.any(String) });
      expect(String(errors[0]!.reason)).toMatch(reason);
      expect(sim.server.requests.length).toBe(before);
    },
  );
});

describe('exact status through the built bundle (issue 3)', () => {
  it('Apple and Google installs of one customer at the same instant end "both", 100 times over, no lost update', async () => {
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const c = `same-instant-${i}`;
      calls.push(bundle.hooks.OnPassInstalled(`p-${c}`, 'loyalty', { customerId: c }, 'apple', counts(1, 1)));
      calls.push(
        bundle.hooks.OnPassInstalled(`p-${c}`, 'loyalty', { customerId: c }, 'google', counts(1, 1)),
      );
    }
    await Promise.all(calls);
    for (let i = 0; i < 100; i++) expect([i, record(`same-instant-${i}`)?.walletStatus]).toEqual([i, 'both']);
  });

  it('install, uninstall, reinstall within one second, delivered shuffled: installed since the reinstall', async () => {
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    const c = 'reinstall-1';
    const args = (a: number, t: number) => [`p-${c}`, 'loyalty', { customerId: c }, 'apple', counts(a, t)];
    // Delivered: reinstall, first install, uninstall.
    const before = Date.now();
    await bundle.hooks.OnPassInstalled(...args(1, 2));
    const after = Date.now();
    await bundle.hooks.OnPassInstalled(...args(1, 1));
    await bundle.hooks.OnPassUninstalled(...args(0, 1));
    const r = record(c)!;
    expect(r.walletStatus).toBe('apple');
    const at = Date.parse(String(r.appleWalletInstalledAt));
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });

  it('an old pass’s uninstall arriving after the new pass’s install leaves the wallet installed', async () => {
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    const c = 'reissued-1';
    await bundle.hooks.OnPassInstalled('p-old', 'loyalty', { customerId: c }, 'google', counts(1, 1));
    await bundle.hooks.OnPassInstalled('p-new', 'loyalty', { customerId: c }, 'google', counts(1, 1));
    await bundle.hooks.OnPassUninstalled('p-old', 'loyalty', { customerId: c }, 'google', counts(0, 1));
    expect(record(c)!.walletStatus).toBe('google');
  });

  it('duplicates cost no write: the number of writes is the number of real changes', async () => {
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    const c = 'dupes-1';
    const puts = () =>
      sim.server.requests.filter((r) => r.method === 'PUT' && r.path === `/customers/${c}`).length;
    const events: Array<['OnPassInstalled' | 'OnPassUninstalled', number, number]> = [
      ['OnPassInstalled', 1, 1],
      ['OnPassUninstalled', 0, 1],
      ['OnPassInstalled', 1, 2],
    ];
    for (const [hook, a, t] of events)
      await bundle.hooks[hook](`p-${c}`, 'loyalty', { customerId: c }, 'apple', counts(a, t));
    expect(puts()).toBe(3);
    for (let round = 0; round < 3; round++) {
      for (const [hook, a, t] of events)
        await bundle.hooks[hook](`p-${c}`, 'loyalty', { customerId: c }, 'apple', counts(a, t));
    }
    expect(puts()).toBe(3);
    expect(record(c)!.walletStatus).toBe('apple');
  });
});
