import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { send } from './client';

describe('http CRM simulator', () => {
  let crm: HttpCrmSimulator;
  const key = { 'x-api-key': 'secret-key' };
  const call = (
    method: string,
    path: string,
    body?: string | object,
    headers: Record<string, string> = key,
  ) => send(crm.server.url, path, { method, body, headers });
  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: 'secret-key' });
  });
  afterEach(() => crm.server.close());

  it('refuses a missing or wrong x-api-key with 401 invalid_api_key, on reads and writes', async () => {
    for (const headers of [{}, { 'x-api-key': 'nope' }] as Record<string, string>[]) {
      for (const method of ['GET', 'PUT', 'PATCH', 'POST']) {
        const res = await call(method, '/customers/c-1', { walletStatus: 'apple' }, headers);
        expect(res).toMatchObject({ status: 401, json: { error: 'invalid_api_key' } });
      }
    }
    expect(crm.records.size).toBe(0);
  });

  it('GET answers 404 not_found, then the stored record', async () => {
    expect(await call('GET', '/customers/c-1')).toMatchObject({ status: 404, json: { error: 'not_found' } });
    await call('PUT', '/customers/c-1', { walletStatus: 'apple' });
    expect(await call('GET', '/customers/c-1')).toMatchObject({
      status: 200,
      json: { walletStatus: 'apple' },
    });
  });

  it('PUT replaces (201 on create, 200 after); PATCH and POST merge shallowly', async () => {
    const event = { name: 'Pass:Installed', wallet: 'apple' };
    expect((await call('PUT', '/customers/c-1', { walletStatus: 'apple', event, x: 1 })).status).toBe(201);
    expect((await call('PUT', '/customers/c-1', { walletStatus: 'both', event })).status).toBe(200);
    expect(crm.records.get('c-1')).toEqual({ walletStatus: 'both', event });
    await call('PATCH', '/customers/c-1', {
      googleWalletInstalledAt: '2026-11-27T10:00:00.000Z',
      event: { n: 2 },
    });
    const posted = await call('POST', '/customers/c-1', { appleWalletInstalledAt: null });
    expect(posted.json).toEqual({
      walletStatus: 'both',
      event: { n: 2 },
      googleWalletInstalledAt: '2026-11-27T10:00:00.000Z',
      appleWalletInstalledAt: null,
    });
    expect((await call('PATCH', '/customers/c-2', { walletStatus: 'google' })).status).toBe(201);
  });

  it.each([
    ['not JSON', 'walletStatus=apple', 'invalid_json'],
    ['empty', '', 'invalid_json'],
    ['an array', '[1]', 'invalid_body'],
    ['null', 'null', 'invalid_body'],
    ['a string', '"apple"', 'invalid_body'],
  ])('refuses a body that is %s with 400', async (_what, body, error) => {
    const res = await call('PUT', '/customers/c-1', body);
    expect(res).toMatchObject({ status: 400, json: { error } });
    expect(crm.records.size).toBe(0);
  });

  it('URL-decodes keys', async () => {
    await call('PUT', `/customers/${encodeURIComponent('Ann+Lee@example.com')}`, { walletStatus: 'google' });
    expect([...crm.records.keys()]).toEqual(['Ann+Lee@example.com']);
  });

  it('table() gives one sorted row per customer with the wallet columns, empty when missing', async () => {
    await call('PUT', '/customers/c-2', {
      walletStatus: 'google',
      googleWalletInstalledAt: '2026-11-27T11:00:00.000Z',
    });
    await call('PUT', '/customers/c-10', { walletStatus: 'none', appleWalletInstalledAt: null, extra: true });
    await call('PUT', '/customers/C-1', {
      walletStatus: 'apple',
      appleWalletInstalledAt: '2026-11-27T10:00:00.000Z',
    });
    expect(crm.table()).toEqual([
      {
        key: 'C-1',
        walletStatus: 'apple',
        appleWalletInstalledAt: '2026-11-27T10:00:00.000Z',
        googleWalletInstalledAt: '',
      },
      { key: 'c-10', walletStatus: 'none', appleWalletInstalledAt: '', googleWalletInstalledAt: '' },
      {
        key: 'c-2',
        walletStatus: 'google',
        appleWalletInstalledAt: '',
        googleWalletInstalledAt: '2026-11-27T11:00:00.000Z',
      },
    ]);
  });

  it('uses a default key and passes rate limits and faults to the core', async () => {
    const limited = await startHttpCrmSimulator({
      rateLimit: { requests: 1, intervalMs: 60_000 },
      faults: { match: (req) => req.method === 'PATCH', times: 1, kinds: ['503'] },
    });
    try {
      const headers = { 'x-api-key': limited.apiKey };
      expect(limited.apiKey).toBe('test-api-key');
      const first = await send(limited.server.url, '/customers/a', {
        method: 'PATCH',
        body: { walletStatus: 'apple' },
        headers,
      });
      expect(first.status).toBe(503);
      const second = await send(limited.server.url, '/customers/a', { method: 'GET', headers });
      expect(second.status).toBe(429);
      expect(limited.records.size).toBe(0);
    } finally {
      await limited.server.close();
    }
  });
});
