/**
 * The sample replay (test/replay/sample.jsonl, registration counts per wallet) and its truth
 * (sample.expected.json): loaded once, replayed through an in-process connector with bounded
 * concurrency or through the built bundle, and compared with a simulator's table. A customer the
 * simulator never heard of counts as "none". The per-pass recording (sample.per-pass.jsonl, counts
 * of the whole pass on both wallets, customers `pp-...`) is the same platform read the other way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTenant } from '../../cli/commands/build';
import { replayBundle } from '../../cli/commands/replay';
import { createNodeHost } from '../../cli/node-host';
import { readReplayFile, type HookName, type RecordedCall } from '../../cli/replay/replay-file';
import type { ReplaySummary } from '../../cli/replay/run-replay';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { destinationDefinitions } from '../../connector/destinations/registry';
import type { LogRecord } from '../../connector/platform/host';
import { createConnector, type Connector } from '../../connector/runtime';
import { runConcurrently } from './pipeline';

export interface Truth {
  walletStatus: string;
  apple: boolean;
  google: boolean;
}

export interface TableRow {
  key: string;
  walletStatus: string;
}

export interface Call {
  hook: HookName;
  args: unknown[];
}

export const SAMPLE: RecordedCall[] = readReplayFile(join(__dirname, '../replay/sample.jsonl'));

export const EXPECTED = JSON.parse(
  readFileSync(join(__dirname, '../replay/sample.expected.json'), 'utf8'),
) as Record<string, Truth>;

export const SAMPLE_PER_PASS: RecordedCall[] = readReplayFile(
  join(__dirname, '../replay/sample.per-pass.jsonl'),
);

export const EXPECTED_PER_PASS = JSON.parse(
  readFileSync(join(__dirname, '../replay/sample.per-pass.expected.json'), 'utf8'),
) as Record<string, Truth>;

/** The customers of `expected` whose status in the rows (by key, "none" when absent) is not the truth. */
export function wrongCustomers(rows: TableRow[], expected: Record<string, Truth>): string[] {
  const got = new Map(rows.map((row) => [row.key, row.walletStatus]));
  return Object.keys(expected).filter(
    (key) => (got.get(key) || 'none') !== (expected[key] as Truth).walletStatus,
  );
}

/** The truth as rows, by key. */
export function truthTable(): Array<{ key: string } & Truth> {
  return Object.keys(EXPECTED)
    .sort()
    .map((key) => Object.assign({ key }, EXPECTED[key]));
}

/** A simulator's rows for the sample's customers, by key, with "none" for one it never heard of. */
export function finalTable<R extends { key: string }>(rows: R[]): Array<R | ({ key: string } & Truth)> {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return Object.keys(EXPECTED)
    .sort()
    .map((key) => byKey.get(key) ?? { key, walletStatus: 'none', apple: false, google: false });
}

/** The wallet status of every row, by key. */
export function statusByKey(rows: TableRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) out[row.key] = row.walletStatus;
  return out;
}

/** The wallet status of each of the sample's customers in a simulator's rows ("none" if absent). */
export function statusesOf(rows: TableRow[]): Record<string, string> {
  const got: Record<string, string> = {};
  for (const key of Object.keys(EXPECTED)) got[key] = 'none';
  for (const row of rows) if (row.key in got) got[row.key] = row.walletStatus;
  return got;
}

/** The true wallet status of each of the sample's customers. */
export function truthStatuses(): Record<string, string> {
  const want: Record<string, string> = {};
  for (const key of Object.keys(EXPECTED)) want[key] = (EXPECTED[key] as Truth).walletStatus;
  return want;
}

/** Asserts, customer by customer, that a simulator's rows hold the true wallet status. */
export function expectSampleTruth(rows: TableRow[]): void {
  const got = statusesOf(rows);
  const want = truthStatuses();
  for (const key of Object.keys(EXPECTED)) expect([key, got[key]]).toEqual([key, want[key]]);
}

/** A connector (Node host, real fetch) with its log lines and the hook calls that rejected. */
export interface Run {
  connector: Connector;
  logs: LogRecord[];
  rejected: unknown[];
}

export function startRun(config: TenantConfig, secrets: Record<string, string>, now?: () => number): Run {
  const logs: LogRecord[] = [];
  const host = createNodeHost({ secrets, log: (record) => logs.push(record), now });
  const connector = createConnector({ config, host, definitions: destinationDefinitions });
  return { connector, logs, rejected: [] };
}

/** Replays calls with at most `concurrency` in flight, keeps what rejected, then waits for the connector to be idle. */
export async function replay(run: Run, calls: Call[], concurrency = 16): Promise<void> {
  const results = await runConcurrently(calls, concurrency, (call) =>
    run.connector.handle(call.hook, call.args),
  );
  for (const result of results) if (!result.ok) run.rejected.push(result.error);
  await run.connector.idle();
}

/** Builds the tenant's upload bundle into outRoot and replays the sample through it (16 in flight). */
export async function replaySampleThroughBundle(
  config: TenantConfig,
  secrets: Record<string, string>,
  outRoot: string,
  logSink?: (line: string) => void,
): Promise<ReplaySummary> {
  const built = await buildTenant(config, outRoot);
  return replayBundle({
    bundleFile: built.file,
    tenant: config,
    secrets,
    calls: SAMPLE,
    concurrency: 16,
    progress: false,
    logSink,
  });
}
