import { createAuth } from '../../connector/auth';
import type { AuthConfig } from '../../connector/config/tenant-config.generated';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server';
import { closedPort, deps, manualClock, rejectionOf } from './harness';
import { expectNoSecrets } from './harness-secrets';

describe('oauth2 client_credentials against oidc-provider', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ accessTokenTtl: 300 });
  });
  afterAll(async () => {
    await server.close();
  });

  const config = (tokenUrl: string): AuthConfig => ({
    scheme: 'oauth2',
    grant: 'client_credentials',
    tokenUrl,
    clientIdSecret: 'cc-id',
    clientSecretSecret: 'cc-secret',
    scope: 'api',
  });

  function setup(secretOverride?: string, tokenUrl = server.tokenUrl) {
    const clock = manualClock();
    const secrets = {
      'cc-id': server.clientCredentials.clientId,
      'cc-secret': secretOverride ?? server.clientCredentials.clientSecret,
    };
    const auth = createAuth(config(tokenUrl), deps(secrets, clock));
    return { auth, clock, secrets };
  }

  it('gets a bearer token with client_secret_post and reuses it until it nears expiry', async () => {
    const before = server.tokenRequestCount();
    const { auth } = setup();
    const first = await auth.headers();
    const second = await auth.headers();
    expect(first.Authorization).toMatch(/^Bearer \S{20,}$/);
    expect(second).toEqual(first);
    expect(server.tokenRequestCount() - before).toBe(1);
    const last = server.requests[server.requests.length - 1]!;
    expect(last.grantType).toBe('client_credentials');
    expect(last.params.client_id).toBe(server.clientCredentials.clientId);
    expect(last.params.scope).toBe('api');
    expect(last.status).toBe(200);
    expect(auth.canRefresh).toBe(true);
    expect(auth.identity).toBe(`oauth2:client_credentials:${server.tokenUrl}:cc-id`);
  });

  it('50 concurrent headers() calls with an expired token make exactly one token request', async () => {
    const { auth, clock } = setup();
    const old = await auth.headers();
    clock.advance(300 * 1000);
    const before = server.tokenRequestCount();
    const all = await Promise.all(Array.from({ length: 50 }, () => auth.headers()));
    expect(server.tokenRequestCount() - before).toBe(1);
    expect(new Set(all.map((h) => h.Authorization)).size).toBe(1);
    expect(all[0]!.Authorization).not.toBe(old.Authorization);
  });

  it('a token expiring mid-run is refreshed exactly once, 10% before its 300 s lifetime ends', async () => {
    const { auth, clock } = setup();
    const before = server.tokenRequestCount();
    const first = await auth.headers();
    clock.advance(100_000);
    await auth.headers();
    clock.advance(169_000); // 269 s: still inside the 270 s the token is trusted for
    expect(await auth.headers()).toEqual(first);
    expect(server.tokenRequestCount() - before).toBe(1);
    clock.advance(2_000); // 271 s
    const renewed = await Promise.all([auth.headers(), auth.headers(), auth.headers()]);
    clock.advance(60_000);
    await auth.headers();
    expect(server.tokenRequestCount() - before).toBe(2);
    expect(renewed[0]!.Authorization).not.toBe(first.Authorization);
  });

  it('invalidate() with the rejected headers forces one new token; a stale invalidate does not', async () => {
    const { auth } = setup();
    const before = server.tokenRequestCount();
    const rejected = await auth.headers();
    auth.invalidate(rejected);
    const fresh = await auth.headers();
    auth.invalidate(rejected); // a late 401 for the old token must not throw away the new one
    expect(await auth.headers()).toEqual(fresh);
    expect(fresh.Authorization).not.toBe(rejected.Authorization);
    expect(server.tokenRequestCount() - before).toBe(2);
  });

  it('a wrong client secret is an authentication error naming the secrets to check, never their values', async () => {
    const wrong = 'wrong-secret-Yp3XvB71';
    const { auth, secrets } = setup(wrong);
    const error = await rejectionOf(() => auth.headers());
    expect(error.kind).toBe('authentication');
    expect(error.vendorCode).toBe('invalid_client');
    expect(error.message).toContain('"cc-id"');
    expect(error.message).toContain('"cc-secret"');
    expectNoSecrets(error, [wrong, secrets['cc-id'], server.clientCredentials.clientSecret]);
  });

  it('temporarily_unavailable and "refresh already in progress" answers are transient', async () => {
    server.injectNext({ status: 400, body: { error: 'temporarily_unavailable' } });
    server.injectNext({
      status: 400,
      body: { error: 'invalid_request', error_description: 'refresh already in progress' },
    });
    const { auth } = setup();
    expect((await rejectionOf(() => auth.headers())).kind).toBe('transient');
    expect((await rejectionOf(() => auth.headers())).kind).toBe('transient');
    expect((await auth.headers()).Authorization).toMatch(/^Bearer /);
  });

  it('a 503 with Retry-After is transient and carries the wait; a 429 is throttled', async () => {
    server.injectNext({ status: 503, body: {}, headers: { 'retry-after': '7' } });
    server.injectNext({ status: 429, body: {} });
    const { auth } = setup();
    const unavailable = await rejectionOf(() => auth.headers());
    expect(unavailable.kind).toBe('transient');
    expect(unavailable.retryAfterMs).toBe(7000);
    expect((await rejectionOf(() => auth.headers())).kind).toBe('throttled');
  });

  it('an unreachable token endpoint is a transient network error', async () => {
    const { auth } = setup(undefined, `http://127.0.0.1:${await closedPort()}/token`);
    const error = await rejectionOf(() => auth.headers());
    expect(error.kind).toBe('transient');
    expect(error.code).toBe('ECONNREFUSED');
  });
});
