import { createManualClock } from '../sim/clock';
import { peakInWindow, type RateLimitRule } from '../sim/rate-limit';
import { startSimServer, type SimServer } from '../sim/server';
import type { Route } from '../sim/types';
import { send } from './client';

const ok: Route[] = [{ method: '*', pattern: '/x', handle: () => ({ status: 200, json: { ok: true } }) }];
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

describe('simulator core: rate limiting', () => {
  const clock = createManualClock(T0);
  let sim: SimServer;
  const start = async (rateLimit: RateLimitRule | RateLimitRule[]) => {
    sim = await startSimServer({ routes: ok, rateLimit, clock: clock.now });
  };
  const hit = (headers?: Record<string, string>) => send(sim.url, '/x', { headers });
  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await hit()).status);
    return out;
  };
  beforeEach(() => clock.set(T0));
  afterEach(() => sim.close());

  it('answers 429 with Retry-After in whole seconds, rounded up', async () => {
    await start({ requests: 2, intervalMs: 10_000 });
    expect(await statuses(2)).toEqual([200, 200]);
    clock.advance(1_500);
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('9'); // 8.5 s left in the sliding window
    expect(refused.json).toEqual({ error: 'rate_limited', message: 'Too many requests' });
  });

  it('answers 429 with an HTTP-date Retry-After at the reset time', async () => {
    await start({ window: 'fixed', requests: 1, intervalMs: 60_000, answer: '429-retry-after-date' });
    clock.advance(12_345);
    await hit();
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(new Date(T0 + 60_000).toUTCString());
  });

  it('answers 429 without Retry-After when asked to', async () => {
    await start({ requests: 1, intervalMs: 1_000, answer: '429-no-retry-after' });
    await hit();
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeUndefined();
  });

  it('lets a vendor answer in its own shape (HubSpot, Salesforce, Braze)', async () => {
    await start([
      {
        requests: 1,
        intervalMs: 10_000,
        scope: (req) => req.headers['x-vendor'] ?? '',
        answer: 'custom',
        respond: (info) => {
          const vendor = info.scope;
          if (vendor === 'salesforce') {
            return {
              status: 403,
              json: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
            };
          }
          if (vendor === 'braze') {
            const reset = String(Math.ceil(info.resetAt / 1000));
            return {
              status: 429,
              headers: { 'X-RateLimit-Reset': reset },
              json: { message: 'Rate Limited' },
            };
          }
          return {
            status: 429,
            json: { status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
          };
        },
      },
    ]);
    for (const vendor of ['hubspot', 'salesforce', 'braze']) await hit({ 'x-vendor': vendor });
    const hubspot = await hit({ 'x-vendor': 'hubspot' });
    expect(hubspot.status).toBe(429);
    expect(hubspot.json).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    const salesforce = await hit({ 'x-vendor': 'salesforce' });
    expect(salesforce.status).toBe(403);
    expect(salesforce.json).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    const braze = await hit({ 'x-vendor': 'braze' });
    expect(braze.status).toBe(429);
    expect(braze.headers['x-ratelimit-reset']).toBe(String(Math.ceil((T0 + 10_000) / 1000)));
  });

  it('fixed windows reset on the clock-aligned boundary', async () => {
    await start({ window: 'fixed', requests: 3, intervalMs: 1_000 });
    clock.advance(900);
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
    clock.advance(100); // new window at T0 + 1000: the full budget again
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
    expect(sim.stats).toMatchObject({ accepted: 6, refused429: 2, maxInWindow: 3 });
  });

  it('sliding windows free a slot only when the oldest request leaves the window', async () => {
    await start({ window: 'sliding', requests: 2, intervalMs: 1_000 });
    await hit(); // T0
    clock.advance(600);
    await hit(); // T0 + 600
    clock.advance(399);
    expect((await hit()).status).toBe(429); // T0 + 999: both still inside
    clock.advance(1);
    expect((await hit()).status).toBe(200); // T0 + 1000: the first has left
    expect((await hit()).status).toBe(429);
    expect(sim.stats).toMatchObject({ accepted: 3, refused429: 2, maxInWindow: 2 });
  });

  it('refused requests do not use up the budget, and every request records whether it was refused', async () => {
    await start({ requests: 1, intervalMs: 1_000 });
    await statuses(5);
    clock.advance(1_000);
    expect((await hit()).status).toBe(200);
    expect(sim.requests.map((r) => r.refused)).toEqual([false, true, true, true, true, false]);
    expect(sim.requests.map((r) => r.status)).toEqual([200, 429, 429, 429, 429, 200]);
  });

  it('keeps separate budgets per scope', async () => {
    await start({ requests: 1, intervalMs: 1_000, scope: (req) => req.headers['x-api-key'] ?? '' });
    expect((await hit({ 'x-api-key': 'a' })).status).toBe(200);
    expect((await hit({ 'x-api-key': 'b' })).status).toBe(200);
    expect((await hit({ 'x-api-key': 'a' })).status).toBe(429);
  });

  it('applies burst and steady rules together, with accepted-answer headers (Klaviyo)', async () => {
    await start([
      { window: 'fixed', requests: 2, intervalMs: 1_000 },
      {
        window: 'fixed',
        requests: 3,
        intervalMs: 60_000,
        acceptedHeaders: (info) => ({ 'RateLimit-Remaining': String(info.remaining) }),
      },
    ]);
    const first = await hit();
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(429); // burst
    clock.advance(1_000);
    expect((await hit()).status).toBe(200);
    const steady = await hit();
    expect(steady.status).toBe(429); // steady: 3 per minute used up
    expect(steady.headers['retry-after']).toBe('59');
  });

  it('a pause rule refuses everything until its time, answering Retry-After', async () => {
    await start({ pauseUntil: T0 + 2_000 });
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
    clock.advance(1_999);
    expect((await hit()).status).toBe(429);
    clock.advance(1);
    expect((await hit()).status).toBe(200);
    // "No request reached the server during the Retry-After window": every request before T0+2000 was refused.
    const early = sim.requests.filter((r) => r.at < T0 + 2_000);
    expect(early.every((r) => r.refused)).toBe(true);
  });

  it('setRateLimit replaces the rule and null removes it', async () => {
    await start({ requests: 1, intervalMs: 1_000 });
    await statuses(2);
    sim.setRateLimit(null);
    expect(await statuses(3)).toEqual([200, 200, 200]);
    sim.setRateLimit({ pauseUntil: T0 + 5_000, answer: '429-retry-after-date' });
    expect((await hit()).headers['retry-after']).toBe(new Date(T0 + 5_000).toUTCString());
    expect(sim.stats).toMatchObject({ accepted: 4, refused429: 2 });
  });

  it('refuses invalid rules when they are set', async () => {
    await start({ requests: 1, intervalMs: 1_000 });
    expect(() => sim.setRateLimit({ requests: 0, intervalMs: 1_000 })).toThrow(/requests >= 1/);
    expect(() => sim.setRateLimit({ requests: 1, intervalMs: 1_000, answer: 'custom' })).toThrow(/respond/);
  });
});

describe('peakInWindow', () => {
  it.each([
    [[], 1_000, 0],
    [[0, 999, 1_000], 1_000, 2],
    [[0, 1, 2, 3_000], 1_000, 3],
    [[5, 0, 1_004], 1_000, 2],
    [[0, 500, 1_000, 1_500], 1_000, 2],
  ])('peak of %j in %i ms is %i', (times, interval, peak) => {
    expect(peakInWindow(times, interval)).toBe(peak);
  });
});
