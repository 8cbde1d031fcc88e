import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createNodeHost } from '../../cli/node-host';
import { startWebhookServer, type WebhookServer } from '../../cli/serve/server';
import { sign } from '../../cli/serve/signature';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import type { LogRecord } from '../../connector/platform/host';
import { delivery, get, post, signedPost } from './webhook-sender';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const CRM_KEY = 'crm-key-5c2e1d';

const installed = (customerId: string, device = 'apple', counts = { active: 1, total: 1 }): string =>
  delivery('Pass:Installed', {
    passId: `p-${customerId}`,
    passType: 'loyalty',
    identifiers: { customerId },
    device,
    activeRegistrationCount: counts.active,
    totalRegistrationCount: counts.total,
  });

describe('serve: the signed-webhook receiver', () => {
  let crm: HttpCrmSimulator;
  let server: WebhookServer;
  let logs: LogRecord[];

  async function start(overrides: Record<string, unknown> = {}, bodyLimit?: number): Promise<void> {
    logs = [];
    const host = createNodeHost({
      secrets: { 'crm-key': CRM_KEY },
      log: (r) => logs.push(r),
    });
    const connector = createConnector({
      config: httpTenant(crm.server.url, overrides),
      host,
      definitions: destinationDefinitions,
      random: () => 0.5,
    });
    server = await startWebhookServer({ connector, secret: SECRET, bodyLimit });
  }

  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
  });
  afterEach(async () => {
    await server.shutdown();
    await crm.server.close();
  });

  it('applies deliveries signed in hex or base64 to the CRM', async () => {
    await start();
    expect(await signedPost(server.url, installed('c-1'), SECRET, 'hex')).toEqual({
      status: 200,
      json: { ok: true },
    });
    expect(await signedPost(server.url, installed('c-2', 'google'), SECRET, 'base64')).toMatchObject({
      status: 200,
    });
    const uninstall = delivery('Pass:Uninstalled', {
      passId: 'p-c-1',
      passType: 'loyalty',
      identifiers: { customerId: 'c-1' },
      device: 'apple',
      activeRegistrationCount: 0,
      totalRegistrationCount: 1,
    });
    expect(await signedPost(server.url, uninstall, SECRET, 'base64')).toMatchObject({ status: 200 });
    expect(crm.table().map((r) => [r.key, r.walletStatus])).toEqual([
      ['c-1', 'none'],
      ['c-2', 'google'],
    ]);
  });

  it('refuses unsigned and badly signed deliveries with 401 and touches nothing', async () => {
    await start();
    const body = installed('c-1');
    expect((await post(server.url, body)).status).toBe(401);
    expect((await post(server.url, body, { 'x-neostore-signature': 'deadbeef' })).status).toBe(401);
    const otherBody = installed('c-2');
    expect((await post(server.url, body, { 'x-neostore-signature': sign(otherBody, SECRET) })).status).toBe(
      401,
    );
    expect(
      (await post(server.url, body, { 'x-neostore-signature': sign(body, 'another-secret') })).status,
    ).toBe(401);
    expect(crm.server.requests).toHaveLength(0);
    expect(server.counters.unauthorized).toBe(4);
  });

  it('answers 413 above the body limit, 400 for bad JSON, 202 for events it does not handle', async () => {
    await start({}, 2048);
    const big = JSON.stringify({ event: 'Pass:Installed', data: { pad: 'x'.repeat(4096) } });
    expect((await signedPost(server.url, big, SECRET)).status).toBe(413);
    expect((await signedPost(server.url, '{"event": "Pass:Inst', SECRET)).status).toBe(400);
    expect(await signedPost(server.url, delivery('Pass:Created', { passId: 'p-1' }), SECRET)).toEqual({
      status: 202,
      json: { ok: true, ignored: 'Pass:Created' },
    });
    expect(crm.server.requests).toHaveLength(0);
  });

  it('answers 200 with a note for a permanently unprocessable event, once logged', async () => {
    await start();
    const noKey = delivery('Pass:Installed', {
      passId: 'p-9',
      passType: 'loyalty',
      identifiers: { memberNo: '9' },
      device: 'apple',
    });
    const sent = await signedPost(server.url, noKey, SECRET);
    expect(sent.status).toBe(200);
    expect(sent.json.note).toMatch(/no join key/);
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('answers 503 when the CRM fails transiently past the retry budget, so the platform redelivers', async () => {
    crm.server.setFaults({ kinds: ['503'] });
    await start({ retry: { maxElapsedMs: 400, maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
    const sent = await signedPost(server.url, installed('c-1'), SECRET);
    expect(sent.status).toBe(503);
    crm.server.setFaults(null);
    expect((await signedPost(server.url, installed('c-1'), SECRET)).status).toBe(200);
    expect(crm.records.get('c-1')).toMatchObject({ walletStatus: 'apple' });
    expect(server.counters).toMatchObject({ transient: 1, written: 1 });
  });

  it('reports counters on GET /health', async () => {
    await start();
    await signedPost(server.url, installed('c-1'), SECRET);
    await post(server.url, installed('c-1'));
    const health = await get(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(health.json.counters).toMatchObject({ received: 2, written: 1, unauthorized: 1 });
    expect(JSON.stringify(health.json)).not.toContain(SECRET);
  });

  it('drains in-flight work on shutdown, then accepts no more', async () => {
    // Every CRM answer is slow: the delivery is still in flight when shutdown begins.
    crm.server.setFaults({ kinds: ['delay:300'] });
    await start();
    const inFlight = signedPost(server.url, installed('c-1'), SECRET);
    while (server.counters.received === 0) await new Promise((r) => setImmediate(r));
    const stopped = server.shutdown();
    expect((await inFlight).status).toBe(200);
    await stopped;
    expect(crm.records.get('c-1')).toMatchObject({ walletStatus: 'apple' });
    await expect(signedPost(server.url, installed('c-2'), SECRET)).rejects.toThrow(/ECONNREFUSED/);
  });
});
