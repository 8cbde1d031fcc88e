/** The engine layer and the platform adapter, run unbundled in Node with real parts. */
import * as http from 'node:http';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import * as engine from '../../connector/platform/engine/index';
import { ENGINE_API } from '../../cli/build/engine-api';
import { leftOutBuiltinsCalled } from '../../cli/build/esbuild-plugins';
import { mapForEachIsSwapped } from '../../connector/platform/engine/probes';
import { fireDueTimers, nextTimerDue } from '../../connector/platform/engine/timers';
import { toRadix, toRadixSearchingFrom } from '../../connector/platform/engine/builtins';
import { createHttpTransport } from '../../connector/platform/http';

test('the bundle serves exactly the names engine/index.ts exports', () => {
  expect(Object.keys(engine).sort()).toEqual([...ENGINE_API].sort());
});

test('the job queue runs jobs in FIFO order when drained, including jobs queued while draining', () => {
  const order: string[] = [];
  engine.enqueueJob(() => {
    order.push('a');
    engine.enqueueJob(() => order.push('c'));
  });
  engine.enqueueJob(() => order.push('b'));
  // Nothing rings the host: jobs wait for a drain (a hook driver's turn, or a fired timer).
  expect(order).toEqual([]);
  engine.runJobs();
  expect(order).toEqual(['a', 'b', 'c']);
});

/** Drains the job queue until `p` settles: what the hook drivers do in the bundle. */
function drained<T>(p: PromiseLike<T>): Promise<T> {
  let outcome: { ok: boolean; value: unknown } | null = null;
  // Handlers go on at once, as the connector's own code does, so the rejection is handled.
  p.then(
    (value) => (outcome = { ok: true, value }),
    (value: unknown) => (outcome = { ok: false, value }),
  );
  for (let i = 0; i < 100 && !outcome; i++) engine.runJobs();
  const settled = outcome as { ok: boolean; value: unknown } | null;
  if (!settled) return Promise.reject(new Error('never settled'));
  return settled.ok ? Promise.resolve(settled.value as T) : Promise.reject(settled.value);
}

test('the bundled Promise settles through our queue and keeps then/catch/finally semantics', async () => {
  const P = engine.EnginePromise;
  const seen: unknown[] = [];
  const value = await drained(
    new P<number>((resolve) => resolve(1))
      .then((v) => {
        seen.push(v);
        throw new Error('boom');
      })
      .catch((e: Error) => e.message)
      .finally(() => seen.push('finally')),
  );
  expect(value).toBe('boom');
  expect(seen).toEqual([1, 'finally']);
  await expect(drained(P.reject(new Error('no')))).rejects.toThrow('no');
});

test('the probes recognise the engine faults', () => {
  // The 2021 build's Map.forEach hands (key, value).
  class SwappedMap<K, V> extends Map<K, V> {
    override forEach(cb: (value: V, key: K, map: Map<K, V>) => void): void {
      super.forEach((v, k) => cb(k as unknown as V, v as unknown as K, this));
    }
  }
  expect(mapForEachIsSwapped(SwappedMap)).toBe(true);
  expect(mapForEachIsSwapped(Map)).toBe(false);
});

test('a bundle calling a built-in the prelude leaves out is named, with where it calls it', () => {
  const called = leftOutBuiltinsCalled('const a = [1, [2]].flat(); const w = new WeakMap(); Object.keys(a);');
  expect(called).toHaveLength(2);
  expect(called[0]).toContain(
    'the bundle calls Array.prototype.flat, flatMap or at ("const a = [1, [2]].flat()',
  );
  expect(called[1]).toContain('WeakMap or WeakSet');
  expect(leftOutBuiltinsCalled('Math.log2(8)')[0]).toContain('log2 is inexact there');
  expect(leftOutBuiltinsCalled('const seen = new Set(["a"]);')[0]).toContain('Set (its has is wrong');
  expect(leftOutBuiltinsCalled('x instanceof Set')).toHaveLength(1);
  // A property or a longer name is not the global Set.
  expect(
    leftOutBuiltinsCalled('KJUR.asn1.DERSet(a); o.Set = 1; var SetA = 2; "Set-Cookie"; // a Set, [].flat()'),
  ).toEqual([]);
  // What the prelude does install passes.
  expect(
    leftOutBuiltinsCalled('Object.entries(o); Object.hasOwn(o, "k"); Number.isInteger(1); (1).toString(36)'),
  ).toEqual([]);
});

test('the replacements answer like the built-ins they stand in for', () => {
  for (const [n, r] of [
    [35, 36],
    [0.5, 2],
    [255, 16],
    [-12.75, 2],
  ] as const)
    expect(toRadix(n, r)).toBe(n.toString(r));
  // Fractions carry the double's precision (the last digit may round differently), in lower case.
  const random = 0.7315428931943841;
  expect(toRadix(random, 36).slice(0, 10)).toBe(random.toString(36).slice(0, 10));
});

/** toRadix as first written, searching the last place by halving from 1: the oracle for its shortcut. */
function toRadixByHalving(value: number, radix: number): string {
  return toRadixSearchingFrom(value, radix, () => 1);
}

test('toRadix writes what halving from 1 wrote, for any finite double and radix: small, huge, subnormal', () => {
  fc.assert(
    fc.property(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: 2, max: 36 }),
      (x, r) => {
        expect(toRadix(x, r)).toBe(toRadixByHalving(x, r));
      },
    ),
    { numRuns: 3000 },
  );
  for (const x of [5e-324, 1e-310, 0.1, 0.5, 1, 2 ** 52 + 1, 2 ** 53, 1e308, Math.random()])
    expect(toRadix(x, 36)).toBe(toRadixByHalving(x, 36));
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
  test('a real wait is virtual: known to the drivers, fired by them once due, never by the host', () => {
    expect(engine.hostTimers()).not.toBeNull();
    let fired = 0;
    const before = Date.now();
    engine.shimSetTimeout(() => fired++, 50);
    const due = nextTimerDue() as number;
    expect(due).toBeGreaterThanOrEqual(before + 50);
    fireDueTimers(due - 1);
    expect(fired).toBe(0);
    fireDueTimers(due);
    expect(fired).toBe(1);
    expect(nextTimerDue()).toBeNull();
  });

  test('a cleared wait never fires, and a zero-delay timer waits for the next turn, not the current drain', () => {
    let ran = 0;
    const wait = engine.shimSetTimeout(() => ran++, 10);
    engine.shimClearTimeout(wait);
    expect(nextTimerDue()).toBeNull();
    const zero = engine.shimSetTimeout(() => ran++, 0);
    engine.shimClearTimeout(zero);
    // A poller that re-arms itself: each turn fires it once, so a drain always ends.
    const poll = (): void => {
      ran += 10;
      engine.shimSetTimeout(poll, 0);
    };
    engine.shimSetTimeout(poll, 0);
    engine.runJobs();
    expect(ran).toBe(0);
    fireDueTimers(Date.now());
    expect(ran).toBe(10);
    fireDueTimers(Date.now());
    expect(ran).toBe(20);
  });
});
