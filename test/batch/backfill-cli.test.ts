import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startPassApiSimulator, type PassApiSimulator } from '../sim/pass-api';
import { httpTenant } from '../support/pipeline';
import {
  CRM_KEY,
  EXPECTED,
  TWC_KEY,
  secrets,
  tempCheckpoint,
  tenant,
  truthPasses,
  visible,
} from './backfill-fixture';
import { runCli, writeJsonFiles } from './cli-process';

describe('twc-connector backfill (the command)', () => {
  let crm: HttpCrmSimulator;
  let api: PassApiSimulator;
  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
    api = await startPassApiSimulator({ apiKey: TWC_KEY, passes: truthPasses() });
  });
  afterEach(async () => {
    await crm.server.close();
    await api.server.close();
  });

  it('exits 0 with a JSON summary, having written the truth into an empty CRM', async () => {
    const files = writeJsonFiles({ tenant: tenant(crm.server.url, api.url), secrets });
    const run = runCli([
      'backfill',
      '--tenant',
      files.tenant as string,
      '--secrets',
      files.secrets as string,
      '--json',
      '--checkpoint',
      tempCheckpoint(),
    ]);
    expect(await run.exited).toBe(0);
    const summary = JSON.parse(run.stdout()) as { counts: Record<string, number> };
    expect(summary.counts).toEqual({ checked: 7, repaired: 6, unchanged: 1, failed: 0 });
    for (const key of Object.keys(EXPECTED))
      expect([key, visible(crm.records.get(key))]).toEqual([key, EXPECTED[key]]);
    expect(run.stdout() + run.stderr()).not.toContain(TWC_KEY);
  });

  it('exits 1 when records fail, and 2 without a platform block', async () => {
    crm.server.setFaults({ match: (r) => r.method === 'PUT', kinds: ['400'] });
    const files = writeJsonFiles({
      tenant: tenant(crm.server.url, api.url),
      secrets,
      bare: httpTenant(crm.server.url),
    });
    const failed = runCli([
      'backfill',
      '--tenant',
      files.tenant as string,
      '--secrets',
      files.secrets as string,
      '--checkpoint',
      tempCheckpoint(),
    ]);
    expect(await failed.exited).toBe(1);
    expect(failed.stdout()).toMatch(/failed 6/);
    const usage = runCli([
      'backfill',
      '--tenant',
      files.bare as string,
      '--secrets',
      files.secrets as string,
    ]);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toMatch(/the tenant file has no platform\./);
  });
});
