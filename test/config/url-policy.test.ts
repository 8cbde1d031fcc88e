/**
 * Where credentials may go (issue 13): https, or http to loopback; plain http to a private host
 * only with allowInsecureHttp; never another scheme, never link-local or metadata addresses.
 */
import { formatIssue } from '../../cli/config/issues';
import { validateTenantConfig } from '../../cli/config/validate';

const base = { tenantId: 'acme', joinKey: { identifiers: ['customerId'] } };
const httpDestination = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
  id: 'crm',
  type: 'http',
  baseUrl,
  path: '/customers/{joinKey}',
  auth: { scheme: 'bearer', tokenSecret: 'crm-token' },
  ...extra,
});
const withTokenUrl = (tokenUrl: string, extra: Record<string, unknown> = {}) =>
  httpDestination('https://crm.example.com', {
    auth: {
      scheme: 'oauth2',
      grant: 'client_credentials',
      tokenUrl,
      clientIdSecret: 'client-id',
      clientSecretSecret: 'client-secret',
    },
    ...extra,
  });

function issues(destination: Record<string, unknown>, more: Record<string, unknown> = {}): string[] {
  const result = validateTenantConfig({ ...base, ...more, destinations: [destination] });
  return result.ok ? [] : result.errors.map(formatIssue);
}

describe('URL policy: where credentials may be sent', () => {
  it.each([
    'https://api.hubapi.com',
    'http://127.0.0.1:4010',
    'http://127.8.9.10',
    'http://localhost:8080/api',
    'http://[::1]:9000',
  ])('accepts %s', (url) => {
    expect(issues(httpDestination(url))).toEqual([]);
  });

  it('refuses http:// to a public CRM host, naming the https fix', () => {
    expect(issues(httpDestination('http://api.hubapi.com/v3'))).toEqual([
      'destinations[0].baseUrl: plain http:// to api.hubapi.com would send the credentials in clear — use https://api.hubapi.com/v3',
    ]);
  });

  it('refuses http:// to a private host unless the destination opts in', () => {
    expect(issues(httpDestination('http://10.1.2.3:8080'))).toEqual([
      'destinations[0].baseUrl: plain http:// to 10.1.2.3 would send the credentials in clear (a private host) — use https://, or, on a private network you trust, set "allowInsecureHttp": true on this destination',
    ]);
    expect(issues(httpDestination('http://10.1.2.3:8080', { allowInsecureHttp: true }))).toEqual([]);
    expect(issues(httpDestination('http://crm.internal', { allowInsecureHttp: true }))).toEqual([]);
    // The opt-in is for private hosts only: a public one still needs https.
    expect(issues(httpDestination('http://api.hubapi.com', { allowInsecureHttp: true }))).toHaveLength(1);
  });

  it.each([
    ['http://169.254.169.254/latest', '169.254.169.254'],
    ['http://2852039166/', '169.254.169.254'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['https://169.254.169.254/', '169.254.169.254'],
    ['http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]'],
    ['http://[fe80::1]/', '[fe80::1]'],
    ['http://metadata.google.internal/', 'metadata.google.internal'],
  ])('refuses the link-local or metadata address %s, even with the opt-in', (url, host) => {
    const found = issues(httpDestination(url, { allowInsecureHttp: true }));
    expect(found).toEqual([
      `destinations[0].baseUrl: points at ${host}, a link-local or cloud metadata address, which is never a CRM — use the CRM's own https:// address`,
    ]);
  });

  it('refuses an OAuth token URL over http (the client secret would travel in clear) or over file:', () => {
    expect(issues(withTokenUrl('http://login.example.com/oauth2/token'))).toEqual([
      'destinations[0].auth.tokenUrl: plain http:// to login.example.com would send the credentials in clear — use https://login.example.com/oauth2/token',
    ]);
    expect(issues(withTokenUrl('file:///etc/passwd'))).toEqual([
      'destinations[0].auth.tokenUrl: uses the scheme "file"; the connector sends requests over https only — use an https:// URL',
    ]);
    expect(issues(withTokenUrl('https://login.example.com/oauth2/token'))).toEqual([]);
  });

  it('applies to the platform API URL too (its API key), with no opt-in', () => {
    expect(
      issues(httpDestination('https://crm.example.com'), {
        platform: { baseUrl: 'http://app.neostore.cloud', apiKeySecret: 'twc-api-key' },
      }),
    ).toEqual([
      'platform.baseUrl: plain http:// to app.neostore.cloud would send the credentials in clear — use https://app.neostore.cloud',
    ]);
  });
});
