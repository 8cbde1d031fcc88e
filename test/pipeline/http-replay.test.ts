import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant, runConcurrently, startConnector } from '../support/pipeline';
import {
  EXPECTED as expected,
  EXPECTED_PER_PASS,
  SAMPLE as sample,
  SAMPLE_PER_PASS,
  wrongCustomers,
} from '../support/replay-truth';

describe('the http destination, in process, against the CRM simulator', () => {
  let sim: HttpCrmSimulator;
  beforeEach(async () => {
    sim = await startHttpCrmSimulator({ apiKey: 'k-123456' });
  });
  afterEach(() => sim.server.close());

  it('replays the sample to the true final state of every customer', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'k-123456' });
    const results = await runConcurrently(sample, 16, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const table = new Map(sim.table().map((row) => [row.key, row.walletStatus]));
    for (const key of Object.keys(expected))
      expect([key, table.get(key) || 'none']).toEqual([key, expected[key]!.walletStatus]);
    // Exactly the two malformed calls are refused, each with one error line naming pass and reason.
    const errors = t.logs.filter((l) => l.level === 'error');
    expect(errors.map((e) => e.passId)).toEqual(expect.arrayContaining(['p-orphan', 'p-bad-device']));
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => typeof e.reason === 'string' && e.reason.length > 0)).toBe(true);
    // The API key never reaches a log line.
    expect(JSON.stringify(t.logs)).not.toContain('k-123456');
  });

  it('replays the per-pass recording (counts of the whole pass) to the truth with the default auto', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'k-123456' });
    const results = await runConcurrently(SAMPLE_PER_PASS, 16, (c) => t.call(c.hook, c.args));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(wrongCustomers(sim.table(), EXPECTED_PER_PASS)).toEqual([]);
    expect(t.logs.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it.each([
    ['perPass', SAMPLE_PER_PASS, EXPECTED_PER_PASS],
    ['perWallet', sample, expected],
  ] as const)(
    'registrationCounts %s replays the recording of that scope to the truth',
    async (reading, calls, truth) => {
      const t = startConnector(Object.assign(httpTenant(sim.server.url), { registrationCounts: reading }), {
        'crm-key': 'k-123456',
      });
      await runConcurrently(calls, 16, (c) => t.call(c.hook, c.args));
      expect(wrongCustomers(sim.table(), truth)).toEqual([]);
    },
  );

  it('registrationCounts perWallet on the per-pass recording leaves wallets installed (the setting is used)', async () => {
    const t = startConnector(
      Object.assign(httpTenant(sim.server.url), { registrationCounts: 'perWallet' as const }),
      {
        'crm-key': 'k-123456',
      },
    );
    await runConcurrently(SAMPLE_PER_PASS, 16, (c) => t.call(c.hook, c.args));
    const rows = sim.table();
    const wrong = wrongCustomers(rows, EXPECTED_PER_PASS);
    expect(wrong.length).toBeGreaterThan(0);
    // Every miss is a wallet shown installed after its last device removed the pass.
    const on = (status: string, wallet: string) => status === wallet || status === 'both';
    const misses: string[] = [];
    for (const key of wrong) {
      const shown = (rows.find((r) => r.key === key) as { walletStatus: string }).walletStatus;
      for (const wallet of ['apple', 'google'] as const)
        if (on(shown, wallet) !== EXPECTED_PER_PASS[key]![wallet])
          misses.push(on(shown, wallet) ? 'left installed' : 'lost');
    }
    expect(misses.length).toBeGreaterThanOrEqual(wrong.length);
    expect(misses.filter((m) => m !== 'left installed')).toEqual([]);
  });

  it('sends no write for duplicates: replaying the same log again changes nothing', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'k-123456' });
    for (const c of sample) await t.call(c.hook, c.args).catch(() => undefined);
    const before = JSON.stringify([...sim.records.entries()]);
    const writesBefore = sim.server.requests.filter((r) => r.method === 'PUT').length;
    for (const c of sample) await t.call(c.hook, c.args);
    expect(sim.server.requests.filter((r) => r.method === 'PUT').length).toBe(writesBefore);
    expect(JSON.stringify([...sim.records.entries()])).toBe(before);
  });

  it('refuses malformed calls without sending a request', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'k-123456' });
    await t.call('OnPassInstalled', [null, 'loyalty', { customerId: 'c' }, 'apple', {}]);
    await t.call('OnPassInstalled', ['p', 'loyalty', { nobody: 'x' }, 'google', {}]);
    await t.call('OnPassInstalled', ['p', 'offer', { customerId: 'c' }, 'google', {}]);
    expect(sim.server.requests).toHaveLength(0);
    expect(t.logs.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it('resolves and logs once when the secret is missing (configuration error), writing nothing', async () => {
    const t = startConnector(httpTenant(sim.server.url), {});
    await expect(
      t.call('OnPassInstalled', ['p-1', 'loyalty', { customerId: 'c-1' }, 'apple', {}]),
    ).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'configuration' }],
    });
    const errors = t.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ passId: 'p-1', destination: 'crm' });
    expect(sim.server.requests).toHaveLength(0);
  });

  it('drops a permanently refused write with one logged reason, and writes nothing partial', async () => {
    const t = startConnector(httpTenant(sim.server.url), { 'crm-key': 'wrong-key' });
    await expect(
      t.call('OnPassInstalled', ['p-1', 'loyalty', { customerId: 'c-1' }, 'apple', {}]),
    ).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'authentication', status: 401 }],
    });
    expect(sim.records.size).toBe(0);
    const errors = t.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      passId: 'p-1',
      destination: 'crm',
      kind: 'authentication',
      status: 401,
    });
  });
});
