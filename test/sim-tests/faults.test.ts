import http from 'node:http';
import type { FaultPlan } from '../sim/faults';
import { startSimServer, type SimServer } from '../sim/server';
import type { Route } from '../sim/types';
import { failure, send } from './client';

const routes: Route[] = [
  { method: '*', pattern: '/c/:key', handle: (_req, params) => ({ status: 200, json: { key: params.key } }) },
];

describe('simulator core: faults', () => {
  let sim: SimServer;
  const start = async (faults: FaultPlan) => {
    sim = await startSimServer({ routes, faults });
  };
  const hit = (key = 'a', method = 'GET') => send(sim.url, `/c/${key}`, { method });
  afterEach(() => sim.close());

  it('answers a status N times, then the real answer', async () => {
    await start({ times: 3, kinds: ['503', '502', '504'] });
    const got = [];
    for (let i = 0; i < 5; i++) got.push((await hit()).status);
    expect(got).toEqual([503, 502, 504, 200, 200]);
    expect(sim.requests.map((r) => r.fault)).toEqual(['503', '502', '504', null, null]);
  });

  it.each([500, 408, 423])('injects %i with a JSON error body', async (status) => {
    await start({ times: 1, kinds: [String(status)] });
    const res = await hit();
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: 'injected_fault', status });
  });

  it('injects a 400 with a vendor body and headers', async () => {
    const json = { category: 'VALIDATION_ERROR', message: 'Property "x" does not exist' };
    await start({ times: 1, kinds: [{ kind: 'status', status: 400, json, headers: { 'x-why': 'test' } }] });
    const res = await hit();
    expect(res).toMatchObject({ status: 400, json });
    expect(res.headers['x-why']).toBe('test');
  });

  it('resets the connection: a plain node:http client sees ECONNRESET or socket hang up', async () => {
    await start({ times: 1, kinds: ['reset'] });
    const error = await failure(hit());
    expect(error.code === 'ECONNRESET' || /socket hang up/.test(error.message)).toBe(true);
    expect(sim.requests[0]).toMatchObject({ fault: 'reset', status: null, aborted: false });
    expect((await hit()).status).toBe(200);
  });

  it('delays the real answer', async () => {
    await start({ times: 1, kinds: ['delay:20'] });
    const res = await hit('slow');
    expect(res).toMatchObject({ status: 200, json: { key: 'slow' } });
    expect(sim.requests[0]).toMatchObject({ fault: 'delay:20', status: 200, aborted: false });
  });

  it('a long delay outlives a client timeout, and the abort is recorded', async () => {
    await start({ times: 1, kinds: ['delay:600000'] });
    const error = await failure(send(sim.url, '/c/a', { timeoutMs: 50 }));
    expect(error.message).toBe('timeout');
    await untilRecorded(() => sim.requests[0]?.aborted === true);
    expect(sim.requests[0]).toMatchObject({ fault: 'delay:600000', status: null, aborted: true });
  });

  it('hangs without answering until the client gives up', async () => {
    await start({ times: 1, kinds: ['hang'] });
    const error = await failure(send(sim.url, '/c/a', { timeoutMs: 50 }));
    expect(error.message).toBe('timeout');
    expect(sim.requests[0]).toMatchObject({ fault: 'hang', status: null });
  });

  it.each([
    ['empty', 200],
    ['empty:204', 204],
    ['empty:202', 202],
  ])('%s answers an empty %i', async (spec, status) => {
    await start({ times: 1, kinds: [spec] });
    const res = await hit();
    expect(res.status).toBe(status);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('picks requests by matcher and skips the first ones', async () => {
    await start({ match: (req) => req.method === 'PUT', skip: 1, kinds: ['500'] });
    expect((await hit('a', 'PUT')).status).toBe(200);
    expect((await hit('a', 'GET')).status).toBe(200);
    expect((await hit('a', 'PUT')).status).toBe(500);
    expect((await hit('b', 'PUT')).status).toBe(500);
  });

  it('uses the first rule that fires', async () => {
    await start([
      { match: (req) => req.path === '/c/x', kinds: ['423'] },
      { times: 1, kinds: ['503'] },
    ]);
    expect((await hit('x')).status).toBe(423);
    expect((await hit('y')).status).toBe(503);
    expect((await hit('y')).status).toBe(200);
  });

  it('accepts a function plan, called with the request and its index', async () => {
    await start((req, index) => (index % 2 === 1 || req.path === '/c/bad' ? '500' : null));
    const got = [];
    for (const key of ['a', 'b', 'bad', 'c']) got.push((await hit(key)).status);
    expect(got).toEqual([200, 500, 500, 500]);
  });

  it('setFaults replaces the plan and null removes it; unknown kinds are refused', async () => {
    await start({ kinds: ['503'] });
    expect((await hit()).status).toBe(503);
    sim.setFaults(null);
    expect((await hit()).status).toBe(200);
    expect(() => sim.setFaults({ kinds: ['teapot'] })).toThrow(/unknown fault/);
    expect(() => sim.setFaults({ probability: 2, kinds: ['503'] })).toThrow(/probability/);
  });
});

describe('simulator core: seeded probability faults', () => {
  const plan = (seed: number): FaultPlan => ({ probability: 0.2, seed, kinds: ['503', '500', 'empty'] });
  const keys = Array.from({ length: 100 }, (_, i) => `c-${i % 25}`);

  /** Sends the keys in the given order (several times each) and returns each request's fate by identity. */
  async function fates(seed: number, order: string[]): Promise<Map<string, string>> {
    const sim = await startSimServer({ routes, faults: plan(seed) });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    try {
      await Promise.all(order.map((key) => send(sim.url, `/c/${key}`, { agent })));
      const seen = new Map<string, number>();
      const out = new Map<string, string>();
      for (const r of sim.requests) {
        const n = (seen.get(r.path) ?? 0) + 1;
        seen.set(r.path, n);
        out.set(`${r.path}#${n}`, r.fault ?? 'none');
      }
      return out;
    } finally {
      agent.destroy();
      await sim.close();
    }
  }

  it('faults the same requests with the same kinds on every run, whatever the arrival order', async () => {
    const first = await fates(42, keys);
    const again = await fates(42, [...keys].reverse());
    expect(again).toEqual(first);
    const faulted = [...first.values()].filter((fate) => fate !== 'none');
    // 20% of 100 with a fixed seed: a fixed number, near 20, mixing the kinds.
    expect(faulted.length).toBeGreaterThan(8);
    expect(faulted.length).toBeLessThan(32);
    expect(new Set(faulted).size).toBeGreaterThan(1);
  });

  it('a different seed faults different requests', async () => {
    expect(await fates(7, keys)).not.toEqual(await fates(42, keys));
  });
});

/** The server notices a client abort on its own socket event; wait for that event, not for a time. */
async function untilRecorded(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
