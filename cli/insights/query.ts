/**
 * The Insights query (twc-platform.md §5): `POST /api/{tenantId}/insights/query` with a KQL query,
 * answered `{ rows: [[...], ...] }`. The docs disagree on the column that holds the event name
 * (`eventType` in the table schema, `Name` in the API reference example) and do not say where the
 * wallet is in an event's `properties`, so both are parameters (--event-column, --wallet-expr).
 */
import { ConnectorError } from '../../connector/delivery/errors';
import type { PlatformClient } from '../backfill/platform-client';

export interface InsightsColumns {
  /** The column holding the event name: 'eventType' (schema table) or 'Name' (API reference). */
  eventColumn: string;
  /** A KQL expression giving the wallet of an event. */
  walletExpr: string;
}

export const DEFAULT_COLUMNS: InsightsColumns = {
  eventColumn: 'eventType',
  walletExpr: 'tostring(properties.device)',
};

export interface DailyRow {
  day: string;
  wallet: string;
  installs: number;
  uninstalls: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Daily installs and uninstalls per wallet over the last `days` days, oldest first. */
export function buildQuery(
  days: number,
  columns: InsightsColumns,
): { query: string; parameters: Record<string, string> } {
  if (!IDENTIFIER.test(columns.eventColumn))
    throw new ConnectorError('validation', `--event-column "${columns.eventColumn}" is not a column name`);
  const name = columns.eventColumn;
  const query = [
    'Events',
    `| where timestamp > ago(${days}d)`,
    `| where ${name} == installed or ${name} == uninstalled`,
    `| extend wallet = ${columns.walletExpr}`,
    `| summarize installs = countif(${name} == installed), uninstalls = countif(${name} == uninstalled)`,
    '    by day = format_datetime(startofday(timestamp), "yyyy-MM-dd"), wallet',
    '| order by day asc, wallet asc',
  ].join('\n');
  // Event names go in as parameters (the API's own mechanism), never spliced into the text.
  return { query, parameters: { installed: 'Pass:Installed', uninstalled: 'Pass:Uninstalled' } };
}

function count(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && isFinite(n) ? n : 0;
}

/** Rows as `[day, wallet, installs, uninstalls]`; `{ tables: [{ rows }] }` is read too. */
export function rowsOf(json: unknown): DailyRow[] | null {
  const body = json as { rows?: unknown; tables?: Array<{ rows?: unknown }> } | null;
  const rows =
    body && Array.isArray(body.rows)
      ? body.rows
      : body && Array.isArray(body.tables) && body.tables[0]
        ? body.tables[0].rows
        : null;
  if (!Array.isArray(rows)) return null;
  return rows
    .filter((r): r is unknown[] => Array.isArray(r) && r.length >= 4)
    .map((r) => ({
      day: String(r[0]).slice(0, 10),
      wallet: r[1] === null || r[1] === '' ? '(unknown)' : String(r[1]).toLowerCase(),
      installs: count(r[2]),
      uninstalls: count(r[3]),
    }));
}

export async function queryDaily(
  client: PlatformClient,
  tenantId: string,
  days: number,
  columns: InsightsColumns,
): Promise<DailyRow[]> {
  const path = `/api/${encodeURIComponent(tenantId)}/insights/query`;
  const response = await client.send({
    method: 'POST',
    path,
    json: buildQuery(days, columns),
    expectJson: true,
  });
  const rows = rowsOf(response.json);
  if (!rows)
    throw new ConnectorError('permanent', `POST ${path} answered no rows array`, {
      destination: 'insights',
      status: response.status,
    });
  return rows;
}

/** Plain text table, one line per day and wallet. */
export function formatDaily(rows: DailyRow[]): string {
  const lines = ['day         wallet    installs  uninstalls'];
  for (const r of rows)
    lines.push(
      `${r.day}  ${r.wallet.padEnd(8)}  ${String(r.installs).padStart(8)}  ${String(r.uninstalls).padStart(10)}`,
    );
  const sum = (w: string, f: 'installs' | 'uninstalls'): number =>
    rows.filter((r) => r.wallet === w).reduce((a, r) => a + r[f], 0);
  for (const w of Array.from(new Set(rows.map((r) => r.wallet))).sort())
    lines.push(
      `total       ${w.padEnd(8)}  ${String(sum(w, 'installs')).padStart(8)}  ${String(sum(w, 'uninstalls')).padStart(10)}`,
    );
  return lines.join('\n');
}
