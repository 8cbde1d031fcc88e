/**
 * handle()'s typed outcome: what happened per destination, from the connector itself (serve and
 * the tools read it instead of log lines).
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant, startConnector } from '../support/pipeline';

const install = (customerId: string, device = 'apple'): unknown[] => [
  `p-${customerId}`,
  'loyalty',
  { customerId },
  device,
  { activeRegistrationCount: 1, totalRegistrationCount: 1 },
];

describe('the outcome handle() resolves with', () => {
  let sim: HttpCrmSimulator;
  beforeEach(async () => {
    sim = await startHttpCrmSimulator({ apiKey: 'k-outcome' });
  });
  afterEach(() => sim.server.close());

  it('is written for a change, then unchanged for its redelivery, and the CRM holds the change', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'k-outcome' });
    await expect(t.call('OnPassInstalled', install('c-1'))).resolves.toEqual({
      hook: 'OnPassInstalled',
      passId: 'p-c-1',
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'written' }],
    });
    const writes = sim.server.requests.filter((r) => r.method !== 'GET').length;
    await expect(t.call('OnPassInstalled', install('c-1'))).resolves.toMatchObject({
      destinations: [{ destination: 'crm', result: 'unchanged' }],
    });
    expect(sim.server.requests.filter((r) => r.method !== 'GET')).toHaveLength(writes);
    expect(sim.table().find((row) => row.key === 'c-1')?.walletStatus).toBe('apple');
  });

  it('names no destination for an event routed nowhere, and refuses invalid input as a whole', async () => {
    const t = startConnector(httpTenant(sim.server.url, { route: { passTypes: ['other'] } }), {
      'crm-key': 'k-outcome',
    });
    await expect(t.call('OnPassInstalled', install('c-2'))).resolves.toMatchObject({
      result: 'routed',
      destinations: [],
    });
    const invalid = await t.call('OnPassInstalled', install('c-3', 'blackberry'));
    expect(invalid).toMatchObject({ result: 'refused', kind: 'validation', passId: 'p-c-3' });
    expect(invalid.result === 'refused' && invalid.reason).toMatch(/blackberry|device/);
    expect(sim.server.requests).toHaveLength(0);
  });

  it('rejects, without an outcome, when a destination failed transiently', async () => {
    await sim.server.close();
    const t = startConnector(httpTenant(sim.server.url, { retry: { maxAttempts: 1 }, timeoutMs: 500 }), {
      'crm-key': 'k-outcome',
    });
    await expect(t.call('OnPassInstalled', install('c-4'))).rejects.toMatchObject({ kind: 'transient' });
  });
});

describe('the outcome of a call routed to two destinations', () => {
  let a: HttpCrmSimulator;
  let b: HttpCrmSimulator;
  beforeEach(async () => {
    a = await startHttpCrmSimulator({ apiKey: 'k-outcome' });
    // Another key than the tenant's: every request to it is refused (401, a permanent refusal).
    b = await startHttpCrmSimulator({ apiKey: 'k-other' });
  });
  afterEach(async () => {
    await a.server.close();
    await b.server.close();
  });

  const twoDestinations = (retry?: unknown): ReturnType<typeof httpTenant> => {
    const tenant = httpTenant(a.server.url, { id: 'crm-a' });
    const second = httpTenant(b.server.url, { id: 'crm-b', timeoutMs: 500, ...(retry ? { retry } : {}) });
    return { ...tenant, destinations: [...tenant.destinations, ...second.destinations] };
  };

  it('lists each destination in route order, a refusal beside a write, and logs the refusal once', async () => {
    const t = startConnector(twoDestinations(), { 'crm-key': 'k-outcome' });
    const outcome = await t.call('OnPassInstalled', install('c-5'));
    expect(outcome).toMatchObject({
      result: 'routed',
      destinations: [
        { destination: 'crm-a', result: 'written' },
        { destination: 'crm-b', result: 'refused' },
      ],
    });
    expect(a.table().find((row) => row.key === 'c-5')?.walletStatus).toBe('apple');
    expect(b.table()).toHaveLength(0);
    expect(t.logs.filter((l) => l.msg === 'event dropped' && l.destination === 'crm-b')).toHaveLength(1);
  });

  it('rejects as transient when one destination failed transiently, the other still written', async () => {
    await b.server.close();
    const t = startConnector(twoDestinations({ maxAttempts: 1 }), { 'crm-key': 'k-outcome' });
    await expect(t.call('OnPassInstalled', install('c-6'))).rejects.toMatchObject({ kind: 'transient' });
    expect(a.table().find((row) => row.key === 'c-6')?.walletStatus).toBe('apple');
  });
});
