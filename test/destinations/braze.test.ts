/**
 * Braze end to end: hook calls through createConnector (Node host, real fetch) into the loopback
 * Braze workspace. Assertions are on outcomes, logged reasons and the users' final attributes.
 */
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { startBrazeSimulator, type BrazeSimulator } from '../sim/braze';
import { createManualClock } from '../sim/clock';
import { failureOf, stopAfterEach, testAuthOf } from '../support/destinations';
import { acmeTenant } from '../support/pipeline';
import { EXPECTED, SAMPLE, expectSampleTruth, replay, type Call, type Run } from '../support/replay-truth';

const started = stopAfterEach();

function sim(options: Parameters<typeof startBrazeSimulator>[0] = {}): Promise<BrazeSimulator> {
  return started.sim(startBrazeSimulator(options));
}

function tenant(ws: BrazeSimulator, extra: Partial<DestinationConfig> = {}): TenantConfig {
  return acmeTenant({
    id: 'braze',
    type: 'braze',
    baseUrl: ws.url,
    auth: { scheme: 'bearer', tokenSecret: 'braze-key' },
    route: { passTypes: ['loyalty'] },
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  });
}

function start(ws: BrazeSimulator, config: TenantConfig, key = ws.apiKey): Run {
  return started.run(config, { 'braze-key': key });
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

const tracks = (ws: BrazeSimulator) => ws.server.requests.filter((r) => r.path === '/users/track');
const exportsOf = (ws: BrazeSimulator) => ws.server.requests.filter((r) => r.path === '/users/export/ids');

describe('braze destination', () => {
  it('replays the sample read-modify-write with the right final state', async () => {
    const ws = await sim();
    const run = start(ws, tenant(ws, { rateLimit: { requests: 50 } }));
    await replay(run, SAMPLE);
    expect(run.rejected).toEqual([]);
    expectSampleTruth(ws.table());
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
      expect(await testAuthOf(run)).toContain('credentials accepted');
      expect((exportsOf(ws)[0]?.json as { external_ids: string[] }).external_ids).toEqual([
        'twc-connector-auth-check',
      ]);
    });

    it('says a bad key is unknown, without printing it', async () => {
      const ws = await sim();
      const run = start(ws, tenant(ws), 'bad-key-0123456789');
      const error = await failureOf(testAuthOf(run));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('REST API key unknown');
      expect(error.message).not.toContain('bad-key-0123456789');
    });

    it('says which permission a key lacks', async () => {
      const ws = await sim({ permissions: ['users.track'] });
      const run = start(ws, tenant(ws));
      const error = await failureOf(testAuthOf(run));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('users.export.ids');
    });
  });
});
