/**
 * A tenant's script carries only the modules its configuration uses: the build stubs the others
 * (cli/commands/build.ts `unusedModuleStubs`). This tenant uses what the example leaves out (basic
 * and bearer auth, a payload template, writeOnly mode, one call routed to two destinations), so
 * its BUILT bundle, loaded in the engine-like context, must carry and run each of them.
 */
import { buildForTest, loadForTest } from '../support/built';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { unusedModuleStubs } from '../../cli/commands/build';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { SimRequest } from '../sim/types';

const SECRETS = { 'a-user': 'ada', 'a-password': 'pa ss', 'b-token': 'token-2f9c1e' };

function requireHeader(expected: string) {
  return (req: SimRequest) =>
    req.headers.authorization === expected ? null : { status: 401, json: { error: 'bad credentials' } };
}

let basicCrm: HttpCrmSimulator;
let bearerCrm: HttpCrmSimulator;
let tenant: TenantConfig;
let built: Awaited<ReturnType<typeof buildForTest>>;

beforeAll(async () => {
  basicCrm = await startHttpCrmSimulator({
    authorize: requireHeader(`Basic ${Buffer.from('ada:pa ss').toString('base64')}`),
  });
  bearerCrm = await startHttpCrmSimulator({ authorize: requireHeader('Bearer token-2f9c1e') });
  const shared = {
    type: 'http' as const,
    method: 'PUT' as const,
    path: '/customers/{joinKey}',
    route: { passTypes: ['loyalty'] },
    batch: { maxWaitMs: 5 },
  };
  tenant = {
    tenantId: 'features',
    joinKey: { identifiers: ['customerId'] },
    destinations: [
      {
        ...shared,
        id: 'templated',
        baseUrl: basicCrm.server.url,
        auth: { scheme: 'basic', usernameSecret: 'a-user', passwordSecret: 'a-password' },
        template: { $merge: [{ $eval: 'fields' }, { via: 'template', tenant: { $eval: 'tenantId' } }] },
      },
      {
        ...shared,
        id: 'write-only',
        baseUrl: bearerCrm.server.url,
        auth: { scheme: 'bearer', tokenSecret: 'b-token' },
        mode: 'writeOnly',
      },
    ],
  };
  built = await buildForTest(tenant);
}, 120000);
afterAll(() => Promise.all([basicCrm.server.close(), bearerCrm.server.close()]));

it('stubs nothing this tenant uses, and the example stubs each of them', () => {
  const stubbed = (config: TenantConfig) =>
    Object.keys(unusedModuleStubs(config)).map((key) => key.replace(/^.*\/connector\//, 'connector/'));
  expect(stubbed(tenant)).toEqual([
    'jsrsasign',
    'connector/auth/api-key.ts',
    'connector/auth/oauth2.ts',
    'connector/delivery/latency-samples.ts',
  ]);
  const example: TenantConfig = {
    ...tenant,
    destinations: [
      {
        ...tenant.destinations[0]!,
        template: undefined,
        auth: { scheme: 'apiKey', header: 'X-API-KEY', secret: 'k' },
      },
    ],
  };
  expect(stubbed(example).sort()).toEqual(
    [
      'jsrsasign',
      'connector/auth/bearer.ts',
      'connector/auth/basic.ts',
      'connector/auth/oauth2.ts',
      'connector/destinations/http/template.ts',
      'connector/destination-part.ts',
      'connector/delivery/write-only-fields.ts',
      'connector/delivery/latency-samples.ts',
    ].sort(),
  );
});

it('one call reaches both destinations: basic auth and the template on one, bearer auth in writeOnly mode on the other', async () => {
  const bundle = loadForTest(built.code, SECRETS);
  const counts = { activeRegistrationCount: 1, totalRegistrationCount: 1 };
  await expect(
    bundle.hooks.OnPassInstalled('p-1', 'loyalty', { customerId: 'c-1' }, 'apple', counts),
  ).resolves.toBe(true);
  expect(bundle.errorLines()).toEqual([]);
  expect(basicCrm.records.get('c-1')).toMatchObject({
    walletStatus: 'apple',
    via: 'template',
    tenant: 'features',
  });
  expect(bearerCrm.records.get('c-1')).toMatchObject({ walletStatus: 'apple' });
  // writeOnly never reads: the only request to that CRM is the write.
  expect(bearerCrm.server.requests.map((r) => r.method)).toEqual(['PUT']);
  expect(basicCrm.server.requests.map((r) => r.method)).toContain('GET');
});

it('a tenant with oauth2 but no jwt_bearer grant builds and loads, with jsrsasign stubbed (a package stub that imports the shared message)', async () => {
  const oauth: TenantConfig = {
    tenantId: 'features-oauth',
    joinKey: { identifiers: ['customerId'] },
    destinations: [
      {
        ...tenant.destinations[0]!,
        template: undefined,
        auth: {
          scheme: 'oauth2',
          grant: 'client_credentials',
          tokenUrl: 'http://127.0.0.1:9/token',
          clientIdSecret: 'cid',
          clientSecretSecret: 'csec',
        },
      },
    ],
  };
  expect(Object.keys(unusedModuleStubs(oauth))).toContain('jsrsasign');
  const { code } = await buildForTest(oauth);
  // The stub's own words; the rest of the message is notBuiltIn's template.
  expect(code).toContain('"the jwt_bearer grant"');
  const bundle = loadForTest(code, { cid: 'id', csec: 'secret' });
  expect(typeof bundle.hooks.OnPassInstalled).toBe('function');
  expect(bundle.errorLines()).toEqual([]);
}, 120000);
