/**
 * Klaviyo end to end: the connector (node host, real HTTP) -> Prism validating proxies, one per
 * operation spec in ../shared/specs/klaviyo -> the Klaviyo simulator. Final profile state, logged
 * outcomes and contract violations are asserted; nothing is mocked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { KLAVIYO_KEY, startKlaviyoSimulator, type KlaviyoSimulator } from '../sim/klaviyo';
import { acmeTenant, runConcurrently, startConnector } from '../support/pipeline';
import { startContractGateway, type ContractGateway } from '../support/prism';
import { testAuthOfDestination } from '../support/destinations';
import {
  SAMPLE as sample,
  finalTable,
  replaySampleThroughBundle,
  truthTable as truth,
} from '../support/replay-truth';

function tenant(baseUrl: string, overrides: Record<string, unknown> = {}): TenantConfig {
  return acmeTenant(
    Object.assign(
      {
        id: 'klaviyo-main',
        type: 'klaviyo',
        baseUrl,
        auth: {
          scheme: 'apiKey',
          header: 'Authorization',
          prefix: 'Klaviyo-API-Key ',
          secret: 'klaviyo-key',
        },
        route: { passTypes: ['loyalty'] },
        batch: { maxWaitMs: 5 },
        rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 16 },
      },
      overrides,
    ) as DestinationConfig,
  );
}

const secrets = { 'klaviyo-key': KLAVIYO_KEY };

let gateway: ContractGateway;
let sim: KlaviyoSimulator;

beforeAll(async () => {
  gateway = await startContractGateway([
    { spec: 'klaviyo/create_or_update_profile.json', prefixes: ['/api/profile-import'] },
    { spec: 'klaviyo/get_profiles.json', prefixes: ['/api/profiles'] },
    { spec: 'klaviyo/create_event.json', prefixes: ['/api/events'] },
  ]);
});
afterAll(() => gateway.close());
afterEach(() => sim.server.close());

async function useSim(options: Parameters<typeof startKlaviyoSimulator>[0] = {}): Promise<KlaviyoSimulator> {
  sim = await startKlaviyoSimulator(options);
  gateway.setUpstream(sim.server.url);
  return sim;
}

describe('klaviyo destination through the contract proxies', () => {
  it('replays the sample to the true final state, every request valid for the spec', async () => {
    await useSim();
    const t = startConnector(tenant(gateway.url), secrets);
    const results = await runConcurrently(sample, 16, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(finalTable(sim.table())).toEqual(truth());
    expect(gateway.violations).toEqual([]);
    expect(gateway.unchecked).toEqual([]);
    const reads = sim.server.requests.filter((r) => r.path === '/api/profiles');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]!.query.filter).toMatch(/^any\(external_id,\["/);
    expect(sim.server.requests.every((r) => r.headers.revision === '2026-07-15')).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(KLAVIYO_KEY);
  });

  it('has the validator refuse a request without the revision header', async () => {
    await useSim();
    const response = await fetch(`${gateway.url}/api/profile-import`, {
      method: 'POST',
      headers: {
        authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`,
        'content-type': 'application/vnd.api+json',
      },
      body: JSON.stringify({ data: { type: 'profile', attributes: { external_id: 'c-1', properties: {} } } }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).toContain('revision');
    expect(gateway.violations).toHaveLength(1);
    expect(sim.server.requests).toHaveLength(0);
  });

  it('sends Pass Installed / Pass Uninstalled events keyed by the idempotency key, when events are on', async () => {
    await useSim();
    const t = startConnector(tenant(gateway.url, { events: true }), secrets);
    const install = [
      'p-9',
      'loyalty',
      { customerId: 'c-9' },
      'apple',
      {
        activeRegistrationCount: 1,
        totalRegistrationCount: 1,
        registrationSource: { medium: 'sms', origin: 'https://b.example/?utm_source=sms&utm_campaign=x' },
      },
    ];
    await t.call('OnPassInstalled', install);
    await t.call('OnPassInstalled', install);
    await t.call('OnPassUninstalled', [
      'p-9',
      'loyalty',
      { customerId: 'c-9' },
      'apple',
      { activeRegistrationCount: 0, totalRegistrationCount: 1 },
    ]);
    expect(sim.events.map((e) => e.metric)).toEqual(['Pass Installed', 'Pass Uninstalled']);
    expect(sim.events[0]!.properties).toMatchObject({
      pass_id: 'p-9',
      pass_type: 'loyalty',
      wallet: 'apple',
      utm_source: 'sms',
      utm_campaign: 'x',
      source_medium: 'sms',
    });
    expect(sim.events[0]!.uniqueId).toEqual(expect.any(String));
    expect(sim.events[0]!.uniqueId).not.toBe(sim.events[1]!.uniqueId);
    expect(sim.table()).toEqual([{ key: 'c-9', walletStatus: 'none', apple: false, google: false }]);
    expect(gateway.violations).toEqual([]);
  });

  it('test-auth accepts a good key and names the problem for a bad one', async () => {
    await useSim();
    const good = startConnector(tenant(gateway.url), secrets).connector.destinations[0]!;
    await expect(testAuthOfDestination(good)).resolves.toContain('credentials accepted');
    const bad = startConnector(tenant(gateway.url), { 'klaviyo-key': 'pk_wrong' }).connector.destinations[0]!;
    await expect(testAuthOfDestination(bad)).rejects.toMatchObject({
      kind: 'authentication',
      status: 401,
      message: expect.stringContaining('Klaviyo-API-Key'),
    });
    expect(gateway.violations).toEqual([]);
  });
});

describe('klaviyo through the built upload bundle', () => {
  it('replays the sample with the bundle in a bare context to the true final state', async () => {
    await useSim();
    const config = tenant(gateway.url);
    const lines: string[] = [];
    const summary = await replaySampleThroughBundle(
      config,
      secrets,
      mkdtempSync(join(tmpdir(), 'twc-klaviyo-')),
      (line) => lines.push(line),
    );
    expect(summary.rejected).toBe(0);
    // Only the sample's two malformed calls are refused.
    expect(lines.filter((l) => l.indexOf('"level":"error"') >= 0)).toHaveLength(2);
    expect(finalTable(sim.table())).toEqual(truth());
    expect(gateway.violations).toEqual([]);
  });
});
