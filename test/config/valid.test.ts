/** Valid tenants: every auth scheme and grant passes, defaults are filled in, the input is untouched. */
import { validateTenantConfig } from '../../cli/config/validate';
import { destination, validTenant, type Json } from './helpers';

const tokenUrl = 'https://login.example.com/oauth2/token';

const auths: Array<[string, Json]> = [
  ['apiKey', { scheme: 'apiKey', header: 'X-API-KEY', secret: 'crm-api-key' }],
  [
    'apiKey with prefix',
    { scheme: 'apiKey', header: 'Authorization', prefix: 'Klaviyo-API-Key ', secret: 'klaviyo-key' },
  ],
  ['bearer', { scheme: 'bearer', tokenSecret: 'hubspot-token' }],
  ['basic', { scheme: 'basic', usernameSecret: 'crm-user', passwordSecret: 'crm-password' }],
  [
    'oauth2 client_credentials',
    {
      scheme: 'oauth2',
      grant: 'client_credentials',
      tokenUrl,
      clientIdSecret: 'd365-client-id',
      clientSecretSecret: 'd365-client-secret',
      scope: 'https://org.crm.dynamics.com/.default',
    },
  ],
  [
    'oauth2 refresh_token',
    {
      scheme: 'oauth2',
      grant: 'refresh_token',
      tokenUrl,
      clientIdSecret: 'id',
      clientSecretSecret: 'secret',
      refreshTokenSecret: 'refresh',
    },
  ],
  [
    'oauth2 jwt_bearer',
    {
      scheme: 'oauth2',
      grant: 'jwt_bearer',
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      clientIdSecret: 'sf-consumer-key',
      privateKeySecret: 'sf-private-key',
      subject: 'integration@acme.example',
      audience: 'https://login.salesforce.com',
    },
  ],
];

describe('valid tenants', () => {
  test.each(auths)('auth %s', (_name, authConfig) => {
    const config = validTenant();
    destination(config).auth = authConfig;
    const result = validateTenantConfig(config);
    expect(result).toMatchObject({ ok: true, config: { destinations: [{ auth: authConfig }] } });
  });

  // Salesforce and Dynamics accept OAuth2 only, Klaviyo an API key or OAuth2 (their definitions' authSchemes).
  const oauth2 = {
    scheme: 'oauth2',
    grant: 'client_credentials',
    tokenUrl: 'https://login.example.com/oauth2/token',
    clientIdSecret: 'client-id',
    clientSecretSecret: 'client-secret',
  };
  const klaviyoKey = { scheme: 'apiKey', header: 'Authorization', prefix: 'Klaviyo-API-Key ', secret: 'kl' };
  test.each([
    ['hubspot', { idProperty: 'customer_id' }],
    [
      'salesforce',
      { externalIdField: 'Customer_Id__c', objectType: 'Contact', apiVersion: 'v62.0', auth: oauth2 },
    ],
    ['dynamics', { externalIdField: 'customerid', objectType: 'contacts', auth: oauth2 }],
    ['braze', {}],
    ['klaviyo', { apiVersion: '2026-07-15', auth: klaviyoKey }],
  ])('destination type %s with its required keys', (type, extra) => {
    const config = validTenant();
    const d = destination(config);
    delete d.path;
    Object.assign(d, { type }, extra);
    expect(validateTenantConfig(config).ok).toBe(true);
  });

  test('schema defaults are applied to a copy, and the input is left as it was', () => {
    const config = validTenant();
    const before = JSON.stringify(config);
    const result = validateTenantConfig(config);
    expect(JSON.stringify(config)).toBe(before);
    if (!result.ok) throw new Error('expected valid');
    expect(result.config).toMatchObject({
      environment: 'production',
      logLevel: 'info',
      joinKey: { normalizeEmail: false },
      platform: { baseUrl: 'https://app.neostore.cloud' },
      destinations: [
        {
          mode: 'readModifyWrite',
          method: 'POST',
          timeoutMs: 10000,
          events: false,
          route: {},
          retry: { maxElapsedMs: 25000, maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 10000 },
          auth: { prefix: '' },
        },
      ],
    });
    (result.config.destinations[0] as { id: string }).id = 'changed';
    expect(destination(config).id).toBe('crm-main');
  });

  test('given values win over defaults', () => {
    const config = validTenant();
    Object.assign(destination(config), { method: 'PATCH', retry: { maxAttempts: 3 }, mode: 'writeOnly' });
    const result = validateTenantConfig(config);
    expect(result).toMatchObject({
      ok: true,
      config: {
        destinations: [{ method: 'PATCH', mode: 'writeOnly', retry: { maxAttempts: 3, baseDelayMs: 250 } }],
      },
    });
  });

  test('a readPath lets path use event placeholders under readModifyWrite', () => {
    const config = validTenant();
    Object.assign(destination(config), {
      path: '/customers/{joinKey}/passes/{passId}/{wallet}',
      readPath: '/customers/{joinKey}',
    });
    expect(validateTenantConfig(config).ok).toBe(true);
  });

  test('ordinary long names and public ids are not taken for secrets', () => {
    const config = validTenant();
    Object.assign(destination(config), {
      headers: { 'X-Source': 'twc-wallet-status-connector-production-eu-west', Accept: 'application/json' },
      properties: { walletStatus: 'wallet_install_status_for_loyalty_program_members' },
      template: { appId: '3f0c2a9e-5b7d-4e21-9a6c-0d8e7f1b2c34', status: '${state.walletStatus}' },
    });
    destination(config).auth = { scheme: 'bearer', tokenSecret: 'hubspot-private-app-token-production-2026' };
    expect(validateTenantConfig(config)).toMatchObject({ ok: true });
  });

  test.each([undefined, null, 'text', 42, []])('%p is refused at the root', (input) => {
    const result = validateTenantConfig(input);
    expect(result).toMatchObject({ ok: false, errors: [{ path: '(root)' }] });
  });
});
