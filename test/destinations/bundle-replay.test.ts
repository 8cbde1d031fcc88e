/**
 * The BUILT upload bundle (cli build + replay: a bare context lending only fetch, timers, console)
 * replays the sample into the Braze, Dynamics and Salesforce simulators: the destination code survives the
 * ES2015-level build and reaches the right final state there too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { startBrazeSimulator } from '../sim/braze';
import { startDynamicsSimulator } from '../sim/dynamics';
import { startSalesforceSimulator } from '../sim/salesforce';
import {
  replaySampleThroughBundle,
  statusesOf as statuses,
  truthStatuses as truth,
} from '../support/replay-truth';

const out = mkdtempSync(join(tmpdir(), 'twc-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// One build for all three destinations: building is most of this test's time.
it('the built bundle replays the sample into Braze, Dynamics and Salesforce, each to the right final state', async () => {
  const ws = await startBrazeSimulator();
  const org = await startDynamicsSimulator();
  const sf = await startSalesforceSimulator();
  try {
    const tenant: TenantConfig = {
      tenantId: 'bundle-braze-dynamics',
      joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
      destinations: [
        {
          id: 'braze',
          type: 'braze',
          baseUrl: ws.url,
          auth: { scheme: 'bearer', tokenSecret: 'braze-key' },
          route: { passTypes: ['loyalty'] },
          rateLimit: { requests: 50 },
        },
        {
          id: 'd365',
          type: 'dynamics',
          baseUrl: org.url,
          auth: {
            scheme: 'oauth2',
            grant: 'client_credentials',
            tokenUrl: org.tokenUrl,
            clientIdSecret: 'd365-id',
            clientSecretSecret: 'd365-secret',
            scope: org.scope,
          },
          externalIdField: 'twc_customerid',
          route: { passTypes: ['loyalty'] },
        },
        {
          id: 'sf',
          type: 'salesforce',
          // The instance URL comes from the token response, as in production.
          baseUrl: 'https://login.invalid',
          auth: {
            scheme: 'oauth2',
            grant: 'client_credentials',
            tokenUrl: sf.tokenUrl,
            clientIdSecret: 'sf-id',
            clientSecretSecret: 'sf-secret',
          },
          externalIdField: 'Customer_Id__c',
          route: { passTypes: ['loyalty'] },
        },
      ],
    };
    const secrets = {
      'braze-key': ws.apiKey,
      'd365-id': org.clientId,
      'd365-secret': org.clientSecret,
      'sf-id': sf.app.clientId,
      'sf-secret': sf.app.clientSecret,
    };
    const summary = await replaySampleThroughBundle(tenant, secrets, out);
    expect(summary.rejected).toBe(0);
    expect(statuses(ws.table())).toEqual(truth());
    expect(statuses(org.table())).toEqual(truth());
    expect(statuses(sf.table())).toEqual(truth());
    // The Dataverse writes from the bundle were conditional too.
    const patches = org.server.requests.filter((r) => r.method === 'PATCH');
    expect(
      patches.every(
        (r) => r.headers['if-none-match'] === '*' || /^W\/"\d+"$/.test(r.headers['if-match'] ?? ''),
      ),
    ).toBe(true);
  } finally {
    await Promise.all([ws.server.close(), org.server.close(), sf.server.close()]);
  }
}, 180000);
