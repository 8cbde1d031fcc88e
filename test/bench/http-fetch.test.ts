/**
 * The fetch the overhead section lends the bundle (bench/http-fetch.ts) must behave like the
 * fetch the connector is written against, or the held CPU figure would measure a connector that
 * does less: these go through the connector's own transport (axios over the lent fetch) against a
 * real loopback server, and check what the server received and what the connector got back.
 */
import { nodeHttpFetch } from '../../bench/http-fetch';
import { nodeTimers } from '../../cli/node-host';
import { createHttpTransport, HttpTransportError } from '../../connector/platform/http';
import { startSimServer, type SimServer } from '../sim/server';

let server: SimServer;
const seen: Array<{ method: string; url: string; key: unknown; body: unknown }> = [];

beforeAll(async () => {
  server = await startSimServer({
    name: 'lent-fetch',
    routes: [
      {
        method: '*',
        pattern: '/customers/:key',
        handle: (req) => {
          seen.push({ method: req.method, url: req.url, key: req.headers['x-api-key'], body: req.json });
          return { status: 201, json: { saved: true }, headers: { 'Retry-After': '7', 'X-Trace': 'abc' } };
        },
      },
      {
        method: 'GET',
        pattern: '/moved',
        handle: () => ({ status: 302, headers: { location: 'http://elsewhere.example/x' }, body: '' }),
      },
    ],
    // A server that never answers: the connection is left hanging until the client gives up.
    faults: (req) => (req.path === '/slow' ? 'hang' : null),
  });
});
afterAll(() => server.close());

const transport = () => createHttpTransport(nodeHttpFetch(), nodeTimers);

it('sends method, headers and body, and returns status, lower-cased headers and the raw body', async () => {
  const response = await transport()({
    method: 'PUT',
    url: `${server.url}/customers/c-1`,
    headers: { 'x-api-key': 'k-1', 'content-type': 'application/json' },
    body: JSON.stringify({ walletStatus: 'apple' }),
    timeoutMs: 5000,
  });
  expect(response.status).toBe(201);
  expect(JSON.parse(response.body)).toEqual({ saved: true });
  expect(response.headers['retry-after']).toBe('7');
  expect(response.headers['x-trace']).toBe('abc');
  expect(seen[seen.length - 1]).toEqual({
    method: 'PUT',
    url: '/customers/c-1',
    key: 'k-1',
    body: { walletStatus: 'apple' },
  });
});

/** The transport's failure for a GET of `path`: it must fail, and with an HttpTransportError. */
async function failureOf(path: string, timeoutMs: number): Promise<HttpTransportError> {
  const failure = await transport()({
    method: 'GET',
    url: `${server.url}${path}`,
    headers: {},
    timeoutMs,
  }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(HttpTransportError);
  return failure as HttpTransportError;
}

it('does not follow a redirect: the connector sees the 3xx and refuses it', async () => {
  const failure = await failureOf('/moved', 5000);
  expect(failure.code).toBe('EREDIRECT');
  expect(failure.message).toContain('elsewhere.example');
});

it('gives up at the timeout with ETIMEDOUT', async () => {
  const failure = await failureOf('/slow', 50);
  expect(failure.code).toBe('ETIMEDOUT');
});
