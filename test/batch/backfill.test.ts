import { existsSync } from 'node:fs';
import { decodeSyncState } from '../../connector/domain/sync-state';
import { runBackfill, type BackfillOptions } from '../../cli/backfill/run';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startPassApiSimulator, type PassApiSimulator } from '../sim/pass-api';
import {
  CRM_KEY,
  EXPECTED,
  TWC_KEY,
  secrets,
  seedThroughHooks,
  tempCheckpoint,
  tenant,
  truthPasses,
  visible,
} from './backfill-fixture';
import type { LogRecord } from '../../connector/platform/host';

describe('backfill: the Pass API is the truth', () => {
  let crm: HttpCrmSimulator;
  let api: PassApiSimulator;
  let logs: LogRecord[];

  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
    api = await startPassApiSimulator({ apiKey: TWC_KEY, passes: truthPasses() });
    logs = [];
    await seedThroughHooks(tenant(crm.server.url, api.url));
  });
  afterEach(async () => {
    await crm.server.close();
    await api.server.close();
  });

  function options(extra: Partial<BackfillOptions> = {}): BackfillOptions {
    return {
      config: tenant(crm.server.url, api.url),
      secrets,
      checkpointFile: tempCheckpoint(),
      pageSize: 3,
      log: (r) => logs.push(r),
      passApiRetry: { baseDelayMs: 1, maxDelayMs: 20 },
      ...extra,
    };
  }

  function corruptByHand(): void {
    const r = crm.records;
    r.set('c-1', { ...r.get('c-1'), walletStatus: 'none' });
    r.set('c-2', {
      ...r.get('c-2'),
      appleWalletInstalledAt: '2019-01-01T00:00:00.000Z',
      walletLastChangedAt: 'yesterday-ish',
    });
    r.set('c-3', { ...r.get('c-3'), walletSyncState: 'v1:%%%not-a-state{{{' });
    r.delete('c-4');
  }

  const writes = (from: number): string[] =>
    crm.server.requests
      .slice(from)
      .filter((q) => q.method !== 'GET')
      .map((q) => `${q.method} ${q.path}`);

  it('repairs a CRM corrupted by hand in one run, and a second run writes nothing', async () => {
    expect(visible(crm.records.get('c-5'))).toEqual({
      walletStatus: 'google',
      apple: null,
      google: expect.any(String),
    });
    corruptByHand();
    const mark = crm.server.requests.length;

    const first = await runBackfill(options());
    expect(first.interrupted).toBeNull();
    expect(first.counts).toEqual({ checked: 7, repaired: 5, unchanged: 2, failed: 0 });
    expect(first.noJoinKey).toBe(1);
    expect(writes(mark).sort()).toEqual(
      ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].map((k) => `PUT /customers/${k}`),
    );
    for (const key of Object.keys(EXPECTED))
      expect([key, visible(crm.records.get(key))]).toEqual([key, EXPECTED[key]]);
    // c-5's uninstall never arrived: the Pass API says nothing is installed.
    expect(crm.records.get('c-5')).toMatchObject({
      walletStatus: 'none',
      googleWalletInstalledAt: null,
      walletLastEvent: 'uninstalled',
    });
    expect(crm.records.get('c-4')).toMatchObject({ walletLastEvent: 'installed' });
    for (const [key, record] of crm.records)
      expect([key, decodeSyncState(record.walletSyncState as string).problem ?? null]).toEqual([key, null]);

    const again = crm.server.requests.length;
    const second = await runBackfill(options());
    expect(second.counts).toEqual({ checked: 7, repaired: 0, unchanged: 7, failed: 0 });
    expect(writes(again)).toEqual([]);
    expect(crm.server.requests.length).toBeGreaterThan(again);
    expect(JSON.stringify(logs)).not.toContain(CRM_KEY);
    expect(JSON.stringify(logs)).not.toContain(TWC_KEY);
  });

  it('dry run: prints the diff per customer and writes nothing', async () => {
    corruptByHand();
    const before = JSON.stringify([...crm.records.entries()]);
    const mark = crm.server.requests.length;
    const lines: string[] = [];
    const file = tempCheckpoint();
    const summary = await runBackfill(
      options({ dryRun: true, out: (l) => lines.push(l), checkpointFile: file }),
    );
    expect(summary.counts).toEqual({ checked: 7, repaired: 5, unchanged: 2, failed: 0 });
    expect(writes(mark)).toEqual([]);
    expect(JSON.stringify([...crm.records.entries()])).toBe(before);
    expect(existsSync(file)).toBe(false);
    const byKey = (k: string): string => lines.find((l) => l.includes(` ${k} @crm`)) || '';
    expect(byKey('c-1')).toContain('walletStatus: none -> apple');
    expect(byKey('c-2')).toContain(
      'appleWalletInstalledAt: 2019-01-01T00:00:00.000Z -> 2026-10-02T09:00:00.000Z',
    );
    expect(byKey('c-3')).toContain('walletSyncState rewritten');
    expect(byKey('c-4')).toMatch(/^create c-4 @crm: walletStatus: \(empty\) -> both/);
    expect(byKey('c-5')).toContain('walletStatus: google -> none');
    expect(lines).toHaveLength(5);
  });

  it('resumes after an interruption at page N, continuing at N, and ends in the true state', async () => {
    corruptByHand();
    // Page 2 fails past the retry budget: the run stops there with its checkpoint.
    api.server.setFaults({ match: (r) => r.query.pageIndex === '2', kinds: ['503'] });
    const file = tempCheckpoint();
    const mark = crm.server.requests.length;
    const stopped = await runBackfill(
      options({ checkpointFile: file, passApiRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
    );
    expect(stopped.interrupted).toMatch(/^page 2: /);
    expect(api.pagesServed()).toEqual([0, 1]);
    expect(crm.server.requests.length).toBe(mark);
    expect(existsSync(file)).toBe(true);

    api.server.setFaults(null);
    const served = api.pagesServed().length;
    const resumed = await runBackfill(options({ checkpointFile: file, resume: true }));
    expect(resumed.resumedAtPage).toBe(2);
    expect(api.pagesServed().slice(served)).toEqual([2, 3]);
    expect(resumed.counts).toEqual({ checked: 7, repaired: 5, unchanged: 2, failed: 0 });
    for (const key of Object.keys(EXPECTED))
      expect([key, visible(crm.records.get(key))]).toEqual([key, EXPECTED[key]]);
    expect(existsSync(file)).toBe(false);
  });

  it('--pass-type filters the Pass API, and skips destinations it would only partly cover', async () => {
    corruptByHand();
    const loyalty = await runBackfill(options({ passType: 'loyalty' }));
    expect(loyalty.counts.repaired).toBe(5);
    const pageRequests = api.server.requests.filter((r) => r.path === '/api/acme/passes');
    expect(
      pageRequests.every(
        (r) => r.query['filter[0].field'] === 'passType' && r.query['filter[0].value'] === 'loyalty',
      ),
    ).toBe(true);
    expect(loyalty.passes).toBe(9);

    const mark = crm.server.requests.length;
    const coupon = await runBackfill(options({ passType: 'coupon' }));
    expect(coupon.skippedDestinations.map((d) => d.destination)).toEqual(['crm']);
    expect(coupon.counts.checked).toBe(0);
    expect(crm.server.requests.length).toBe(mark);
  });

  it('pages through throttling, resets and 5xx, in any envelope, to the same final state', async () => {
    await api.server.close();
    api = await startPassApiSimulator({
      apiKey: TWC_KEY,
      passes: truthPasses(),
      envelope: 'items',
      rateLimit: { requests: 2, intervalMs: 200, answer: '429-no-retry-after' },
      faults: { probability: 0.4, seed: 7, kinds: ['503', 'reset', '502'], key: (r) => r.url },
    });
    corruptByHand();
    // The client is told a faster rate than the simulator allows: the 429s must be absorbed too.
    const summary = await runBackfill({
      ...options(),
      config: tenant(crm.server.url, api.url),
      pageSize: 2,
      passApiRate: { requests: 50, intervalMs: 1000, maxConcurrent: 1 },
    });
    expect(summary.interrupted).toBeNull();
    expect(summary.counts.failed).toBe(0);
    expect(api.server.requests.some((r) => r.fault !== null)).toBe(true);
    expect(api.server.stats.refused429).toBeGreaterThan(0);
    expect(summary.pages).toBe(5);
    for (const key of Object.keys(EXPECTED))
      expect([key, visible(crm.records.get(key))]).toEqual([key, EXPECTED[key]]);
  });

  it('stops with an authentication error on a wrong API key, without retrying it', async () => {
    const summary = await runBackfill({
      ...options(),
      secrets: { ...secrets, 'twc-api-key': 'wrong-key-123' },
    });
    expect(summary.interrupted).toMatch(/authentication/);
    expect(api.server.requests).toHaveLength(1);
    expect(summary.interrupted).not.toContain('wrong-key-123');
  });
});
