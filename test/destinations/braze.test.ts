/**
 * Braze end to end: hook calls through createConnector (Node host, real fetch) into the loopback
 * Braze workspace. Assertions are on outcomes, logged reasons and the users' final attributes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeHost } from '../../cli/node-host';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { brazeDestination } from '../../connector/destinations/braze/definition';
import { createConnector, type Connector } from '../../connector/runtime';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import type { LogRecord } from '../../connector/platform/host';
import { startBrazeSimulator, type BrazeSimulator } from '../sim/braze';
import { createManualClock } from '../sim/clock';

type Call = { hook: 'OnPassInstalled' | 'OnPassUninstalled'; args: unknown[] };
const ROOT = join(__dirname, '..', '..');
const SAMPLE = readFileSync(join(ROOT, 'test/replay/sample.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Call);
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'test/replay/sample.expected.json'), 'utf8')) as Record<
  string,
  { walletStatus: string; apple: boolean; google: boolean }
>;

interface Run {
  connector: Connector;
  logs: LogRecord[];
  rejected: unknown[];
}

const sims: BrazeSimulator[] = [];
const connectors: Connector[] = [];
afterEach(async () => {
  for (const c of connectors.splice(0)) c.stop();
  await Promise.all(sims.splice(0).map((s) => s.server.close()));
});

async function sim(options: Parameters<typeof startBrazeSimulator>[0] = {}): Promise<BrazeSimulator> {
  const s = await startBrazeSimulator(options);
  sims.push(s);
  return s;
}

function tenant(ws: BrazeSimulator, extra: Partial<DestinationConfig> = {}): TenantConfig {
  return {
    tenantId: 'acme',
    joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
    destinations: [
      {
        id: 'braze',
        type: 'braze',
        baseUrl: ws.url,
        auth: { scheme: 'bearer', tokenSecret: 'braze-key' },
        route: { passTypes: ['loyalty'] },
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
        ...extra,
      },
    ],
  };
}

function start(ws: BrazeSimulator, config: TenantConfig, key = ws.apiKey): Run {
  const logs: LogRecord[] = [];
  const host = createNodeHost({ secrets: { 'braze-key': key }, log: (r) => logs.push(r) });
  const connector = createConnector({ config, host, definitions: destinationDefinitions });
  connectors.push(connector);
  return { connector, logs, rejected: [] };
}

async function replay(run: Run, calls: Call[]): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < calls.length) {
      const call = calls[next++] as Call;
      await run.connector.handle(call.hook, call.args).catch((error: unknown) => run.rejected.push(error));
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  await run.connector.idle();
}

function install(customer: string, pass: string, wallet = 'apple', origin: string | null = null): Call {
  const source = origin ? { tags: ['web'], medium: 'email', origin, userAgent: 'Mozilla/5.0' } : null;
  return {
    hook: 'OnPassInstalled',
    args: [
      pass,
      'loyalty',
      { customerId: customer },
      wallet,
      { activeRegistrationCount: 1, totalRegistrationCount: 1, registrationSource: source },
    ],
  };
}

function statusByKey(ws: BrazeSimulator): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of ws.table()) out[row.key] = row.walletStatus;
  return out;
}

async function failureOf(promise: Promise<unknown>): Promise<Error & { kind: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { kind: string };
  }
  throw new Error('expected a rejection');
}

const tracks = (ws: BrazeSimulator) => ws.server.requests.filter((r) => r.path === '/users/track');
const exportsOf = (ws: BrazeSimulator) => ws.server.requests.filter((r) => r.path === '/users/export/ids');
const context = (run: Run) => (run.connector.destinations[0] as Connector['destinations'][number]).context();

describe('braze destination', () => {
  it('replays the sample read-modify-write with the right final state', async () => {
    const ws = await sim();
    const run = start(ws, tenant(ws, { rateLimit: { requests: 50 } }));
    await replay(run, SAMPLE);
    expect(run.rejected).toEqual([]);
    const got = statusByKey(ws);
    for (const key of Object.keys(EXPECTED))
      expect([key, got[key] ?? 'none']).toEqual([key, EXPECTED[key]?.walletStatus]);
    for (const r of exportsOf(ws))
      expect((r.json as { external_ids: string[] }).external_ids.length).toBeLessThanOrEqual(50);
    // Uninstalled wallets are removed (null), not left holding an old date.
    for (const row of ws.table()) {
      const truth = EXPECTED[row.key];
      if (truth)
        expect([row.key, row.appleWalletInstalledAt !== '', row.googleWalletInstalledAt !== '']).toEqual([
          row.key,
          truth.apple,
          truth.google,
        ]);
    }
  });

  it('with events: true sends Pass Installed events in the same /users/track call', async () => {
    const ws = await sim();
    const run = start(
      ws,
      tenant(ws, { events: true, rateLimit: { requests: 50 }, batch: { maxWaitMs: 50 } }),
    );
    const origin = 'https://brand.example/w?utm_source=newsletter&utm_medium=email&utm_campaign=winter';
    await replay(run, [install('c-1', 'p1', 'apple', origin), install('c-2', 'p2', 'google')]);
    expect(run.rejected).toEqual([]);
    expect(tracks(ws)).toHaveLength(1);
    expect(ws.users.get('c-1')?.events).toEqual([
      {
        external_id: 'c-1',
        name: 'Pass Installed',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        properties: {
          pass_id: 'p1',
          pass_type: 'loyalty',
          wallet: 'apple',
          source_tags: ['web'],
          source_medium: 'email',
          utm_source: 'newsletter',
          utm_medium: 'email',
          utm_campaign: 'winter',
        },
      },
    ]);
    expect(
      ws.users.get('c-2')?.events.map((e) => [e.name, (e.properties as { wallet: string }).wallet]),
    ).toEqual([['Pass Installed', 'google']]);
  });

  it('keeps every /users/track call within 75 objects, events included', async () => {
    const ws = await sim();
    const run = start(
      ws,
      tenant(ws, {
        events: true,
        mode: 'writeOnly',
        rateLimit: { requests: 200 },
        batch: { maxSize: 75, maxWaitMs: 100 },
      }),
    );
    const calls = Array.from({ length: 60 }, (_v, i) => install(`c-${i}`, `p-${i}`));
    await replay(run, calls);
    expect(run.rejected).toEqual([]);
    const sizes = tracks(ws).map((r) => {
      const body = r.json as { attributes: unknown[]; events: unknown[] };
      return body.attributes.length + body.events.length;
    });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(75);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    expect([...ws.users.values()].every((u) => u.events.length === 1)).toBe(true);
  });

  it('maps a partial success error to its one customer and writes the others', async () => {
    const ws = await sim({
      rejectAttributes: (a) => (a.external_id === 'c-bad' ? 'User is blacklisted' : null),
    });
    const run = start(ws, tenant(ws, { rateLimit: { requests: 50 }, batch: { maxWaitMs: 50 } }));
    await replay(run, [install('c-1', 'p1'), install('c-bad', 'p2'), install('c-2', 'p3', 'google')]);
    expect(run.rejected).toEqual([]);
    expect(tracks(ws)).toHaveLength(1);
    expect(statusByKey(ws)).toEqual({ 'c-1': 'apple', 'c-2': 'google' });
    const dropped = run.logs.filter((l) => l.msg === 'event dropped');
    expect(dropped.map((l) => [l.joinKey, l.kind])).toEqual([['c-bad', 'permanent']]);
    expect(String(dropped[0]?.reason)).toContain('User is blacklisted');
  });

  it('waits for X-RateLimit-Reset after a 429 on the slower export endpoint', async () => {
    const ws = await sim();
    // The first export is refused as Braze does, reset at the next whole second (epoch seconds).
    let refusedOnce = false;
    ws.server.setFaults((req) => {
      if (refusedOnce || req.path !== '/users/export/ids') return null;
      refusedOnce = true;
      const reset = String(Math.ceil(Date.now() / 1000));
      return {
        kind: 'status',
        status: 429,
        headers: { 'x-ratelimit-limit': '250', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        json: { message: 'Rate Limit Exceeded' },
      };
    });
    const run = start(ws, tenant(ws, { rateLimit: { requests: 50 }, batch: { maxSize: 1, maxWaitMs: 0 } }));
    await replay(run, [install('c-1', 'p1'), install('c-2', 'p2')]);
    expect(run.rejected).toEqual([]);
    expect(statusByKey(ws)).toEqual({ 'c-1': 'apple', 'c-2': 'apple' });
    expect(exportsOf(ws).filter((r) => r.status === 429)).toHaveLength(1);
    expect(run.connector.metrics()[0]?.throttled).toBe(1);
  });

  it('limits each endpoint in its own window and answers in Braze shape', async () => {
    const clock = createManualClock();
    const ws = await sim({ clock: clock.now, limits: { export: { requests: 1, intervalMs: 60000 } } });
    const call = () =>
      fetch(`${ws.url}/users/export/ids`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ external_ids: ['x'] }),
      });
    const first = await call();
    const second = await call();
    const track = await fetch(`${ws.url}/users/track`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ attributes: [{ external_id: 'x', a: 1 }] }),
    });
    const windowEnd = String(Math.ceil((Math.floor(clock.now() / 60000) * 60000 + 60000) / 1000));
    expect([first.status, first.headers.get('x-ratelimit-remaining')]).toEqual([201, '0']);
    expect([second.status, second.headers.get('x-ratelimit-reset')]).toEqual([429, windowEnd]);
    expect(track.status).toBe(201);
    clock.advance(60000);
    expect((await call()).status).toBe(201);
  });

  it('in writeOnly mode never exports and writes each wallet blindly', async () => {
    const ws = await sim({ permissions: ['users.track'] });
    const run = start(ws, tenant(ws, { mode: 'writeOnly', rateLimit: { requests: 50 } }));
    await replay(run, [install('c-1', 'p1', 'google')]);
    expect(run.rejected).toEqual([]);
    expect(exportsOf(ws)).toHaveLength(0);
    expect(ws.table()[0]).toMatchObject({ key: 'c-1', googleWalletInstalledAt: expect.stringMatching(/Z$/) });
  });

  describe('testAuth', () => {
    it('accepts a good key', async () => {
      const ws = await sim();
      const run = start(ws, tenant(ws));
      expect(await brazeDestination.testAuth(context(run))).toContain('credentials accepted');
      expect((exportsOf(ws)[0]?.json as { external_ids: string[] }).external_ids).toEqual([
        'twc-connector-auth-check',
      ]);
    });

    it('says a bad key is unknown, without printing it', async () => {
      const ws = await sim();
      const run = start(ws, tenant(ws), 'bad-key-0123456789');
      const error = await failureOf(brazeDestination.testAuth(context(run)));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('REST API key unknown');
      expect(error.message).not.toContain('bad-key-0123456789');
    });

    it('says which permission a key lacks', async () => {
      const ws = await sim({ permissions: ['users.track'] });
      const run = start(ws, tenant(ws));
      const error = await failureOf(brazeDestination.testAuth(context(run)));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('users.export.ids');
    });
  });
});
