import { validateTenantConfig } from '../../cli/config/validate';

const base = {
  tenantId: 'acme',
  joinKey: { identifiers: ['customerId'] },
};

function issues(destination: Record<string, unknown>) {
  const result = validateTenantConfig({ ...base, destinations: [destination] });
  return result.ok ? [] : result.errors;
}

describe('keys a destination type does not read are refused, not ignored', () => {
  const hubspot = {
    id: 'hs',
    type: 'hubspot',
    baseUrl: 'https://api.hubapi.com',
    auth: { scheme: 'bearer', tokenSecret: 'hubspot-token' },
    idProperty: 'customer_id',
  };
  it.each([
    ['path', '/customers/{joinKey}', '"http"'],
    ['method', 'PUT', '"http"'],
    ['externalIdField', 'Customer_Id__c', '"salesforce", "dynamics"'],
    ['objectType', 'Contact', '"salesforce", "dynamics"'],
  ])('%s on a hubspot destination', (key, value, readers) => {
    expect(issues({ ...hubspot, [key]: value })).toEqual([
      {
        path: `destinations[0].${key}`,
        message: `is not read by type "hubspot" (only by ${readers})`,
        fix: `remove "${key}", or check the destination's "type"`,
      },
    ]);
  });

  it('accepts the keys the type reads', () => {
    expect(issues({ ...hubspot, eventNames: { installed: 'pe1_pass_installed' }, events: true })).toEqual([]);
  });
});
