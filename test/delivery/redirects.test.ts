/**
 * A connector never follows a redirect (issue 13): the request carries the API key and the
 * customer's fields, and the Location may name any host. A 3xx is a configuration error naming the
 * Location host, logged once, not retried; a host fetch that follows anyway is caught by the URL
 * of its final response. The other host is a real server that records what reached it.
 */
import { createNodeHost, nodeTimers } from '../../cli/node-host';
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createHttpTransport, type FetchLike } from '../../connector/platform/http';
import type { LogRecord } from '../../connector/platform/host';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startSimServer, type SimServer } from '../sim/server';
import { buildForTest, loadForTest } from '../support/built';
import { httpTenant, startConnector } from '../support/pipeline';

const KEY = ['k', 'redirect', Date.now().toString(36)].join('-');
const install = (c: string) =>
  [
    `p-${c}`,
    'loyalty',
    { customerId: c },
    'apple',
    { activeRegistrationCount: 1, totalRegistrationCount: 1 },
  ] as unknown[];

let crm: HttpCrmSimulator;
let elsewhere: SimServer;

beforeEach(async () => {
  // Another origin that would accept anything: it must never see a request.
  elsewhere = await startSimServer({
    name: 'elsewhere',
    routes: ['/customers/:key', '/oauth/token'].map((pattern) => ({
      method: '*',
      pattern,
      handle: () => ({ status: 200, json: { access_token: 'x'.repeat(20), ok: true } }),
    })),
  });
  crm = await startHttpCrmSimulator({
    apiKey: KEY,
    faults: (req) => ({
      kind: 'status',
      status: 307,
      headers: { location: `${elsewhere.url}${req.url}` },
      body: '',
    }),
  });
});
afterEach(async () => {
  await crm.server.close();
  await elsewhere.close();
});

const elsewhereHost = () => elsewhere.url.replace(/^http:\/\//, '');

function expectOneConfigurationDrop(logs: LogRecord[]): void {
  const dropped = logs.filter((l) => l.msg === 'event dropped');
  expect(dropped).toHaveLength(1);
  expect(dropped[0]).toMatchObject({ destination: 'crm', kind: 'configuration' });
  expect(String(dropped[0]!.reason)).toContain(`redirect to host ${elsewhereHost()}`);
  expect(String(dropped[0]!.reason)).toMatch(/baseUrl/);
}

describe('redirects', () => {
  it('a 307 to another host is a configuration error naming it; nothing reaches that host', async () => {
    const t = startConnector(httpTenant(crm.server.url), { 'crm-key': KEY });
    await expect(t.call('OnPassInstalled', install('a'))).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'configuration' }],
    });
    expect(elsewhere.requests).toHaveLength(0);
    // Not retried: one request, the one that was redirected.
    expect(crm.server.requests).toHaveLength(1);
    expect(crm.records.size).toBe(0);
    expectOneConfigurationDrop(t.logs);
  });

  it('a host fetch that follows redirects anyway is caught by its final URL', async () => {
    // A lent fetch that ignores `redirect: 'manual'` (Node's default is to follow).
    const following: FetchLike = (url, init) =>
      fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal });
    const logs: LogRecord[] = [];
    const host = Object.assign(createNodeHost({ secrets: { 'crm-key': KEY }, log: (r) => logs.push(r) }), {
      http: createHttpTransport(following, nodeTimers),
    });
    const connector = createConnector({
      config: httpTenant(crm.server.url),
      host,
      definitions: destinationDefinitions,
      random: () => 0.5,
    });
    await expect(connector.handle('OnPassInstalled', install('a'))).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'configuration' }],
    });
    // The host's fetch did follow once (that is the host's doing); the connector stops there.
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests.every((r) => r.method === 'GET')).toBe(true);
    expectOneConfigurationDrop(logs);
  });

  it('an OAuth token URL that redirects is refused the same way, before any credential leaves', async () => {
    const t = startConnector(
      httpTenant(crm.server.url, {
        auth: {
          scheme: 'oauth2',
          grant: 'client_credentials',
          tokenUrl: `${crm.server.url}/oauth/token`,
          clientIdSecret: 'client-id',
          clientSecretSecret: 'client-secret',
        },
      }),
      { 'client-id': 'client-redirect', 'client-secret': KEY },
    );
    await expect(t.call('OnPassInstalled', install('a'))).resolves.toMatchObject({
      result: 'routed',
      destinations: [{ destination: 'crm', result: 'refused', kind: 'configuration' }],
    });
    expect(elsewhere.requests).toHaveLength(0);
    expectOneConfigurationDrop(t.logs);
  });
});

describe('redirects through the built bundle (engine-like context, fetch lent as the platform would)', () => {
  it('the upload bundle refuses the redirect too; nothing reaches the other host', async () => {
    const built = await buildForTest(httpTenant(crm.server.url));
    const bundle = loadForTest(built.code, { 'crm-key': KEY });
    // The hooks resolve with `true`: the newest engine rejects a resumed async function returning undefined.
    await expect(bundle.hooks.OnPassInstalled(...install('a'))).resolves.toBe(true);
    expect(elsewhere.requests).toHaveLength(0);
    expect(crm.server.requests).toHaveLength(1);
    const errors = bundle.errorLines();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'configuration' });
    expect(String(errors[0]!.reason)).toContain(`redirect to host ${elsewhereHost()}`);
  }, 60000);
});
