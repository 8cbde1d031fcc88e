/**
 * `twc-connector insights`: prints the daily table (or JSON), writes the SVG chart with --out, and
 * with --compare-crm the drift table. Exit codes: 0 ok, 1 drift found or the query failed, 2 usage.
 */
import { writeFileSync } from 'node:fs';
import { isConnectorError } from '../../connector/delivery/errors';
import { loadTenantFile } from '../config/load';
import { readSecretsFile } from '../files';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from '../exit-codes';
import { formatDrift } from '../insights/compare';
import { DEFAULT_COLUMNS, formatDaily } from '../insights/query';
import { runInsights } from '../insights/run';
import { renderChart } from '../insights/svg';

export interface InsightsCommandOptions {
  tenant: string;
  secrets?: string;
  days: string;
  out?: string;
  compareCrm?: boolean;
  eventColumn?: string;
  walletExpr?: string;
  json?: boolean;
}

export async function insightsCommand(opts: InsightsCommandOptions): Promise<number> {
  const days = Number(opts.days);
  if (!(Math.floor(days) === days && days >= 1 && days <= 3650))
    throw new UsageError('--days must be a whole number from 1 to 3650');
  const config = loadTenantFile(opts.tenant);
  const secrets = readSecretsFile(opts.secrets);
  const columns = {
    eventColumn: opts.eventColumn || DEFAULT_COLUMNS.eventColumn,
    walletExpr: opts.walletExpr || DEFAULT_COLUMNS.walletExpr,
  };
  let result;
  try {
    result = await runInsights({ config, secrets, days, columns, compareCrm: opts.compareCrm });
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_SOME_FAILED;
  }
  if (opts.out)
    writeFileSync(
      opts.out,
      renderChart(result.daily, `${config.tenantId}: wallet installs and uninstalls, last ${days} days`),
    );
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`${formatDaily(result.daily)}\n`);
    if (result.drift) process.stdout.write(`\n${formatDrift(result.drift)}\n`);
    if (opts.out) process.stdout.write(`chart written to ${opts.out}\n`);
  }
  return result.drift && result.drift.some((d) => d.drift) ? EXIT_SOME_FAILED : EXIT_OK;
}
