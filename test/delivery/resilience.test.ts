/**
 * Delivery against a misbehaving CRM (issue 8): each case asserts the final stored state AND the
 * requests the CRM saw. Timing assertions compare the simulator's own arrival times with the time
 * the throttle answer was sent, never how fast the machine is.
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant, runConcurrently, startConnector } from '../support/pipeline';
import type { FaultPlan } from '../sim/faults';
import type { RateLimitRule } from '../sim/rate-limit';

const KEY = 'k-resilience-1';
/** Node timers may fire a millisecond early against Date.now(); arrival times are in whole ms. */
const TIMER_SLACK_MS = 5;
const install = (c: string, total = 1, device: 'apple' | 'google' = 'apple') =>
  [
    `p-${c}`,
    'loyalty',
    { customerId: c },
    device,
    { activeRegistrationCount: 1, totalRegistrationCount: total },
  ] as unknown[];

let sim: HttpCrmSimulator;
async function start(faults?: FaultPlan, rateLimit?: RateLimitRule | RateLimitRule[]) {
  sim = await startHttpCrmSimulator({ apiKey: KEY, faults, rateLimit });
}
afterEach(() => sim.server.close());

const writes = () => sim.server.requests.filter((r) => r.method === 'PUT');
const tenant = (overrides: Record<string, unknown> = {}) =>
  httpTenant(
    sim.server.url,
    Object.assign({ rateLimit: { requests: 2000, intervalMs: 1000, maxConcurrent: 1 } }, overrides),
  );

describe('throttling', () => {
  it('429 with Retry-After: 2 — no request reaches the CRM during those 2 s; then all land', async () => {
    await start({
      match: (r) => r.method === 'PUT',
      times: 1,
      kinds: [{ kind: 'status', status: 429, headers: { 'retry-after': '2' }, json: { error: 'slow down' } }],
    });
    const t = startConnector(tenant(), { 'crm-key': KEY });
    await runConcurrently(['a', 'b', 'c', 'd'], 4, (c) => t.call('OnPassInstalled', install(c)));
    const refused = sim.server.requests.find((r) => r.status === 429)!;
    const after = sim.server.requests.filter((r) => r.seq > refused.seq);
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) expect(r.at - refused.at).toBeGreaterThanOrEqual(2000);
    expect(sim.table().map((r) => r.walletStatus)).toEqual(['apple', 'apple', 'apple', 'apple']);
    expect(t.logs.filter((l) => l.msg === 'attempt failed')[0]).toMatchObject({
      destination: 'crm',
      status: 429,
      kind: 'throttled',
    });
  });

  it('429 with an HTTP-date Retry-After is honoured as a date', async () => {
    let refusedAt = 0;
    await start((req, index) => {
      if (index !== 0) return null;
      refusedAt = Date.now();
      return {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': new Date(refusedAt + 2000).toUTCString() },
      };
    });
    const t = startConnector(tenant(), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    const second = sim.server.requests[1]!;
    // HTTP dates have one-second resolution: the wait ends at the start of the dated second at the earliest.
    expect(second.at).toBeGreaterThanOrEqual(Math.floor((refusedAt + 2000) / 1000) * 1000);
    expect(sim.table()[0]!.walletStatus).toBe('apple');
  });

  it('429 without Retry-After backs off and succeeds', async () => {
    await start({ times: 2, kinds: ['429'] });
    const t = startConnector(tenant({ retry: { baseDelayMs: 50 } }), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    // read (refused twice, then no record), write, read-back of the write
    expect(sim.server.requests.map((r) => r.status)).toEqual([429, 429, 404, 201, 200]);
    expect(sim.table()[0]!.walletStatus).toBe('apple');
  });

  it('a window limit longer than the backoff cap: the server’s wait wins over maxDelayMs', async () => {
    // A "per-minute" limit scaled down: 3 requests per 2.5 s, while our own backoff is capped at 100 ms.
    await start(undefined, {
      window: 'fixed',
      requests: 3,
      intervalMs: 2500,
      answer: '429-retry-after-seconds',
    });
    const t = startConnector(tenant({ retry: { maxDelayMs: 100, baseDelayMs: 20 } }), { 'crm-key': KEY });
    await runConcurrently(['a', 'b', 'c', 'd'], 4, (c) => t.call('OnPassInstalled', install(c)));
    expect(sim.table()).toHaveLength(4);
    // Each refusal pauses us for as long as it asked: no request reaches the CRM before then
    // (one request at a time, so every later one left after the refusal arrived). Where the windows
    // fall on the clock, and so how many refusals there are, depends on when the test starts.
    const windowMs = 2500;
    const requests = sim.server.requests;
    for (const refused of requests.filter((r) => r.status === 429)) {
      const resetAt = (Math.floor(refused.at / windowMs) + 1) * windowMs;
      const askedMs = Math.max(1, Math.ceil((resetAt - refused.at) / 1000)) * 1000;
      for (const later of requests.filter((r) => r.seq > refused.seq))
        expect(later.at - refused.at).toBeGreaterThanOrEqual(askedMs - TIMER_SLACK_MS);
    }
    const waits = t.logs.filter((l) => l.msg === 'attempt failed').map((l) => l.waitMs as number);
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits) expect(w).toBeGreaterThan(100);
  });
});

describe('transient failures', () => {
  it('5xx bursts are retried until they pass', async () => {
    await start({ match: (r) => r.method === 'PUT', times: 3, kinds: ['503', '502', '500'] });
    const t = startConnector(tenant({ retry: { baseDelayMs: 10 } }), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    expect(writes().map((r) => r.status)).toEqual([503, 502, 500, 201]);
    expect(sim.table()[0]!.walletStatus).toBe('apple');
  });

  it('connection resets are retried', async () => {
    await start({ times: 2, kinds: ['reset'] });
    const t = startConnector(tenant({ retry: { baseDelayMs: 10 } }), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    expect(sim.table()[0]!.walletStatus).toBe('apple');
    expect(t.logs.filter((l) => l.msg === 'attempt failed')).toHaveLength(2);
  });

  it('a timeout is retried; a slow but timely server is simply waited for', async () => {
    // 'slow' is 50 ms against a 1,500 ms timeout: a loaded machine must not turn the slow answer
    // into a second timeout (the hang costs one whole timeout, so it is not made longer still).
    await start({ times: 2, kinds: ['hang', 'delay:50'] });
    const t = startConnector(tenant({ timeoutMs: 1500, retry: { baseDelayMs: 10 } }), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    expect(sim.table()[0]!.walletStatus).toBe('apple');
    const failed = t.logs.filter((l) => l.msg === 'attempt failed');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.reason)).toMatch(/tim/i);
  });

  it('rejects with a transient error when the failure outlives the retry budget', async () => {
    await start({ kinds: ['503'] });
    const t = startConnector(tenant({ retry: { maxElapsedMs: 300, baseDelayMs: 20, maxDelayMs: 40 } }), {
      'crm-key': KEY,
    });
    await expect(t.call('OnPassInstalled', install('a'))).rejects.toMatchObject({
      kind: 'transient',
      status: 503,
    });
    expect(sim.records.size).toBe(0);
  });

  it('an empty 2xx where a record was due counts as a failure, not a record', async () => {
    await start({ match: (r) => r.method === 'GET', times: 1, kinds: ['empty:200'] });
    const t = startConnector(tenant({ retry: { baseDelayMs: 10 } }), { 'crm-key': KEY });
    await t.call('OnPassInstalled', install('a'));
    expect(sim.table()[0]!.walletStatus).toBe('apple');
  });
});

describe('permanent failures', () => {
  it('a 400 on one customer drops only that call, with a logged reason', async () => {
    await start({
      match: (r) => r.method === 'PUT' && r.path.indexOf('bad') >= 0,
      kinds: [
        {
          kind: 'status',
          status: 400,
          json: { error: 'invalid_field', message: 'walletStatus: unknown property' },
        },
      ],
    });
    const t = startConnector(tenant({ rateLimit: { requests: 2000, intervalMs: 1000, maxConcurrent: 8 } }), {
      'crm-key': KEY,
    });
    const results = await runConcurrently(['good-1', 'bad', 'good-2'], 3, (c) =>
      t.call('OnPassInstalled', install(c)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.table().map((r) => r.key)).toEqual(['good-1', 'good-2']);
    const errors = t.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ passId: 'p-bad', destination: 'crm', kind: 'permanent', status: 400 });
    expect(writes().filter((r) => r.path.indexOf('bad') >= 0)).toHaveLength(1);
  });
});
