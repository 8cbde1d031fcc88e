import fc from 'fast-check';
import { createAuth } from '../../connector/auth';
import { base64Utf8 } from '../../connector/auth/base64';
import { formEncode } from '../../connector/auth/form';
import { deps, manualClock, rejectionOf } from './harness';
import { expectNoSecrets } from './harness-secrets';

const noHttp = async () => {
  throw new Error('static schemes make no HTTP request');
};

function make(auth: Parameters<typeof createAuth>[0], secrets: Record<string, string>) {
  return createAuth(auth, deps(secrets, manualClock(), noHttp));
}

describe('static schemes', () => {
  it('apiKey: the configured header, with the optional prefix', async () => {
    const klaviyo = make(
      { scheme: 'apiKey', header: 'Authorization', prefix: 'Klaviyo-API-Key ', secret: 'klaviyo-key' },
      { 'klaviyo-key': 'pk_live_abc123' },
    );
    expect(await klaviyo.headers()).toEqual({ Authorization: 'Klaviyo-API-Key pk_live_abc123' });
    const plain = make({ scheme: 'apiKey', header: 'X-API-KEY', secret: 'k' }, { k: 'v1' });
    expect(await plain.headers()).toEqual({ 'X-API-KEY': 'v1' });
    expect(klaviyo.identity).toBe('apiKey:authorization:klaviyo-key');
    expect(klaviyo.canRefresh).toBe(false);
  });

  it('bearer: Authorization: Bearer <token>', async () => {
    const auth = make({ scheme: 'bearer', tokenSecret: 'hubspot-token' }, { 'hubspot-token': 'pat-na1-xyz' });
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer pat-na1-xyz' });
    expect(auth.identity).toBe('bearer:hubspot-token');
  });

  it('basic: base64 of UTF-8 user:password', async () => {
    const auth = make(
      { scheme: 'basic', usernameSecret: 'u', passwordSecret: 'p' },
      { u: 'Aladdin', p: 'open sesame' },
    );
    expect(await auth.headers()).toEqual({ Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' });
    const unicode = make(
      { scheme: 'basic', usernameSecret: 'u', passwordSecret: 'p' },
      { u: 'test', p: '123£' },
    );
    expect(await unicode.headers()).toEqual({ Authorization: 'Basic dGVzdDoxMjPCow==' }); // RFC 7617 §2.1
  });

  it('headers() returns a copy: a caller mutating it changes nothing for the next call', async () => {
    const auth = make({ scheme: 'bearer', tokenSecret: 't' }, { t: 'tok' });
    const first = await auth.headers();
    first.Authorization = 'tampered';
    expect(await auth.headers()).toEqual({ Authorization: 'Bearer tok' });
  });

  it('a missing key or secret is a configuration error that names it', async () => {
    const noKey = make({ scheme: 'bearer' }, {});
    const e1 = await rejectionOf(() => noKey.headers());
    expect(e1.kind).toBe('configuration');
    expect(e1.reason).toContain('auth.tokenSecret');
    const missing = make(
      { scheme: 'basic', usernameSecret: 'crm-user', passwordSecret: 'crm-pass' },
      { 'crm-user': 'user-Qx81' },
    );
    const e2 = await rejectionOf(() => missing.headers());
    expect(e2.kind).toBe('configuration');
    expect(e2.reason).toContain('"crm-pass"');
    expectNoSecrets(e2, ['user-Qx81']);
    // An apiKey header that is not a header name never gets here: the tenant file's validation
    // refuses it (test/config/broken.test.ts), and every config comes through it.
  });
});

describe('base64Utf8 (pure JS) matches Node Buffer', () => {
  const viaBuffer = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  it.each([
    '',
    'a',
    'ab',
    'abc',
    'abcd',
    'user:pässwörd',
    '日本語:パスワード',
    '😀:🔑',
    'é\u0301',
    '\u0000\u007f\u0080\u07ff\u0800\uffff',
  ])('%j', (s) => {
    expect(base64Utf8(s)).toBe(viaBuffer(s));
  });

  it('lone surrogates become U+FFFD, as in Buffer', () => {
    for (const s of ['\ud800', 'a\udc00b', '\udbff\ud800', 'x\ud83d'])
      expect(base64Utf8(s)).toBe(viaBuffer(s));
  });

  it('for many random strings (full Unicode, and arbitrary UTF-16 units)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => base64Utf8(s) === viaBuffer(s)),
      { numRuns: 2000 },
    );
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 32 }), (s) => base64Utf8(s) === viaBuffer(s)),
      { numRuns: 2000 },
    );
  });
});

describe('formEncode', () => {
  it('encodes like a form and skips undefined fields', () => {
    const body = formEncode([
      ['grant_type', 'client_credentials'],
      ['scope', 'a b'],
      ['x', 'ü&=+/'],
      ['absent', undefined],
    ]);
    expect(body).toBe('grant_type=client_credentials&scope=a+b&x=%C3%BC%26%3D%2B%2F');
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      x: 'ü&=+/',
    });
  });
});
