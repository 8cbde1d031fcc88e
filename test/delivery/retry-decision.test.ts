import { classifyNetworkError, classifyResponse } from '../../connector/delivery/classify';
import { ConnectorError } from '../../connector/delivery/errors';
import { decideRetry, type RetryPolicy } from '../../connector/delivery/retry-decision';
import { readHubSpotError } from '../../connector/destinations/hubspot/errors';
import { classifySalesforce } from '../../connector/destinations/salesforce/results';

const NOW = Date.UTC(2026, 10, 27, 10, 0, 0);
const policy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 8000, maxElapsedMs: 25_000 };
const half = () => 0.5;

const http = (status: number, headers: Record<string, string> = {}, json?: unknown) =>
  classifyResponse({ status, headers, json, destination: 'crm', nowMs: NOW });
/** HubSpot's bodies, read by HubSpot's reader (the sender passes each destination's). */
const hubspotHttp = (status: number, json: unknown) =>
  classifyResponse({ status, headers: {}, json, destination: 'crm', nowMs: NOW }, readHubSpotError);
/** Salesforce's codes, read by Salesforce's classifier (the sender asks it first). */
const salesforceHttp = (status: number, json: unknown) =>
  classifySalesforce({ status, headers: {}, body: JSON.stringify(json), json }, 'crm') as ConnectorError;
const net = (code: string, message = 'x') =>
  classifyNetworkError(Object.assign(new Error(message), { code }), 'crm');

describe('decideRetry: what is retried', () => {
  it.each<[string, ConnectorError, boolean]>([
    ['408', http(408), true],
    ['423', http(423), true],
    ['429', http(429), true],
    ['500', http(500), true],
    ['502', http(502), true],
    ['503', http(503), true],
    ['504', http(504), true],
    ['501', http(501), false],
    ['400', http(400), false],
    ['401', http(401), false],
    ['403', http(403), false],
    [
      '403 REQUEST_LIMIT_EXCEEDED',
      salesforceHttp(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' }]),
      true,
    ],
    ['404', http(404), false],
    ['409', http(409), false],
    ['422', http(422), false],
    ['ECONNRESET', net('ECONNRESET'), true],
    ['ETIMEDOUT', net('ETIMEDOUT'), true],
    ['EAI_AGAIN', net('EAI_AGAIN'), true],
    ['socket hang up', classifyNetworkError(new Error('socket hang up'), 'crm'), true],
    [
      'aborted',
      classifyNetworkError(Object.assign(new Error('aborted'), { name: 'AbortError' }), 'crm'),
      true,
    ],
    ['configuration', new ConnectorError('configuration', 'no baseUrl'), false],
    ['validation', new ConnectorError('validation', 'no join key'), false],
  ])('%s -> retry %p', (_name, error, retry) => {
    const decision = decideRetry(error, 1, policy, 0, half);
    expect(decision.retry).toBe(retry);
    if (!retry) expect(decision.waitMs).toBe(0);
  });
});

describe('decideRetry: waits', () => {
  it.each([
    // attempt, random, expected: random * min(maxDelay, base * 2^(attempt-1))
    [1, 0.5, 250],
    [2, 0.5, 500],
    [3, 0.5, 1000],
    [5, 0.5, 4000],
    [6, 0.5, 4000], // capped at maxDelayMs 8000
    [7, 0.999, 7992],
    [3, 0, 0],
  ])('full jitter: attempt %i, random %p -> %i ms', (attempt, r, expected) => {
    expect(decideRetry(http(503), attempt, policy, 0, () => r).waitMs).toBe(expected);
  });

  it('full jitter stays within [0, cap) for any random in [0, 1)', () => {
    for (let attempt = 1; attempt < 8; attempt += 1) {
      const cap = Math.min(8000, 500 * 2 ** (attempt - 1));
      expect(decideRetry(http(500), attempt, policy, 0, () => 0).waitMs).toBe(0);
      expect(decideRetry(http(500), attempt, policy, 0, () => 0.9999999).waitMs).toBeLessThan(cap);
    }
  });

  it('Retry-After in seconds is a floor, plus a small jitter', () => {
    const error = http(429, { 'retry-after': '2' });
    const low = decideRetry(error, 2, policy, 0, () => 0);
    const high = decideRetry(error, 2, policy, 0, () => 0.999);
    expect(low).toEqual({
      retry: true,
      waitMs: 2000,
      reason:
        '429 throttled: rate limited; server asked to wait 2000 ms (Retry-After); attempt 2/8 failed, retrying in 2000 ms',
    });
    expect(high.waitMs).toBeGreaterThanOrEqual(2000);
    expect(high.waitMs).toBeLessThanOrEqual(2200);
  });

  it('Retry-After as an HTTP date is a floor too, even beyond maxDelayMs', () => {
    const error = http(503, { 'retry-after': new Date(NOW + 12_000).toUTCString() });
    const decision = decideRetry(error, 1, policy, 0, () => 0);
    expect(decision.retry).toBe(true);
    expect(decision.waitMs).toBe(12_000);
    expect(decision.reason).toContain('server asked to wait 12000 ms (Retry-After)');
  });

  it('a hint shorter than the backoff does not shorten it', () => {
    const decision = decideRetry(http(503, { 'retry-after': '0' }), 6, policy, 0, half);
    expect(decision.waitMs).toBe(4000); // 0.5 * min(8000, 500 * 2^5)
  });
});

describe('decideRetry: limits', () => {
  it('stops at maxAttempts', () => {
    const decision = decideRetry(http(503), 8, policy, 1000, half);
    expect(decision).toEqual({
      retry: false,
      waitMs: 0,
      reason: '503 transient: server error; giving up after attempt 8/8',
    });
    expect(decideRetry(http(503), 7, policy, 1000, half).retry).toBe(true);
  });

  it('does not retry when the server asks for more than the budget has left, and says so', () => {
    const decision = decideRetry(http(429, { 'retry-after': '60' }), 1, policy, 0, half);
    expect(decision.retry).toBe(false);
    expect(decision.reason).toBe(
      '429 throttled: rate limited; server asked to wait 60000 ms (Retry-After); giving up after attempt 1/8: waiting the 60000 ms the server asked for would exceed the 25000 ms retry budget (0 ms spent)',
    );
  });

  it('HubSpot DAILY is not retried within a delivery budget', () => {
    const daily = hubspotHttp(429, { policyName: 'DAILY', message: 'You have reached your daily limit.' });
    const decision = decideRetry(daily, 1, policy, 0, half);
    expect(decision.retry).toBe(false);
    expect(decision.reason).toContain('HubSpot DAILY');
  });

  it('a spent budget stops retries; a wait never runs past the budget', () => {
    expect(decideRetry(http(500), 2, policy, 25_000, half).retry).toBe(false);
    expect(decideRetry(http(500), 2, policy, 25_000, half).reason).toContain('has run out');
    const trimmed = decideRetry(http(500), 5, policy, 24_000, half); // backoff 4000 ms, 1000 ms left
    expect(trimmed).toMatchObject({ retry: true, waitMs: 1000 });
    const hinted = decideRetry(http(429, { 'retry-after': '1' }), 1, policy, 24_000, () => 0.999);
    expect(hinted).toMatchObject({ retry: true, waitMs: 1000 });
  });

  it('reasons name the network code when there is no status', () => {
    expect(decideRetry(net('ECONNRESET'), 1, policy, 0, () => 0).reason).toBe(
      'ECONNRESET transient: network error: connection reset by the server (ECONNRESET); attempt 1/8 failed, retrying in 0 ms',
    );
  });

  it('authentication is not retried here (the OAuth refresh-once path is separate)', () => {
    const decision = decideRetry(
      hubspotHttp(401, {
        message: 'Authentication credentials not found.',
        category: 'INVALID_AUTHENTICATION',
      }),
      1,
      policy,
      0,
      half,
    );
    expect(decision.retry).toBe(false);
    expect(decision.reason).toContain(
      '401 authentication: credentials rejected "Authentication credentials not found." (INVALID_AUTHENTICATION)',
    );
  });
});
