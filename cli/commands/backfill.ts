/**
 * `twc-connector backfill`: the command-line face of cli/backfill/run.ts. Results on stdout (a
 * summary, or JSON with --json; dry-run diffs one line per record), progress and logs on stderr.
 * Exit codes: 0 every record checked, 1 some failed or the run stopped early, 2 usage/config.
 */
import { loadTenantFile } from '../config/load';
import { readSecretsFile } from '../files';
import { EXIT_OK, EXIT_SOME_FAILED, UsageError } from '../exit-codes';
import { createRedisLimiters } from '../redis-limiter';
import { stderrProgress } from '../backfill/progress';
import { runBackfill, type BackfillSummary } from '../backfill/run';

export interface BackfillCommandOptions {
  tenant: string;
  secrets?: string;
  passType?: string;
  dryRun?: boolean;
  resume?: boolean;
  checkpoint?: string;
  pageSize: string;
  json?: boolean;
  redis?: string;
}

export function formatBackfillSummary(s: BackfillSummary): string {
  const c = s.counts;
  const repaired = s.dryRun ? 'would repair' : 'repaired';
  const lines = [
    `backfill ${s.tenantId}${s.dryRun ? ' (dry run: nothing written)' : ''}${s.resumedAtPage !== null ? `, resumed at page ${s.resumedAtPage}` : ''}`,
    `  pages ${s.pages}, passes ${s.passes}, customers ${s.customers}, passes without a join key ${s.noJoinKey}`,
    `  records checked ${c.checked}, ${repaired} ${c.repaired}, unchanged ${c.unchanged}, failed ${c.failed}`,
  ];
  for (const d of s.skippedDestinations) lines.push(`  skipped ${d.destination}: ${d.reason}`);
  for (const f of s.failures) lines.push(`  failed ${f.key} @${f.destination}: ${f.kind}: ${f.reason}`);
  if (s.interrupted)
    lines.push(`  stopped at ${s.interrupted}`, '  run again with --resume to continue there');
  return lines.join('\n');
}

export async function backfillCommand(opts: BackfillCommandOptions): Promise<number> {
  const pageSize = Number(opts.pageSize);
  if (!(pageSize >= 1 && pageSize <= 1000 && Math.floor(pageSize) === pageSize))
    throw new UsageError('--page-size must be a whole number from 1 to 1000');
  const config = loadTenantFile(opts.tenant);
  const secrets = readSecretsFile(opts.secrets);
  const redis = opts.redis ? createRedisLimiters(opts.redis) : null;
  try {
    if (redis) await redis.ready();
    const summary = await runBackfill({
      config,
      secrets,
      pageSize,
      passType: opts.passType,
      dryRun: opts.dryRun,
      resume: opts.resume,
      checkpointFile: opts.checkpoint || `backfill-${config.tenantId}.checkpoint.json`,
      progress: stderrProgress(!opts.json),
      out: opts.json ? undefined : (line) => process.stdout.write(`${line}\n`),
      limiterFactory: redis ? redis.factory : undefined,
    });
    process.stdout.write(`${opts.json ? JSON.stringify(summary) : formatBackfillSummary(summary)}\n`);
    return summary.interrupted || summary.counts.failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
  } finally {
    if (redis) await redis.close();
  }
}
