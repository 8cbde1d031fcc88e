/**
 * --compare-crm: a drift check, kept simple. Per destination and wallet, over the same window:
 * - insights: Pass:Installed events (the platform's log);
 * - truth: customers whose current install on that wallet began in the window, per the Pass API;
 * - crm: customers whose record says the same (the destination's own read, canonical fields).
 * crm must equal truth, and can never exceed insights (each install that began in the window was
 * an install event in it); either breach is drift, which `backfill` repairs.
 */
import { canonicalFromRecord } from '../../connector/domain/fields';
import type { Connector } from '../../connector/runtime';
import type { Wallet } from '../../connector/domain/types';
import type { JoinKeyRule } from '../../connector/domain/join-key';
import { fetchPassPage } from '../backfill/pass-api';
import type { PlatformClient } from '../backfill/platform-client';
import { groupByCustomer, truthFor, type SpoolRow } from '../backfill/truth';
import type { DailyRow } from './query';

export interface DriftRow {
  destination: string;
  wallet: Wallet;
  insights: number;
  truth: number;
  crm: number;
  drift: boolean;
}

const WALLETS: Wallet[] = ['apple', 'google'];
const PAGE = 200;
const READ_CHUNK = 100;

async function allPasses(client: PlatformClient, tenantId: string, now: () => number): Promise<SpoolRow[]> {
  const rows: SpoolRow[] = [];
  for (let pageIndex = 0; ; pageIndex++) {
    const readAtMs = now();
    const page = await fetchPassPage(client, { tenantId, pageIndex, pageSize: PAGE });
    for (const row of page.rows) rows.push(Object.assign({ readAtMs }, row));
    const seen = page.rows.length + page.skipped;
    if (seen === 0 || (page.total !== null ? (pageIndex + 1) * PAGE >= page.total : seen < PAGE)) return rows;
  }
}

export async function compareWithCrm(options: {
  connector: Connector;
  client: PlatformClient;
  daily: DailyRow[];
  days: number;
  now: () => number;
  tenantId: string;
  joinKeyRule: JoinKeyRule;
}): Promise<DriftRow[]> {
  const { connector } = options;
  const since = options.now() - options.days * 86400000;
  const passes = await allPasses(options.client, options.tenantId, options.now);
  const grouped = groupByCustomer(passes, options.joinKeyRule);
  const out: DriftRow[] = [];
  const insights = (w: Wallet): number =>
    options.daily.filter((r) => r.wallet === w).reduce((a, r) => a + r.installs, 0);
  for (const target of connector.destinations) {
    const read = target.definition.read;
    if (!read || target.destination.mode === 'writeOnly') continue;
    const truths = Array.from(grouped.customers.values())
      .map((c) => truthFor(c, target.destination.raw.route))
      .filter((t): t is NonNullable<typeof t> => t !== null);
    const truth: Record<Wallet, number> = { apple: 0, google: 0 };
    for (const t of truths)
      for (const w of WALLETS) {
        const starts = t.truth.passes
          .map((p) => p[w])
          .filter((x): x is { installedAtMs: number } => !!x && isFinite(x.installedAtMs));
        if (starts.length > 0 && Math.min(...starts.map((s) => s.installedAtMs)) >= since) truth[w]++;
      }
    const crm: Record<Wallet, number> = { apple: 0, google: 0 };
    const keys = truths.map((t) => t.key);
    for (let i = 0; i < keys.length; i += READ_CHUNK) {
      const records = await read(target.context(), keys.slice(i, i + READ_CHUNK));
      records.forEach((record) => {
        const fields = canonicalFromRecord(record ? record.fields : null, target.destination.properties);
        if (!fields) return;
        for (const w of WALLETS) {
          const at = w === 'apple' ? fields.appleWalletInstalledAt : fields.googleWalletInstalledAt;
          const on = fields.walletStatus === w || fields.walletStatus === 'both';
          if (on && at !== null && Date.parse(at) >= since) crm[w]++;
        }
      });
    }
    for (const w of WALLETS)
      out.push({
        destination: target.destination.id,
        wallet: w,
        insights: insights(w),
        truth: truth[w],
        crm: crm[w],
        drift: crm[w] !== truth[w] || crm[w] > insights(w),
      });
  }
  return out;
}

export function formatDrift(rows: DriftRow[]): string {
  const lines = ['destination   wallet  insights installs  truth (Pass API)  crm  drift'];
  for (const r of rows)
    lines.push(
      `${r.destination.padEnd(12)}  ${r.wallet.padEnd(6)}  ${String(r.insights).padStart(17)}  ${String(r.truth).padStart(16)}  ${String(r.crm).padStart(3)}  ${r.drift ? 'DRIFT: run backfill' : 'ok'}`,
    );
  return lines.join('\n');
}
