/**
 * serve's bounds (issue 13): a slow-body connection neither holds the shutdown drain nor a slot
 * forever, connections are capped, and serve refuses to start without a secret the tenant names.
 * Real sockets against the real server; the outcome (closed, refused, exit code) is asserted.
 */
import net from 'node:net';
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createNodeHost } from '../../cli/node-host';
import { startWebhookServer, type WebhookServer, type WebhookServerOptions } from '../../cli/serve/server';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import { runCli, writeJsonFiles } from './cli-process';

const SECRET = ['whsec', 'limits', Date.now().toString(36)].join('-');
const CRM_KEY = 'crm-key-limits-1';

let crm: HttpCrmSimulator;
let server: WebhookServer | undefined;

beforeEach(async () => {
  crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
});
afterEach(async () => {
  if (server) await server.shutdown();
  server = undefined;
  await crm.server.close();
});

async function start(options: Partial<WebhookServerOptions> = {}): Promise<WebhookServer> {
  const host = createNodeHost({ secrets: { 'crm-key': CRM_KEY }, log: () => undefined });
  const connector = createConnector({
    config: httpTenant(crm.server.url),
    host,
    definitions: destinationDefinitions,
  });
  server = await startWebhookServer({ connector, secret: SECRET, ...options });
  return server;
}

/** A client that sends headers announcing a body, then only part of it, and never the rest. */
function slowBody(port: number): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"ev',
      );
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      const closed = new Promise<string>((done) => socket.once('close', () => done(received)));
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

/** Resolves once the server has counted the request (its headers arrived, its body is awaited). */
async function receivedCount(url: string, n: number): Promise<void> {
  for (;;) {
    const health = await fetch(`${url}/health`).then(
      (r) => r.json() as Promise<{ counters: { received: number } }>,
    );
    if (health.counters.received >= n) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('serve limits', () => {
  it('shutdown does not wait for a sender that never finishes its body', async () => {
    const s = await start();
    const slow = await slowBody(s.port);
    await receivedCount(s.url, 1);
    await s.shutdown();
    server = undefined;
    // The half-sent delivery was cut, not answered: the platform will send it again.
    expect(await slow.closed).toBe('');
  });

  it('a request whose body does not arrive within requestTimeoutMs is closed', async () => {
    const s = await start({ requestTimeoutMs: 300 });
    const slow = await slowBody(s.port);
    const answer = await slow.closed;
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect(s.counters.written).toBe(0);
  });

  it('connections beyond maxConnections are refused', async () => {
    const s = await start({ maxConnections: 2 });
    // Accepted in arrival order: these two take both slots before the third arrives.
    const held = [await slowBody(s.port), await slowBody(s.port)];
    const third = await slowBody(s.port);
    expect(await third.closed).toBe('');
    for (const h of held) h.socket.destroy();
  });
});

describe('serve start-up', () => {
  it('refuses to start (exit 2) when a destination secret the tenant names is missing, naming it', async () => {
    const files = writeJsonFiles({
      tenant: Object.assign(httpTenant(crm.server.url), { platform: { webhookSecret: 'webhook-secret' } }),
      secrets: { 'webhook-secret': SECRET },
    });
    const cli = runCli(['serve', '--tenant', files.tenant!, '--secrets', files.secrets!, '--port', '0']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain(
      'secret "crm-key" (destinations[0].auth.secret) is not in the secrets file',
    );
    expect(cli.stdout()).toBe('');
  });
});
