/**
 * The auth schemes and grants each destination type declares (connector/destinations/<type>/
 * definition.ts) are enforced by validate (issue 13): a Salesforce tenant with an API key used to
 * pass, build, and then fail every event at the CRM.
 */
import { formatIssue } from '../../cli/config/issues';
import { validateTenantConfig } from '../../cli/config/validate';
import { destinationDescriptions } from '../../cli/config/destinations';

const base = { tenantId: 'acme', joinKey: { identifiers: ['customerId'] } };

function issues(destination: Record<string, unknown>): string[] {
  const result = validateTenantConfig({ ...base, destinations: [destination] });
  return result.ok ? [] : result.errors.map(formatIssue);
}

const apiKey = { scheme: 'apiKey', header: 'X-API-KEY', secret: 'crm-key' };
const basic = { scheme: 'basic', usernameSecret: 'crm-user', passwordSecret: 'crm-password' };
const bearer = { scheme: 'bearer', tokenSecret: 'crm-token' };
const oauth = (grant: string): Record<string, unknown> => ({
  scheme: 'oauth2',
  grant,
  tokenUrl: 'https://login.example.com/oauth2/token',
  clientIdSecret: 'client-id',
  ...(grant === 'jwt_bearer'
    ? { privateKeySecret: 'jwt-key', subject: 'user@example.com', audience: 'https://login.example.com' }
    : { clientSecretSecret: 'client-secret' }),
  ...(grant === 'refresh_token' ? { refreshTokenSecret: 'refresh-token' } : {}),
});

const destinations: Record<string, Record<string, unknown>> = {
  salesforce: {
    id: 'sf',
    type: 'salesforce',
    baseUrl: 'https://acme.my.salesforce.com',
    externalIdField: 'Customer_Id__c',
  },
  hubspot: { id: 'hs', type: 'hubspot', baseUrl: 'https://api.hubapi.com', idProperty: 'customer_id' },
  dynamics: {
    id: 'dy',
    type: 'dynamics',
    baseUrl: 'https://acme.crm.dynamics.com',
    externalIdField: 'new_customerid',
  },
  braze: { id: 'bz', type: 'braze', baseUrl: 'https://rest.iad-01.braze.com' },
  klaviyo: { id: 'kl', type: 'klaviyo', baseUrl: 'https://a.klaviyo.com' },
  http: { id: 'crm', type: 'http', baseUrl: 'https://crm.example.com', path: '/customers/{joinKey}' },
};

describe('validate enforces the auth schemes and grants a destination type declares', () => {
  it.each([
    ['salesforce', apiKey, 'destinations[0].auth.scheme: Salesforce does not accept scheme "apiKey"'],
    ['hubspot', basic, 'destinations[0].auth.scheme: HubSpot does not accept scheme "basic"'],
    [
      'braze',
      oauth('client_credentials'),
      'destinations[0].auth.scheme: Braze does not accept scheme "oauth2"',
    ],
    [
      'dynamics',
      oauth('jwt_bearer'),
      'destinations[0].auth.grant: Microsoft Dynamics 365 (Dataverse) does not accept grant "jwt_bearer"',
    ],
    [
      'hubspot',
      oauth('client_credentials'),
      'destinations[0].auth.grant: HubSpot does not accept grant "client_credentials"',
    ],
  ])('%s with %j is refused with its path and the fix', (type, auth, start) => {
    const found = issues({ ...destinations[type], auth });
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(start)).toBe(true);
    // "path: message — fix", and the fix names a scheme or grant the type accepts.
    expect(found[0]).toMatch(/ — set "(scheme|grant)": "/);
  });

  it('every scheme and grant a description declares is accepted', () => {
    const all: Record<string, Record<string, unknown>> = { apiKey, basic, bearer };
    for (const type of Object.keys(destinations)) {
      const definition = destinationDescriptions[type]!;
      for (const scheme of definition.authSchemes) {
        const auths = scheme === 'oauth2' ? (definition.grants ?? []).map(oauth) : [all[scheme]];
        for (const auth of auths)
          expect([type, auth, issues({ ...destinations[type], auth })]).toEqual([type, auth, []]);
      }
    }
  });
});
