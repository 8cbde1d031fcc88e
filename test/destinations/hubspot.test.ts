/**
 * HubSpot end to end: the connector (node host, real HTTP) -> Prism validating proxies loaded from
 * ../shared/specs/hubspot -> the HubSpot simulator. Final CRM state, logged outcomes and contract
 * violations are asserted; nothing is mocked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { setupHubSpotCrm } from '../../connector/destinations/hubspot/describe-setup';
import { destinationDescriptions } from '../../cli/config/destinations';
import {
  HUBSPOT_TOKEN,
  hubspotTenSecondly,
  startHubSpotSimulator,
  type HubSpotSimulator,
} from '../sim/hubspot';
import { acmeTenant, runConcurrently, startConnector } from '../support/pipeline';
import { startContractGateway, type ContractGateway } from '../support/prism';
import {
  EXPECTED as expected,
  EXPECTED_PER_PASS,
  SAMPLE as sample,
  SAMPLE_PER_PASS,
  wrongCustomers,
  finalTable,
  replaySampleThroughBundle,
  truthTable as truth,
} from '../support/replay-truth';

function tenant(baseUrl: string, overrides: Record<string, unknown> = {}): TenantConfig {
  return acmeTenant(
    Object.assign(
      {
        id: 'hubspot-main',
        type: 'hubspot',
        baseUrl,
        auth: { scheme: 'bearer', tokenSecret: 'hubspot-token' },
        idProperty: 'customer_id',
        route: { passTypes: ['loyalty'] },
        batch: { maxWaitMs: 5 },
        rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 8 },
      },
      overrides,
    ) as DestinationConfig,
  );
}

const secrets = { 'hubspot-token': HUBSPOT_TOKEN };

let gateway: ContractGateway;
let sim: HubSpotSimulator;

beforeAll(async () => {
  gateway = await startContractGateway([
    { spec: 'hubspot/crm-contacts-v3.json', prefixes: ['/crm/v3/objects/contacts'] },
    { spec: 'hubspot/crm-properties-v3.json', prefixes: ['/crm/v3/properties/contacts'] },
  ]);
});
afterAll(() => gateway.close());
afterEach(() => sim.server.close());

async function useSim(options: Parameters<typeof startHubSpotSimulator>[0] = {}): Promise<HubSpotSimulator> {
  sim = await startHubSpotSimulator(options);
  gateway.setUpstream(sim.server.url);
  return sim;
}

// Single cases (create, update, refusals, bad token, unknown property, events) are in
// contract/hubspot.contract.test.ts, as data.
describe('hubspot destination through the contract proxy', () => {
  it('replays the sample to the true final state, every request valid for the spec', async () => {
    await useSim();
    const t = startConnector(tenant(gateway.url), secrets);
    const results = await runConcurrently(sample, 16, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(finalTable(sim.table())).toEqual(truth());
    expect(gateway.violations).toEqual([]);
    expect(gateway.unchecked).toEqual([]);
    const paths = sim.server.requests.map((r) => r.path);
    expect(paths).toContain('/crm/v3/objects/contacts/batch/read');
    expect(paths).toContain('/crm/v3/objects/contacts/batch/upsert');
    // Every written value is a string and every datetime is stored as ISO.
    for (const c of sim.contacts.values())
      for (const v of Object.values(c.properties)) expect(typeof v).toBe('string');
    expect(JSON.stringify(t.logs)).not.toContain(HUBSPOT_TOKEN);
    // Replaying again writes nothing: the stored sync state makes duplicates no-ops.
    const upserts = sim.server.requests.filter((r) => r.path.endsWith('/batch/upsert')).length;
    await runConcurrently(sample, 16, (c) => t.call(c.hook, c.args));
    expect(sim.server.requests.filter((r) => r.path.endsWith('/batch/upsert')).length).toBe(upserts);
  });

  it('replays the per-pass recording to the truth through 429s and transient faults', async () => {
    await useSim({
      rateLimit: hubspotTenSecondly(10, 200),
      // Every 7th request a 503, every 11th a dropped connection.
      faults: (_req, index) => (index % 7 === 3 ? '503' : index % 11 === 5 ? 'reset' : null),
    });
    const t = startConnector(tenant(gateway.url), secrets);
    const results = await runConcurrently(SAMPLE_PER_PASS, 16, (c) => t.call(c.hook, c.args));
    // A transient failure that outlived its budget would reject: the platform then delivers again.
    const again = SAMPLE_PER_PASS.filter((_c, i) => !results[i]!.ok);
    await runConcurrently(again, 16, (c) => t.call(c.hook, c.args));
    expect(wrongCustomers(sim.table(), EXPECTED_PER_PASS)).toEqual([]);
    expect(
      sim.server.stats.refused429 + sim.server.requests.filter((r) => r.status === 503).length,
    ).toBeGreaterThan(0);
    // The injected 503s carry no HubSpot error body, which the proxy reports; every request is valid.
    expect(gateway.violations.filter((v) => v.detail.indexOf('"location":["request"') >= 0)).toEqual([]);
  });

  it('has the validator refuse a request that breaks the schema (upsert input without id)', async () => {
    await useSim();
    const response = await fetch(`${gateway.url}/crm/v3/objects/contacts/batch/upsert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ idProperty: 'customer_id', properties: { wallet_status: 'apple' } }],
      }),
    });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("must have required property 'id'");
    expect(gateway.violations).toHaveLength(1);
    expect(sim.server.requests).toHaveLength(0);
  });

  it('drops only the contact HubSpot refused in a 207, with one logged reason, and writes the others', async () => {
    await useSim({ rejectIds: { 'c-0007': 'Contact is blocked by a GDPR deletion' } });
    const t = startConnector(tenant(gateway.url), secrets);
    const results = await runConcurrently(sample, 16, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const table = finalTable(sim.table());
    expect(table.find((r) => r.key === 'c-0007')).toEqual({
      key: 'c-0007',
      walletStatus: 'none',
      apple: false,
      google: false,
    });
    expect(table.filter((r) => r.key !== 'c-0007')).toEqual(truth().filter((r) => r.key !== 'c-0007'));
    const dropped = t.logs.filter((l) => l.level === 'error' && l.joinKey === 'c-0007');
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped[0]).toMatchObject({ destination: 'hubspot-main', kind: 'permanent', status: 207 });
    expect(String(dropped[0]!.reason)).toContain('GDPR deletion');
    expect(
      t.logs.filter((l) => l.level === 'error' && l.joinKey !== 'c-0007' && l.joinKey !== undefined),
    ).toEqual([]);
    expect(sim.server.requests.some((r) => r.status === 207 && r.path.endsWith('/batch/upsert'))).toBe(true);
    expect(gateway.violations).toEqual([]);
  });

  it('waits out a 429 TEN_SECONDLY_ROLLING (policyName, X-HubSpot-RateLimit-*) and still writes everything', async () => {
    await useSim({ rateLimit: hubspotTenSecondly(2, 200) });
    const t = startConnector(tenant(gateway.url, { batch: { maxSize: 1, maxWaitMs: 1 } }), secrets);
    const calls = sample.filter(
      (c) =>
        ['c-0001', 'c-0002', 'c-0007'].indexOf((c.args[2] as { customerId?: string }).customerId ?? '') >= 0,
    );
    const results = await runConcurrently(calls, 8, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(sim.server.stats.refused429).toBeGreaterThan(0);
    const throttled = t.logs.filter((l) => l.msg === 'attempt failed' && l.kind === 'throttled');
    expect(throttled.length).toBeGreaterThan(0);
    expect(String(throttled[0]!.reason)).toContain('TEN_SECONDLY_ROLLING');
    const rows = new Map(sim.table().map((r) => [r.key, r.walletStatus]));
    for (const key of ['c-0001', 'c-0002', 'c-0007'])
      expect(rows.get(key) ?? 'none').toBe(expected[key]!.walletStatus);
    expect(gateway.violations).toEqual([]);
  });
});

describe('hubspot test-auth and setup-crm', () => {
  function context(baseUrl: string, token = HUBSPOT_TOKEN, overrides: Record<string, unknown> = {}) {
    const t = startConnector(tenant(baseUrl, overrides), { 'hubspot-token': token });
    const d = t.connector.destinations[0]!;
    return { ctx: d.context(), definition: destinationDescriptions[d.destination.type]! };
  }

  it('accepts a good token and checks every mapped property exists', async () => {
    await useSim();
    const { ctx, definition } = context(gateway.url);
    await expect(definition.testAuth(ctx)).resolves.toContain('token accepted');
    expect(gateway.violations).toEqual([]);
  });

  it('says clearly when the token is bad, a scope is missing, or a property is missing', async () => {
    await useSim({ tokens: { [HUBSPOT_TOKEN]: ['crm.objects.contacts.write'] } });
    const bad = context(gateway.url, 'pat-na1-wrong');
    await expect(bad.definition.testAuth(bad.ctx)).rejects.toMatchObject({
      kind: 'authentication',
      status: 401,
    });
    const noScope = context(gateway.url);
    await expect(noScope.definition.testAuth(noScope.ctx)).rejects.toMatchObject({
      kind: 'authentication',
      status: 403,
      message: expect.stringContaining('crm.objects.contacts.read'),
    });
    await sim.server.close();
    await useSim();
    const typo = context(gateway.url, HUBSPOT_TOKEN, { properties: { walletSyncState: 'no_such_prop' } });
    await expect(typo.definition.testAuth(typo.ctx)).rejects.toMatchObject({
      kind: 'configuration',
      message: expect.stringContaining('no_such_prop'),
    });
    expect(gateway.violations).toEqual([]);
  });

  it('creates the group and the properties, skips existing ones, then test-auth passes', async () => {
    await useSim({ walletProperties: false });
    const { ctx, definition } = context(gateway.url);
    await expect(definition.testAuth(ctx)).rejects.toMatchObject({ kind: 'configuration' });
    const first = await setupHubSpotCrm(ctx);
    expect(first.groupCreated).toBe(true);
    expect(first.created.sort()).toEqual(
      [
        'apple_wallet_installed_at',
        'customer_id',
        'google_wallet_installed_at',
        'wallet_last_changed_at',
        'wallet_last_event',
        'wallet_status',
        'wallet_sync_state',
      ].sort(),
    );
    expect(sim.properties.get('wallet_status')).toMatchObject({ type: 'enumeration', fieldType: 'select' });
    expect(sim.properties.get('customer_id')).toMatchObject({ hasUniqueValue: true });
    expect(sim.properties.get('apple_wallet_installed_at')).toMatchObject({ type: 'datetime' });
    const second = await setupHubSpotCrm(ctx);
    expect(second).toMatchObject({ created: [], groupCreated: false });
    // What setup-crm prints, from the same description.
    await expect(definition.setup!(ctx)).resolves.toEqual([
      'property group wallet_pass exists',
      'no property to create',
      expect.stringMatching(/^already there: .*wallet_status/),
    ]);
    await expect(definition.testAuth(ctx)).resolves.toContain('token accepted');
    expect(gateway.violations).toEqual([]);
  });
});

describe('hubspot through the built upload bundle', () => {
  it('replays the sample with the bundle in a bare context to the true final state', async () => {
    await useSim();
    const config = tenant(gateway.url);
    const lines: string[] = [];
    const summary = await replaySampleThroughBundle(
      config,
      secrets,
      mkdtempSync(join(tmpdir(), 'twc-hubspot-')),
      (line) => lines.push(line),
    );
    expect(summary.rejected).toBe(0);
    // Only the sample's two malformed calls are refused.
    expect(lines.filter((l) => l.indexOf('"level":"error"') >= 0)).toHaveLength(2);
    expect(finalTable(sim.table())).toEqual(truth());
    expect(gateway.violations).toEqual([]);
  });
});
