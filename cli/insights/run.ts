/**
 * insights: daily installs and uninstalls per wallet from the Insights API, as a table and an SVG
 * chart, optionally checked against the CRM (compare.ts). The Insights API allows 60 calls a
 * minute; its client keeps to that with the same limiter and retry rules as every destination.
 */
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createLogger, redactingSecrets, Redactor } from '../../connector/platform/logger';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { LogRecord } from '../../connector/platform/host';
import { createNodeHost } from '../node-host';
import { createPlatformClient } from '../backfill/platform-client';
import { PASS_API_RATE } from '../backfill/run';
import { compareWithCrm, type DriftRow } from './compare';
import { queryDaily, type DailyRow, type InsightsColumns } from './query';

export const INSIGHTS_RATE = { requests: 60, intervalMs: 60000, maxConcurrent: 1 };

export interface InsightsOptions {
  config: TenantConfig;
  secrets: Record<string, string>;
  days: number;
  columns: InsightsColumns;
  compareCrm?: boolean;
  now?: () => number;
  log?: (record: LogRecord) => void;
}

export interface InsightsResult {
  daily: DailyRow[];
  drift: DriftRow[] | null;
}

export async function runInsights(options: InsightsOptions): Promise<InsightsResult> {
  const now = options.now || Date.now;
  const redactor = new Redactor();
  const sink = options.log || ((r: LogRecord) => process.stderr.write(`${JSON.stringify(r)}\n`));
  const log = createLogger(sink, options.config.logLevel || 'info', redactor);
  const base = createNodeHost({ secrets: options.secrets, log: sink, now });
  const host = Object.assign({}, base, { getSecret: redactingSecrets(base.getSecret, redactor) });
  const common = { config: options.config, host, log };
  const insights = createPlatformClient({ ...common, id: 'insights', rateLimit: INSIGHTS_RATE });
  try {
    const daily = await queryDaily(insights, options.config.tenantId, options.days, options.columns);
    if (!options.compareCrm) return { daily, drift: null };
    const passApi = createPlatformClient({ ...common, id: 'pass-api', rateLimit: PASS_API_RATE });
    const connector = createConnector({ config: options.config, host, definitions: destinationDefinitions });
    try {
      const drift = await compareWithCrm({
        connector,
        client: passApi,
        daily,
        days: options.days,
        now,
        tenantId: options.config.tenantId,
        joinKeyRule: {
          identifiers: options.config.joinKey.identifiers,
          normalizeEmail: options.config.joinKey.normalizeEmail === true,
        },
      });
      return { daily, drift };
    } finally {
      passApi.stop();
      connector.stop();
    }
  } finally {
    insights.stop();
  }
}
