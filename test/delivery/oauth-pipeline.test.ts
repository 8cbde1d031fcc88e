/**
 * OAuth2 through the whole pipeline: a real oidc-provider issues the tokens, the CRM simulator
 * accepts bearer tokens until the test declares one expired.
 */
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server';
import { httpTenant, startConnector } from '../support/pipeline';

let oauth: OAuthServer;
let sim: HttpCrmSimulator;
const expired: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer({ accessTokenTtl: 3600 });
  sim = await startHttpCrmSimulator({
    authorize: (req) => {
      const token = (req.headers.authorization || '').replace(/^Bearer /, '');
      if (!token) return { status: 401, json: { error: 'missing_token' } };
      if (seen.indexOf(token) < 0) seen.push(token);
      return expired.indexOf(token) >= 0 ? { status: 401, json: { error: 'token_expired' } } : null;
    },
  });
});
afterAll(async () => {
  await sim.server.close();
  await oauth.close();
});

const install = (c: string) => [
  `p-${c}`,
  'loyalty',
  { customerId: c },
  'apple',
  { activeRegistrationCount: 1, totalRegistrationCount: 1 },
];

it('a token that expires mid-run: the 401 refreshes once, the request is retried, every record lands', async () => {
  const t = startConnector(
    httpTenant(sim.server.url, {
      auth: {
        scheme: 'oauth2',
        grant: 'client_credentials',
        tokenUrl: oauth.tokenUrl,
        clientIdSecret: 'cc-id',
        clientSecretSecret: 'cc-secret',
      },
    }),
    { 'cc-id': oauth.clientCredentials.clientId, 'cc-secret': oauth.clientCredentials.clientSecret },
  );
  await Promise.all(['a', 'b', 'c'].map((c) => t.call('OnPassInstalled', install(c))));
  expect(oauth.tokenRequestCount('client_credentials')).toBe(1);
  // The CRM now considers the first token expired.
  expired.push(seen[0]!);
  await Promise.all(['d', 'e', 'f', 'g'].map((c) => t.call('OnPassInstalled', install(c))));
  expect(oauth.tokenRequestCount('client_credentials')).toBe(2);
  expect(sim.table().map((r) => r.key)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  expect(t.logs.filter((l) => l.level === 'error')).toEqual([]);
  expect(JSON.stringify(t.logs)).not.toContain(oauth.clientCredentials.clientSecret);
});

it('a revoked refresh token is a clear authentication error naming the secret, and writes nothing', async () => {
  const refresh = await oauth.issueRefreshToken();
  await oauth.revokeRefreshToken(refresh);
  const before = sim.server.requests.length;
  const t = startConnector(
    httpTenant(sim.server.url, {
      auth: {
        scheme: 'oauth2',
        grant: 'refresh_token',
        tokenUrl: oauth.tokenUrl,
        clientIdSecret: 'rt-id',
        clientSecretSecret: 'rt-secret',
        refreshTokenSecret: 'crm-refresh-token',
      },
    }),
    {
      'rt-id': oauth.refreshClient.clientId,
      'rt-secret': oauth.refreshClient.clientSecret,
      'crm-refresh-token': refresh,
    },
  );
  await expect(t.call('OnPassInstalled', install('revoked-1'))).resolves.toMatchObject({
    result: 'routed',
    destinations: [{ destination: 'crm', result: 'refused', kind: 'authentication' }],
  });
  const errors = t.logs.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ passId: 'p-revoked-1', destination: 'crm', kind: 'authentication' });
  expect(String(errors[0]!.reason)).toMatch(/crm-refresh-token/);
  expect(JSON.stringify(t.logs)).not.toContain(refresh);
  expect(sim.server.requests.length).toBe(before);
});
