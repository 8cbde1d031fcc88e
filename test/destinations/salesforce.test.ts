/**
 * Salesforce end to end: hook calls through createConnector (Node host, real fetch) into the
 * loopback Salesforce org, whose token endpoint hands out the instance_url the sender then uses.
 * Assertions are on outcomes, logged reasons and the org's final records.
 */
import { generateKeyPairSync } from 'node:crypto';
import { salesforceDestination } from '../../connector/destinations/salesforce/definition';
import { chunkByLength, selectByKeys, soqlString } from '../../connector/destinations/salesforce/soql';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { salesforceLimitRule, startSalesforceSimulator, type SalesforceSimulator } from '../sim/salesforce';
import { failureOf, stopAfterEach, testAuthOf } from '../support/destinations';
import { acmeTenant } from '../support/pipeline';
import { SAMPLE, expectSampleTruth, replay, statusByKey, type Run } from '../support/replay-truth';

function tenant(
  sim: SalesforceSimulator,
  auth: DestinationConfig['auth'],
  extra: Partial<DestinationConfig> = {},
): TenantConfig {
  return acmeTenant({
    id: 'sf',
    type: 'salesforce',
    baseUrl: 'https://login.invalid',
    auth,
    externalIdField: 'Customer_Id__c',
    route: { passTypes: ['loyalty'] },
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  });
}

function clientCredentials(sim: SalesforceSimulator): DestinationConfig['auth'] {
  return {
    scheme: 'oauth2',
    grant: 'client_credentials',
    tokenUrl: sim.tokenUrl,
    clientIdSecret: 'sf-id',
    clientSecretSecret: 'sf-secret',
  };
}

function secretsOf(sim: SalesforceSimulator, extra: Record<string, string> = {}): Record<string, string> {
  return { 'sf-id': sim.app.clientId, 'sf-secret': sim.app.clientSecret, ...extra };
}

const started = stopAfterEach();

function sim(options: Parameters<typeof startSalesforceSimulator>[0] = {}): Promise<SalesforceSimulator> {
  return started.sim(startSalesforceSimulator(options));
}

function start(config: TenantConfig, secrets: Record<string, string>): Run {
  return started.run(config, secrets);
}

function install(
  customer: string,
  pass: string,
  wallet = 'apple',
  total = 1,
): { hook: 'OnPassInstalled'; args: unknown[] } {
  return {
    hook: 'OnPassInstalled',
    args: [
      pass,
      'loyalty',
      { customerId: customer },
      wallet,
      { activeRegistrationCount: 1, totalRegistrationCount: total },
    ],
  };
}

describe('SOQL text', () => {
  it('escapes quotes, backslashes and control characters in values', () => {
    expect(soqlString("o'brien\\x\n")).toBe("'o\\'brien\\\\x\\n'");
    expect(selectByKeys('Contact', 'Customer_Id__c', ['Id'], ["a'", 'b'])).toBe(
      "SELECT Id FROM Contact WHERE Customer_Id__c IN ('a\\'','b')",
    );
  });
  it('splits long IN lists so each query stays under the WHERE clause limit', () => {
    const keys = Array.from({ length: 200 }, (_v, i) => `customer-with-a-long-identifier-${i}`);
    const groups = chunkByLength(keys);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(keys);
    for (const g of groups) expect(g.map(soqlString).join(',').length).toBeLessThanOrEqual(3500);
  });
});

// The request and record contract of single cases (create, update, refusals, limits) is in
// contract/salesforce.contract.test.ts, as data.
describe('salesforce destination', () => {
  it('replays the sample through client_credentials into the org with the right final state', async () => {
    const org = await sim();
    const run = start(tenant(org, clientCredentials(org)), secretsOf(org));
    await replay(run, SAMPLE);
    expect(run.rejected).toEqual([]);
    expectSampleTruth(org.table());
    // Every API call went to the instance_url of the token answer, in collections of up to 200.
    const upserts = org.server.requests.filter((r) => r.method === 'PATCH');
    expect(upserts.length).toBeGreaterThan(0);
    for (const r of upserts) {
      expect(r.path).toBe('/services/data/v62.0/composite/sobjects/Contact/Customer_Id__c');
      expect((r.json as { allOrNone: boolean }).allOrNone).toBe(false);
    }
    // DateTime fields come back in Salesforce's own format; the reducer read them as ISO.
    const withApple = org.records.find((r) => r.fields.Apple_Wallet_Installed_At__c);
    expect(String(withApple?.fields.Apple_Wallet_Installed_At__c)).toMatch(/\.\d{3}\+0000$/);
  });

  it('answers its own rate-limit rule in Salesforce shape (403, never 429)', async () => {
    const org = await sim({ rateLimit: salesforceLimitRule(1, 60000) });
    const token = org.issueSession();
    const first = await fetch(`${org.url}/services/data/v62.0/sobjects/Contact/describe`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const second = await fetch(`${org.url}/services/data/v62.0/sobjects/Contact/describe`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    expect(second.status).toBe(403);
    expect(await second.json()).toEqual([expect.objectContaining({ errorCode: 'REQUEST_LIMIT_EXCEEDED' })]);
  });

  it('reads HTTP 300 Multiple Choices as permanent', () => {
    const error = salesforceDestination.classifyError?.(
      {
        status: 300,
        headers: {},
        body: '[]',
        json: ['/services/data/v62.0/sobjects/Contact/003A', '/services/data/v62.0/sobjects/Contact/003B'],
      },
      'sf',
    );
    expect(error).toMatchObject({ kind: 'permanent', status: 300, vendorCode: 'MULTIPLE_CHOICES' });
  });

  it('refreshes once after 401 INVALID_SESSION_ID and carries on', async () => {
    const org = await sim();
    const run = start(tenant(org, clientCredentials(org)), secretsOf(org));
    await replay(run, [install('c-1', 'p1')]);
    org.expireSessions();
    await replay(run, [install('c-2', 'p2')]);
    expect(run.rejected).toEqual([]);
    expect(statusByKey(org.table())).toEqual({ 'c-1': 'apple', 'c-2': 'apple' });
    expect(org.server.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(org.server.requests.filter((r) => r.path === '/services/oauth2/token')).toHaveLength(2);
  });

  it('authenticates with the JWT bearer flow and with a refresh token', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const org = await sim({
      app: { jwtPublicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
    });
    const jwt = start(
      tenant(org, {
        scheme: 'oauth2',
        grant: 'jwt_bearer',
        tokenUrl: org.tokenUrl,
        clientIdSecret: 'sf-id',
        privateKeySecret: 'sf-key',
        subject: 'integration@example.com',
        audience: 'https://login.salesforce.com',
      }),
      secretsOf(org, { 'sf-key': privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }),
    );
    await replay(jwt, [install('c-jwt', 'p1')]);
    const refresh = start(
      tenant(org, {
        scheme: 'oauth2',
        grant: 'refresh_token',
        tokenUrl: org.tokenUrl,
        clientIdSecret: 'sf-id',
        clientSecretSecret: 'sf-secret',
        refreshTokenSecret: 'sf-rt',
      }),
      secretsOf(org, { 'sf-rt': org.app.refreshToken }),
    );
    await replay(refresh, [install('c-rt', 'p2', 'google')]);
    expect([jwt.rejected, refresh.rejected]).toEqual([[], []]);
    expect(statusByKey(org.table())).toEqual({ 'c-jwt': 'apple', 'c-rt': 'google' });
  });

  describe('testAuth', () => {
    it('accepts good credentials and confirms the fields', async () => {
      const org = await sim();
      const run = start(tenant(org, clientCredentials(org)), secretsOf(org));
      const message = await testAuthOf(run);
      expect(message).toContain('Customer_Id__c (External ID) and all 6 wallet fields');
      expect(org.server.requests.filter((r) => r.path.endsWith('/describe'))).toHaveLength(1);
    });

    it('says the client secret is wrong, without printing it', async () => {
      const org = await sim();
      const run = start(
        tenant(org, clientCredentials(org)),
        secretsOf(org, { 'sf-secret': 'wrong-secret-value' }),
      );
      const error = await failureOf(testAuthOf(run));
      expect(error).toMatchObject({ kind: 'authentication' });
      expect(error.message).toContain('sf-secret');
      expect(error.message).not.toContain('wrong-secret-value');
    });

    it('names missing and read-only fields', async () => {
      const org = await sim({
        fields: [
          'Wallet_Status__c',
          'Apple_Wallet_Installed_At__c',
          'Google_Wallet_Installed_At__c',
          'Wallet_Last_Changed_At__c',
          'Wallet_Last_Event__c',
        ],
        readOnlyFields: ['Wallet_Status__c'],
      });
      const run = start(tenant(org, clientCredentials(org)), secretsOf(org));
      const error = await failureOf(testAuthOf(run));
      expect(error).toMatchObject({ kind: 'configuration' });
      expect(error.message).toContain('Wallet_Sync_State__c is missing');
      expect(error.message).toContain('Wallet_Status__c is read-only');
    });
  });
});
