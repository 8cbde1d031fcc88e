/** Every tenant file shipped in tenants/ is valid; the deliberately broken fixture is not. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTenantFile } from '../../cli/config/load';
import { issuesOf } from './helpers';
import broken from './fixtures/broken-example.json';

const tenantsDir = join(__dirname, '../../tenants');
const files = readdirSync(tenantsDir).filter((name) => name.endsWith('.json'));

test('there is at least the example tenant', () => {
  expect(files).toContain('example.json');
});

test.each(files)('tenants/%s is valid', (name) => {
  expect(() => loadTenantFile(join(tenantsDir, name))).not.toThrow();
});

test('the example tenant is the demo tenant', () => {
  expect(loadTenantFile(join(tenantsDir, 'example.json'))).toMatchObject({
    tenantId: 'example',
    joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
    destinations: [
      {
        id: 'crm-sim',
        type: 'http',
        baseUrl: 'http://127.0.0.1:4010',
        auth: { scheme: 'apiKey', header: 'X-API-KEY', secret: 'crm-sim-api-key' },
        method: 'PUT',
        path: '/customers/{joinKey}',
        route: { passTypes: ['loyalty'] },
        batch: { maxWaitMs: 20 },
      },
    ],
  });
});

test('the broken example fails with one issue per mistake', () => {
  expect(issuesOf(broken).map((issue) => issue.path)).toEqual([
    'destinations[0].auth.secret',
    'destinations[0].idProperty',
    'destinations[0].route.devices[1]',
    'destinations[1].id',
    'destinations[1].path',
    'destinations[1].retry.maxAttempts',
    'joinKey.normaliseEmail',
  ]);
});
