import { createAuth } from '../../connector/auth';
import type { AuthConfig } from '../../connector/config/tenant-config.generated';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server';
import { deps, manualClock, rejectionOf } from './harness';
import { expectNoSecrets } from './harness-secrets';

describe('oauth2 refresh_token (rotating) against oidc-provider', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ accessTokenTtl: 600 });
  });
  afterAll(async () => {
    await server.close();
  });

  const config: AuthConfig = {
    scheme: 'oauth2',
    grant: 'refresh_token',
    tokenUrl: '',
    clientIdSecret: 'rt-id',
    clientSecretSecret: 'rt-secret',
    refreshTokenSecret: 'crm-refresh-token',
  };

  async function setup() {
    const clock = manualClock();
    const secrets: Record<string, string> = {
      'rt-id': server.refreshClient.clientId,
      'rt-secret': server.refreshClient.clientSecret,
      'crm-refresh-token': await server.issueRefreshToken(),
    };
    const wiring = deps(secrets, clock);
    const auth = createAuth({ ...config, tokenUrl: server.tokenUrl }, wiring);
    return { auth, clock, secrets, registered: wiring.registered };
  }

  function refreshRequests(since: number) {
    return server.requests.slice(since).filter((r) => r.grantType === 'refresh_token');
  }

  it('uses the rotated refresh token on the next refresh; the old one is spent', async () => {
    const { auth, clock, secrets, registered } = await setup();
    const since = server.requests.length;
    const first = await auth.headers();
    clock.advance(600_000);
    const second = await auth.headers();
    clock.advance(600_000);
    await auth.headers();

    const seen = refreshRequests(since);
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(seen[0]!.params.refresh_token).toBe(secrets['crm-refresh-token']);
    expect(seen[1]!.params.refresh_token).not.toBe(seen[0]!.params.refresh_token);
    expect(seen[2]!.params.refresh_token).not.toBe(seen[1]!.params.refresh_token);
    expect(second.Authorization).not.toBe(first.Authorization);
    // Every rotated refresh token and every access token is known to the log redactor (issue 13).
    for (const r of seen) expect(registered).toContain(r.params.refresh_token);
    expect(registered).toContain(second.Authorization!.slice('Bearer '.length));

    // The server really rotated: the seed token is consumed and refused now.
    const replay = createAuth({ ...config, tokenUrl: server.tokenUrl }, deps({ ...secrets }, manualClock()));
    const error = await rejectionOf(() => replay.headers());
    expect(error.kind).toBe('authentication');
  });

  it('a revoked refresh token is an authentication error naming the secret to update', async () => {
    const { auth, secrets } = await setup();
    await server.revokeRefreshToken(secrets['crm-refresh-token']!);
    const error = await rejectionOf(() => auth.headers());
    expect(error.kind).toBe('authentication');
    expect(error.vendorCode).toBe('invalid_grant');
    expect(error.reason).toContain(
      'refresh token revoked or expired: re-authorize and update secret "crm-refresh-token"',
    );
    expect(error.destination).toBe('crm-test');
    expectNoSecrets(error, Object.values(secrets));
  });

  it('50 concurrent calls spend the refresh token once', async () => {
    const { auth } = await setup();
    const since = server.requests.length;
    const all = await Promise.all(Array.from({ length: 50 }, () => auth.headers()));
    expect(refreshRequests(since)).toHaveLength(1);
    expect(new Set(all.map((h) => h.Authorization)).size).toBe(1);
  });

  it('after a refused grant, the secret is read again (an updated secret recovers without restart)', async () => {
    const clock = manualClock();
    const secrets: Record<string, string> = {
      'rt-id': server.refreshClient.clientId,
      'rt-secret': server.refreshClient.clientSecret,
      'crm-refresh-token': await server.issueRefreshToken(),
    };
    await server.revokeRefreshToken(secrets['crm-refresh-token']!);
    const auth = createAuth({ ...config, tokenUrl: server.tokenUrl }, deps(secrets, clock));
    expect((await rejectionOf(() => auth.headers())).kind).toBe('authentication');
    secrets['crm-refresh-token'] = await server.issueRefreshToken();
    expect((await auth.headers()).Authorization).toMatch(/^Bearer /);
  });
});
