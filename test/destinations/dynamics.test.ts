/**
 * Dynamics 365 end to end: hook calls through createConnector (Node host, real fetch) into the
 * loopback Dataverse environment, with an Entra-like token endpoint that checks the client secret
 * and the `<org>/.default` scope. Assertions are on outcomes, logged reasons and final rows.
 */
import { chunkFilters, keySegment, odataString } from '../../connector/destinations/dynamics/odata';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { createManualClock } from '../sim/clock';
import { dynamicsLimitRule, startDynamicsSimulator, type DynamicsSimulator } from '../sim/dynamics';
import { failureOf, stopAfterEach, testAuthOf } from '../support/destinations';
import { acmeTenant } from '../support/pipeline';
import { SAMPLE, expectSampleTruth, replay, type Call, type Run } from '../support/replay-truth';

const started = stopAfterEach();

function sim(options: Parameters<typeof startDynamicsSimulator>[0] = {}): Promise<DynamicsSimulator> {
  return started.sim(startDynamicsSimulator(options));
}

function tenant(org: DynamicsSimulator, extra: Partial<DestinationConfig> = {}): TenantConfig {
  return acmeTenant({
    id: 'd365',
    type: 'dynamics',
    baseUrl: org.url,
    auth: {
      scheme: 'oauth2',
      grant: 'client_credentials',
      tokenUrl: org.tokenUrl,
      clientIdSecret: 'd365-id',
      clientSecretSecret: 'd365-secret',
      scope: org.scope,
    },
    externalIdField: 'twc_customerid',
    route: { passTypes: ['loyalty'] },
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  });
}

function start(org: DynamicsSimulator, config: TenantConfig, secret = org.clientSecret): Run {
  return started.run(config, { 'd365-id': org.clientId, 'd365-secret': secret });
}

function install(customer: string, pass: string, wallet = 'apple'): Call {
  return {
    hook: 'OnPassInstalled',
    args: [
      pass,
      'loyalty',
      { customerId: customer },
      wallet,
      { activeRegistrationCount: 1, totalRegistrationCount: 1 },
    ],
  };
}

const patches = (org: DynamicsSimulator) => org.server.requests.filter((r) => r.method === 'PATCH');

describe('OData text', () => {
  it('doubles quotes and percent-encodes key values', () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(keySegment('contacts', 'twc_customerid', "o'b r/1")).toBe(
      "contacts(twc_customerid='o''b%20r%2F1')",
    );
  });
  it('splits long filters', () => {
    const keys = Array.from({ length: 50 }, (_v, i) => `customer-with-a-long-identifier-${i}`);
    const groups = chunkFilters('twc_customerid', keys);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(keys);
  });
});

describe('dynamics destination', () => {
  it('replays the sample with conditional writes and reaches the right final state', async () => {
    const org = await sim();
    const run = start(org, tenant(org));
    await replay(run, SAMPLE);
    expect(run.rejected).toEqual([]);
    expectSampleTruth(org.table());
    // Every write was conditional: create-only for new rows, If-Match an etag for read ones.
    for (const r of patches(org)) {
      const conditional =
        r.headers['if-none-match'] === '*' || /^W\/"\d+"$/.test(r.headers['if-match'] ?? '');
      expect(conditional).toBe(true);
    }
    expect(patches(org).some((r) => r.headers['if-match'] !== undefined)).toBe(true);
  });

  it('re-reads after a concurrent writer changed the row (412), keeping their change', async () => {
    const org = await sim();
    org.insert('c-1', { firstname: 'Ann', twc_walletstatus: 'none' });
    org.interfereOnce('c-1', { firstname: 'Anna' });
    const run = start(org, tenant(org));
    await replay(run, [install('c-1', 'p1')]);
    expect(run.rejected).toEqual([]);
    expect(patches(org).map((r) => r.status)).toEqual([412, 204]);
    const reads = org.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/contacts'));
    expect(reads).toHaveLength(2);
    expect(org.rows.get('c-1')?.fields).toMatchObject({ firstname: 'Anna', twc_walletstatus: 'apple' });
  });

  it('treats a row created between read and create-only write as a conflict too', async () => {
    const org = await sim();
    const run = start(org, tenant(org, { batch: { maxWaitMs: 50 } }));
    // The row appears after the read: simulated by a fault-free other writer inserting on the first PATCH.
    org.server.setFaults((req) => {
      if (req.method === 'PATCH' && !org.rows.has('c-new')) org.insert('c-new', { firstname: 'Bo' });
      return null;
    });
    await replay(run, [install('c-new', 'p1')]);
    expect(run.rejected).toEqual([]);
    expect(patches(org).map((r) => [r.status, r.headers['if-none-match'] ?? r.headers['if-match']])).toEqual([
      [412, '*'],
      [204, expect.stringMatching(/^W\/"\d+"$/)],
    ]);
    expect(org.rows.get('c-new')?.fields).toMatchObject({ firstname: 'Bo', twc_walletstatus: 'apple' });
  });

  it("answers its own rate-limit rule in Dataverse's shape", async () => {
    const clock = createManualClock();
    const org = await sim({ clock: clock.now, rateLimit: dynamicsLimitRule(1, 300000) });
    const get = () => fetch(`${org.url}/api/data/v9.2/contacts`);
    expect((await get()).status).toBe(401);
    const refused = await get();
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '300']);
    expect(await refused.json()).toEqual({ error: expect.objectContaining({ code: '0x80072322' }) });
  });

  describe('testAuth', () => {
    it('accepts good credentials and confirms the columns', async () => {
      const org = await sim();
      const run = start(org, tenant(org));
      const message = await testAuthOf(run);
      expect(message).toContain('twc_customerid and all 6 wallet columns');
    });

    it('says the client secret was refused, without printing it', async () => {
      const org = await sim();
      const run = start(org, tenant(org), 'not-the-secret');
      const error = await failureOf(testAuthOf(run));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('d365-secret');
      expect(error.message).not.toContain('not-the-secret');
    });

    it('says a wrong scope is refused', async () => {
      const org = await sim();
      const config = tenant(org);
      (config.destinations[0] as DestinationConfig).auth.scope = 'https://other.crm.dynamics.com/.default';
      const run = start(org, config);
      const error = await failureOf(testAuthOf(run));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('AADSTS70011');
    });

    it('names a missing column', async () => {
      const org = await sim({ columns: ['twc_walletstatus'] });
      const run = start(org, tenant(org));
      const error = await failureOf(testAuthOf(run));
      expect(error.kind).toBe('configuration');
      expect(error.message).toContain("Could not find a property named 'twc_applewalletinstalledat'");
    });
  });
});
