import { classifyNetworkError, classifyResponse } from '../../connector/delivery/classify';
import { hubspotDestination } from '../../connector/destinations/hubspot/definition';
import { klaviyoDestination } from '../../connector/destinations/klaviyo/definition';
import { salesforceDestination } from '../../connector/destinations/salesforce/definition';
import type { DestinationDefinition } from '../../connector/destinations/types';

const NOW = Date.UTC(2026, 10, 27, 10, 0, 0);

/** The generic rules alone (the http destination, OAuth token endpoints). */
function answer(status: number, json: unknown = undefined, headers: Record<string, string> = {}) {
  return classifyResponse({ status, headers, json, destination: 'crm', nowMs: NOW });
}

/** A destination's answer as the sender classifies it: its classifyError, else the generic rules with its readError. */
function answerFrom(
  definition: DestinationDefinition<never>,
  status: number,
  json: unknown = undefined,
  headers: Record<string, string> = {},
) {
  const response = { status, headers, body: JSON.stringify(json), json };
  const vendor = definition.classifyError ? definition.classifyError(response, 'crm') : null;
  return (
    vendor ||
    classifyResponse({ status, headers, json, destination: 'crm', nowMs: NOW }, definition.readError)
  );
}
const hubspot = (status: number, json?: unknown, headers?: Record<string, string>) =>
  answerFrom(hubspotDestination as DestinationDefinition<never>, status, json, headers);
const salesforce = (status: number, json?: unknown) =>
  answerFrom(salesforceDestination as DestinationDefinition<never>, status, json);
const klaviyo = (status: number, json?: unknown) =>
  answerFrom(klaviyoDestination as DestinationDefinition<never>, status, json);

describe('classifyResponse: kind by status and body', () => {
  it.each([
    [401, undefined, 'authentication'],
    [403, { message: 'missing scopes', category: 'MISSING_SCOPES' }, 'authentication'],
    [408, undefined, 'transient'],
    [423, undefined, 'transient'],
    [429, undefined, 'throttled'],
    [500, undefined, 'transient'],
    [502, undefined, 'transient'],
    [503, undefined, 'transient'],
    [504, undefined, 'transient'],
    [501, undefined, 'permanent'],
    [400, undefined, 'permanent'],
    [404, undefined, 'permanent'],
    [409, undefined, 'permanent'],
    [422, undefined, 'permanent'],
    // Vendor codes mean nothing to the generic rules: only Salesforce reads these (below).
    [
      403,
      [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      'authentication',
    ],
    [400, [{ message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' }], 'permanent'],
  ])('%i %j -> %s', (status, json, kind) => {
    const error = answer(status, json);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.destination).toBe('crm');
  });

  it.each([
    [403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], 'throttled'],
    [400, [{ message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' }], 'transient'],
  ])('Salesforce %i %j -> %s', (status, json, kind) => {
    const error = salesforce(status, json);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.destination).toBe('crm');
  });
});

describe('classifyResponse: the vendor message is kept, nothing else', () => {
  it('HubSpot VALIDATION_ERROR', () => {
    const e = hubspot(400, {
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Property values were not valid: wallet_status must be one of none, apple, google, both',
      correlationId: 'c-1',
    });
    expect(e.kind).toBe('permanent');
    expect(e.vendorCode).toBe('VALIDATION_ERROR');
    expect(e.reason).toContain('wallet_status must be one of none, apple, google, both');
    expect(e.reason).not.toContain('c-1');
  });

  it('Klaviyo JSON:API errors', () => {
    const e = klaviyo(400, {
      errors: [
        {
          id: 'x',
          status: 400,
          code: 'invalid',
          title: 'Invalid input.',
          detail: "'email' is not a valid email address",
          source: { pointer: '/data/attributes/email' },
        },
      ],
    });
    expect(e.reason).toContain("'email' is not a valid email address");
    expect(e.vendorCode).toBe('invalid');
  });

  it('Salesforce error array', () => {
    const e = salesforce(400, [
      { message: 'No such column Wallet_Status__c', errorCode: 'INVALID_FIELD', fields: [] },
    ]);
    expect(e.reason).toContain('No such column Wallet_Status__c');
    expect(e.vendorCode).toBe('INVALID_FIELD');
  });

  it('long messages are truncated to 300 characters; header values never appear', () => {
    const e = answer(
      400,
      { message: 'x'.repeat(1000) },
      { authorization: 'Bearer sekret-token', 'set-cookie': 'sid=abc' },
    );
    expect(e.reason.length).toBeLessThan(340);
    expect(e.message).not.toContain('sekret-token');
    expect(e.message).not.toContain('sid=abc');
  });
});

describe('classifyResponse: wait hints', () => {
  it.each([
    ['Retry-After seconds', 429, undefined, { 'retry-after': '2' }, 2000],
    [
      'Retry-After HTTP date',
      429,
      undefined,
      { 'retry-after': new Date(NOW + 30_000).toUTCString() },
      30_000,
    ],
    [
      'Retry-After date in the past',
      503,
      undefined,
      { 'retry-after': new Date(NOW - 5_000).toUTCString() },
      0,
    ],
    ['Retry-After on a 503', 503, undefined, { 'retry-after': '120' }, 120_000],
    [
      'Braze X-RateLimit-Reset (epoch s)',
      429,
      undefined,
      { 'x-ratelimit-reset': String(NOW / 1000 + 3) },
      3000,
    ],
    ['Klaviyo RateLimit-Reset (s)', 429, undefined, { 'ratelimit-reset': '45' }, 45_000],
    [
      'HubSpot TEN_SECONDLY_ROLLING with interval header',
      429,
      { policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' },
      { 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      10_000,
    ],
    ['HubSpot TEN_SECONDLY_ROLLING without header', 429, { policyName: 'TEN_SECONDLY_ROLLING' }, {}, 10_000],
    [
      'Retry-After wins over the others',
      429,
      { policyName: 'TEN_SECONDLY_ROLLING' },
      { 'retry-after': '1', 'x-ratelimit-reset': '9' },
      1000,
    ],
    ['no hint', 429, undefined, {}, undefined],
    ['garbage Retry-After', 429, undefined, { 'retry-after': 'soon' }, undefined],
    ['hints are ignored on a permanent error', 400, undefined, { 'retry-after': '5' }, undefined],
  ])('%s', (_name, status, json, headers, expected) => {
    // HubSpot's bodies are read by HubSpot's reader; the other hints are the generic headers.
    const e = json === undefined ? answer(status, json, headers) : hubspot(status, json, headers);
    expect(e.retryAfterMs).toBe(expected);
  });

  it('a policyName means nothing to the generic rules', () => {
    expect(answer(429, { policyName: 'TEN_SECONDLY_ROLLING' }).retryAfterMs).toBeUndefined();
  });

  it('HubSpot DAILY: throttled, vendorCode DAILY, a long wait (until the next UTC midnight)', () => {
    const e = hubspot(429, {
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
    });
    expect(e.kind).toBe('throttled');
    expect(e.vendorCode).toBe('DAILY');
    expect(e.retryAfterMs).toBe(14 * 3600_000);
    expect(e.reason).toContain('You have reached your daily limit.');
  });

  it('the reason says what the server asked', () => {
    expect(answer(429, undefined, { 'retry-after': '2' }).reason).toBe(
      'rate limited; server asked to wait 2000 ms (Retry-After)',
    );
  });
});

describe('classifyNetworkError', () => {
  const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
  it.each([
    ['ECONNRESET', withCode('ECONNRESET', 'read ECONNRESET'), 'ECONNRESET'],
    ['ETIMEDOUT', withCode('ETIMEDOUT'), 'ETIMEDOUT'],
    ['ECONNREFUSED', withCode('ECONNREFUSED'), 'ECONNREFUSED'],
    ['EAI_AGAIN', withCode('EAI_AGAIN'), 'EAI_AGAIN'],
    ['EPIPE', withCode('EPIPE'), 'EPIPE'],
    [
      'fetch wrapping a socket error',
      Object.assign(new TypeError('fetch failed'), { cause: withCode('ECONNRESET') }),
      'ECONNRESET',
    ],
    ['socket hang up', new Error('socket hang up'), 'ECONNRESET'],
    [
      'AbortSignal.timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      'ETIMEDOUT',
    ],
    ['aborted', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'ABORTED'],
    ['axios timeout', withCode('ECONNABORTED', 'timeout of 5000ms exceeded'), 'ECONNABORTED'],
  ])('%s -> transient', (_name, error, code) => {
    const e = classifyNetworkError(error, 'crm');
    expect(e.kind).toBe('transient');
    expect(e.code).toBe(code);
    expect(e.destination).toBe('crm');
  });

  it('an unknown error is transient and keeps its message, without query strings', () => {
    const e = classifyNetworkError(
      new Error('weird failure at https://x.example/a?api_key=SECRET123'),
      'crm',
    );
    expect(e.kind).toBe('transient');
    expect(e.reason).toContain('weird failure at https://x.example/a?...');
    expect(e.message).not.toContain('SECRET123');
  });
});
