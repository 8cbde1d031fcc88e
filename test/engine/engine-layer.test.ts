/** The engine layer and the platform adapter, run unbundled in Node with real parts. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as engine from '../../connector/platform/engine/index';
import { ENGINE_API } from '../../cli/build/engine-api';
import { exactLog2, log2IsBroken, setIsBroken } from '../../connector/platform/engine/probes';
import { createHttpTransport } from '../../connector/platform/http';

test('the bundle serves exactly the names engine/index.ts exports', () => {
  expect(Object.keys(engine).sort()).toEqual([...ENGINE_API].sort());
});

test('the job queue runs jobs in FIFO order, including jobs queued while draining', async () => {
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    engine.enqueueJob(() => {
      order.push('a');
      engine.enqueueJob(() => {
        order.push('c');
        resolve();
      });
    });
    engine.enqueueJob(() => order.push('b'));
  });
  expect(order).toEqual(['a', 'b', 'c']);
});

test('the bundled Promise settles through our queue and keeps then/catch/finally semantics', async () => {
  const P = engine.EnginePromise;
  const seen: unknown[] = [];
  const value = await new P<number>((resolve) => resolve(1))
    .then((v) => {
      seen.push(v);
      throw new Error('boom');
    })
    .catch((e: Error) => e.message)
    .finally(() => seen.push('finally'));
  expect(value).toBe('boom');
  expect(seen).toEqual([1, 'finally']);
  await expect(P.reject(new Error('no'))).rejects.toThrow('no');
});

test('the probes recognise the engine faults', () => {
  class BrokenSet extends Set<unknown> {
    override has(v: unknown): boolean {
      return typeof v === 'string' || typeof v === 'number' ? false : super.has(v);
    }
  }
  expect(setIsBroken(BrokenSet)).toBe(true);
  expect(setIsBroken(Set)).toBe(false);
  expect(log2IsBroken((x: number) => Math.log(x) / Math.LN2 + 1e-9)).toBe(true);
  expect(log2IsBroken(exactLog2)).toBe(false);
  expect([exactLog2(1), exactLog2(8), exactLog2(2 ** 40), exactLog2(0)]).toEqual([0, 3, 40, -Infinity]);
  expect(exactLog2(10)).toBeCloseTo(Math.log2(10), 12);
});

describe('fetch transport (Node fetch, loopback server)', () => {
  let server: http.Server;
  let base: string;
  const held: http.ServerResponse[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if ((req.url ?? '').startsWith('/hang')) {
        held.push(res);
        return;
      }
      res.writeHead(201, { 'X-Mixed-Case': 'yes', 'Content-Type': 'text/plain' });
      res.end(`${req.method} ${req.headers['x-key']}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const timers = {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };

  test('returns status, lower-case headers and the body text', async () => {
    const transport = createHttpTransport(fetch, timers);
    const res = await transport({
      method: 'POST',
      url: `${base}/x`,
      headers: { 'X-Key': 'k1' },
      body: '{}',
      timeoutMs: 2000,
    });
    expect(res.status).toBe(201);
    expect(res.headers['x-mixed-case']).toBe('yes');
    expect(res.body).toBe('POST k1');
  });

  test('rejects with ETIMEDOUT when no response comes in time, without the query string in the message', async () => {
    const transport = createHttpTransport(fetch, timers);
    await expect(
      transport({ method: 'GET', url: `${base}/hang?api_key=zzz`, headers: {}, timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT', message: expect.not.stringContaining('zzz') });
  });

  test('rejects with a network code when the connection fails', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const transport = createHttpTransport(fetch, null);
    const error = (await transport({
      method: 'GET',
      url: `http://127.0.0.1:${port}/`,
      headers: {},
      timeoutMs: 0,
    }).catch((e: unknown) => e)) as { code: string };
    expect(error.code).toMatch(/^E[A-Z]+$/);
    expect(error.code).not.toBe('ETIMEDOUT');
  });
});

describe('timer shims', () => {
  test('delegate to the host when it lends timers', async () => {
    expect(engine.hostTimers()).not.toBeNull();
    await new Promise<void>((resolve) => engine.shimSetTimeout(() => resolve(), 1));
  });

  test('a zero-delay timer can be cleared before it runs', async () => {
    let ran = false;
    const handle = engine.shimSetTimeout(() => {
      ran = true;
    }, 0);
    engine.shimClearTimeout(handle);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    expect(ran).toBe(false);
  });
});
