import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInsights } from '../../cli/insights/run';
import { renderChart } from '../../cli/insights/svg';
import { DEFAULT_COLUMNS, formatDaily } from '../../cli/insights/query';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startInsightsApiSimulator, insightsRoute, type InsightsApiSimulator } from '../sim/insights-api';
import { startPassApiSimulator, type PassApiSimulator } from '../sim/pass-api';
import { httpTenant } from '../support/pipeline';
import { runCli, writeJsonFiles } from './cli-process';

const KEY = 'twc-insights-key-9f8e7d';
const CRM_KEY = 'crm-insights-key-1a2b';
const ROWS = [
  ['2026-11-25T00:00:00Z', 'apple', 4, 1],
  ['2026-11-25T00:00:00Z', 'google', 2, 0],
  ['2026-11-26T00:00:00Z', 'apple', 3, 2],
  ['2026-11-26T00:00:00Z', 'google', 5, 1],
];
const NOW = Date.UTC(2026, 10, 27, 12);

function config(baseUrl: string, crmUrl = 'http://127.0.0.1:9') {
  return Object.assign(httpTenant(crmUrl), { platform: { baseUrl, apiKeySecret: 'twc-key' } });
}
const secrets = { 'twc-key': KEY, 'crm-key': CRM_KEY };

describe('insights', () => {
  let sim: InsightsApiSimulator;
  beforeEach(async () => {
    sim = await startInsightsApiSimulator({ apiKey: KEY, rows: ROWS });
  });
  afterEach(() => sim.server.close());

  it('asks for daily installs and uninstalls per wallet and reads the rows', async () => {
    const result = await runInsights({
      config: config(sim.url),
      secrets,
      days: 30,
      columns: DEFAULT_COLUMNS,
      log: () => undefined,
    });
    expect(result.daily).toEqual([
      { day: '2026-11-25', wallet: 'apple', installs: 4, uninstalls: 1 },
      { day: '2026-11-25', wallet: 'google', installs: 2, uninstalls: 0 },
      { day: '2026-11-26', wallet: 'apple', installs: 3, uninstalls: 2 },
      { day: '2026-11-26', wallet: 'google', installs: 5, uninstalls: 1 },
    ]);
    const asked = sim.queries[0] as { query: string; parameters: unknown };
    expect(asked.query).toContain('ago(30d)');
    expect(asked.query).toContain('summarize installs = countif(eventType == installed)');
    expect(asked.parameters).toEqual({ installed: 'Pass:Installed', uninstalled: 'Pass:Uninstalled' });
    expect(formatDaily(result.daily)).toContain('total       apple            7           3');
  });

  it('takes the event column as a parameter (the docs name it eventType and Name)', async () => {
    await runInsights({
      config: config(sim.url),
      secrets,
      days: 7,
      columns: { eventColumn: 'Name', walletExpr: 'tostring(properties.wallet)' },
      log: () => undefined,
    });
    expect(sim.queries[0]?.query).toContain('| where Name == installed or Name == uninstalled');
    expect(sim.queries[0]?.query).toContain('extend wallet = tostring(properties.wallet)');
  });

  it('retries a 429 from the 60-per-minute limit and gets its rows', async () => {
    sim.server.setFaults({
      times: 1,
      kinds: [{ kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
    });
    const result = await runInsights({
      config: config(sim.url),
      secrets,
      days: 30,
      columns: DEFAULT_COLUMNS,
      log: () => undefined,
    });
    expect(result.daily).toHaveLength(4);
    expect(sim.server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('draws one polyline per wallet and measure', () => {
    const svg = renderChart(
      ROWS.map((r) => ({
        day: String(r[0]).slice(0, 10),
        wallet: r[1] as string,
        installs: r[2] as number,
        uninstalls: r[3] as number,
      })),
      'acme',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('data-series="google installs"');
    expect(svg).toContain('stroke-dasharray');
  });

  it('the command prints the table and writes the chart', async () => {
    const files = writeJsonFiles({ tenant: config(sim.url), secrets });
    const out = join(mkdtempSync(join(tmpdir(), 'twc-insights-')), 'chart.svg');
    const run = runCli([
      'insights',
      '--tenant',
      files.tenant as string,
      '--secrets',
      files.secrets as string,
      '--days',
      '30',
      '--out',
      out,
    ]);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('2026-11-26  google           5           1');
    expect(readFileSync(out, 'utf8').match(/<polyline /g)).toHaveLength(4);
    expect(run.stdout() + run.stderr()).not.toContain(KEY);
  });
});

describe('insights --compare-crm', () => {
  let platform: PassApiSimulator;
  let crm: HttpCrmSimulator;
  const day = (d: number): string => new Date(Date.UTC(2026, 10, d, 9)).toISOString();

  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
    platform = await startPassApiSimulator({
      apiKey: KEY,
      passes: [
        { id: 'p-1', passType: 'loyalty', identifiers: { customerId: 'c-1' }, providers: { apple: day(25) } },
        {
          id: 'p-2',
          passType: 'loyalty',
          identifiers: { customerId: 'c-2' },
          providers: { google: day(26) },
        },
        { id: 'p-3', passType: 'loyalty', identifiers: { customerId: 'c-3' }, providers: { apple: day(26) } },
      ],
      extraRoutes: [insightsRoute({ apiKey: KEY, rows: ROWS }, [])],
    });
  });
  afterEach(async () => {
    await platform.server.close();
    await crm.server.close();
  });

  it('flags drift when the CRM misses what the Pass API shows', async () => {
    crm.records.set('c-1', { walletStatus: 'apple', appleWalletInstalledAt: day(25) });
    crm.records.set('c-2', { walletStatus: 'google', googleWalletInstalledAt: day(26) });
    // c-3's install never reached the CRM.
    const result = await runInsights({
      config: config(platform.url, crm.server.url),
      secrets,
      days: 30,
      columns: DEFAULT_COLUMNS,
      compareCrm: true,
      now: () => NOW,
      log: () => undefined,
    });
    expect(result.drift).toEqual([
      { destination: 'crm', wallet: 'apple', insights: 7, truth: 2, crm: 1, drift: true },
      { destination: 'crm', wallet: 'google', insights: 7, truth: 1, crm: 1, drift: false },
    ]);
  });
});
