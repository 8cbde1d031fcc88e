/**
 * Input that can never succeed must not be retried forever (issue 13). A join key the CRM can store
 * is written, whatever it is called ("__proto__", "constructor"); text that is not Unicode (a lone
 * surrogate) is a validation error, logged once, and the hook resolves so the platform stops
 * delivering it. Real simulators; outcomes and the requests the CRMs saw are asserted.
 */
import type { DestinationConfig } from '../../connector/config/tenant-config.generated';
import { HUBSPOT_TOKEN, startHubSpotSimulator, type HubSpotSimulator } from '../sim/hubspot';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { acmeTenant, httpTenant, runConcurrently, startConnector } from '../support/pipeline';

const install = (customerId: string, passType = 'loyalty') =>
  [
    `p-${customerId.length}-${customerId.charCodeAt(0)}`,
    passType,
    { customerId },
    'apple',
    { activeRegistrationCount: 1, totalRegistrationCount: 1 },
  ] as unknown[];

const LONE_SURROGATE = 'c-\ud800-1';

describe('HubSpot: join keys that are Object.prototype names', () => {
  let sim: HubSpotSimulator;
  afterEach(() => sim.server.close());

  it('writes "__proto__", "constructor" and friends like any other customer, once', async () => {
    sim = await startHubSpotSimulator();
    const config = acmeTenant({
      id: 'hubspot-main',
      type: 'hubspot',
      baseUrl: sim.server.url,
      auth: { scheme: 'bearer', tokenSecret: 'hubspot-token' },
      idProperty: 'customer_id',
      batch: { maxWaitMs: 20 },
    } as DestinationConfig);
    // Lower case: the acme tenant normalizes join keys as emails.
    const ids = ['__proto__', 'constructor', 'prototype', 'tostring', 'c-1'];
    const t = startConnector(config, { 'hubspot-token': HUBSPOT_TOKEN });
    const first = await runConcurrently(ids, ids.length, (id) => t.call('OnPassInstalled', install(id)));
    expect(first).toEqual(ids.map(() => ({ ok: true })));
    expect(sim.table().map((r) => [r.key, r.walletStatus])).toEqual(
      [...ids].sort().map((id) => [id, 'apple']),
    );
    // A redelivery finds every record and changes nothing.
    const upserts = () => sim.server.requests.filter((r) => r.path.endsWith('/batch/upsert')).length;
    const before = upserts();
    const again = await runConcurrently(ids, ids.length, (id) => t.call('OnPassInstalled', install(id)));
    expect(again).toEqual(ids.map(() => ({ ok: true })));
    expect(upserts()).toBe(before);
    expect(t.logs.filter((l) => l.level === 'error' || l.msg === 'attempt failed')).toEqual([]);
  });
});

describe('text that is not Unicode', () => {
  let crm: HttpCrmSimulator;
  afterEach(() => crm.server.close());

  it('a join key with a lone surrogate is refused once as validation; the CRM sees nothing', async () => {
    crm = await startHttpCrmSimulator({ apiKey: 'k-poison-1' });
    const t = startConnector(httpTenant(crm.server.url), { 'crm-key': 'k-poison-1' });
    await expect(t.call('OnPassInstalled', install(LONE_SURROGATE))).resolves.toMatchObject({
      result: 'refused',
      kind: 'validation',
    });
    expect(crm.server.requests).toHaveLength(0);
    const rejected = t.logs.filter((l) => l.msg === 'event rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ kind: 'validation' });
    expect(String(rejected[0]!.reason)).toMatch(/customerId.*not valid Unicode/);
  });

  it('any other value that cannot be URL-encoded is a validation error, not retried', async () => {
    crm = await startHttpCrmSimulator({ apiKey: 'k-poison-2' });
    const t = startConnector(
      httpTenant(crm.server.url, {
        path: '/customers/{joinKey}/{passType}',
        mode: 'writeOnly',
        route: {},
      }),
      { 'crm-key': 'k-poison-2' },
    );
    await expect(t.call('OnPassInstalled', install('c-2', `loyalty-\udc00`))).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'validation' }],
    });
    expect(crm.server.requests).toHaveLength(0);
    expect(t.logs.filter((l) => l.msg === 'attempt failed')).toEqual([]);
    const dropped = t.logs.filter((l) => l.msg === 'event dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ kind: 'validation', destination: 'crm' });
  });
});
