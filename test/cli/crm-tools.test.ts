import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { httpTenant } from '../support/pipeline';
import { formatToolResults, setupCrm, testAuth } from '../../cli/commands/crm-tools';
import { manualSteps } from '../../cli/setup/manual-steps';
import { resolveDestination } from '../../connector/config/resolve';
import { salesforceDestination } from '../../connector/destinations/salesforce/definition';
import type { DestinationConfig } from '../../connector/config/tenant-config.generated';

let sim: HttpCrmSimulator;
beforeAll(async () => {
  sim = await startHttpCrmSimulator({ apiKey: 'good-key-123' });
});
afterAll(() => sim.server.close());

describe('test-auth', () => {
  it('says ok with a good key', async () => {
    const results = await testAuth(httpTenant(sim.server.url), { 'crm-key': 'good-key-123' });
    expect(results).toEqual([
      { destination: 'crm', type: 'http', ok: true, lines: [expect.stringMatching(/credentials accepted/)] },
    ]);
  });

  it('says clearly what is wrong with a bad key, without echoing it', async () => {
    const results = await testAuth(httpTenant(sim.server.url), { 'crm-key': 'bad-key-456' });
    expect(results[0]).toMatchObject({
      ok: false,
      lines: [expect.stringMatching(/^authentication error \(HTTP 401\)/)],
    });
    expect(formatToolResults(results)).not.toContain('bad-key-456');
  });

  it('names a missing secret', async () => {
    const results = await testAuth(httpTenant(sim.server.url), {});
    expect(results[0]).toMatchObject({ ok: false, lines: [expect.stringMatching(/crm-key/)] });
  });

  it('refuses an unknown destination id', async () => {
    await expect(testAuth(httpTenant(sim.server.url), {}, 'nope')).rejects.toThrow(/no destination "nope"/);
  });
});

describe('setup-crm', () => {
  it('prints the exact Salesforce steps with the names this tenant writes', () => {
    const config = {
      id: 'sf',
      type: 'salesforce',
      baseUrl: 'https://example.my.salesforce.com',
      externalIdField: 'Customer_Id__c',
      properties: { walletStatus: 'Wallet__c' },
      auth: {
        scheme: 'oauth2',
        grant: 'client_credentials',
        tokenUrl: 'https://example.my.salesforce.com/services/oauth2/token',
        clientIdSecret: 'a',
        clientSecretSecret: 'b',
      },
    } as DestinationConfig;
    const steps = manualSteps(resolveDestination(config, salesforceDestination)).join('\n');
    expect(steps).toMatch(/Wallet__c: Picklist \(values: none, apple, google, both\)/);
    expect(steps).toMatch(/Apple_Wallet_Installed_At__c: Date\/Time/);
    expect(steps).toMatch(/Customer_Id__c: Text \(255\), External ID and Unique/);
  });

  it('needs no secret for a CRM without a field API', async () => {
    const results = await setupCrm(httpTenant(sim.server.url), {});
    expect(results[0]).toMatchObject({
      ok: true,
      lines: expect.arrayContaining([expect.stringMatching(/GET \/customers\/\{joinKey\}/)]),
    });
  });
});
