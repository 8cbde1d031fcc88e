/**
 * demo (`npm start`): builds tenants/example.json, starts the built-in CRM simulator on a free
 * loopback port, replays the two recordings through the BUILT bundle, prints the summary and the
 * CRM's final table, and checks it against their known truth. The platform does not say what its
 * registration counts cover, so one recording counts per wallet (test/replay/sample.jsonl) and one
 * per pass (sample.per-pass.jsonl, customers `pp-...`); the default reading must get both right.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { buildTenant, describeBuild, ROOT } from './build';
import { replayBundle } from './replay';
import { loadTenantFile } from '../config/load';
import { readReplayFile } from '../replay/replay-file';
import { formatSummary } from '../replay/run-replay';
import { startHttpCrmSimulator } from '../../test/sim/http-crm';
import { formatTable } from '../../test/sim/table';
import { readJsonFile } from '../files';
import { EXIT_OK, EXIT_SOME_FAILED } from '../exit-codes';

export interface Recording {
  replayFile: string;
  expectedFile: string;
}

export const DEMO_RECORDINGS: Recording[] = [
  { replayFile: 'test/replay/sample.jsonl', expectedFile: 'test/replay/sample.expected.json' },
  {
    replayFile: 'test/replay/sample.per-pass.jsonl',
    expectedFile: 'test/replay/sample.per-pass.expected.json',
  },
];

export interface DemoOptions {
  tenantFile?: string;
  /** Replayed one after the other into the same CRM; their customers must differ. */
  recordings?: Recording[];
  out?: (text: string) => void;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const out = options.out || ((text: string) => process.stdout.write(`${text}\n`));
  const tenant = loadTenantFile(options.tenantFile || join(ROOT, 'tenants/example.json'));
  const recordings = options.recordings || DEMO_RECORDINGS;
  let calls: ReturnType<typeof readReplayFile> = [];
  const expected: Record<string, { walletStatus: string }> = {};
  for (const recording of recordings) {
    calls = calls.concat(readReplayFile(join(ROOT, recording.replayFile)));
    Object.assign(expected, readJsonFile(join(ROOT, recording.expectedFile), 'expected state'));
  }
  // A fresh key each run: the demo's secret never exists anywhere but in memory.
  const apiKey = randomBytes(18).toString('hex');
  const sim = await startHttpCrmSimulator({ apiKey, name: 'crm-sim' });
  try {
    const demoTenant = Object.assign({}, tenant, {
      destinations: tenant.destinations.map((d) => Object.assign({}, d, { baseUrl: sim.server.url })),
    });
    const built = await buildTenant(demoTenant, join(ROOT, 'dist', '.demo'));
    out(`built ${describeBuild(built)}`);
    const secretName =
      (demoTenant.destinations[0] as { auth: { secret?: string } }).auth.secret || 'crm-sim-api-key';
    const errors: string[] = [];
    const summary = await replayBundle({
      bundleFile: built.file,
      tenant: demoTenant,
      secrets: { [secretName]: apiKey },
      calls,
      concurrency: 16,
      progress: true,
      logSink: (line) => {
        if (line.indexOf('"level":"error"') >= 0) errors.push(line);
      },
    });
    out(
      `replayed ${calls.length} recorded hook calls (${recordings.map((r) => r.replayFile).join(', ')}) through the built bundle against the CRM simulator at ${sim.server.url}`,
    );
    out(formatSummary(summary));
    for (const line of errors) out(`  log: ${line}`);
    const rows = sim.table();
    out('');
    out(formatTable(rows, ['key', 'walletStatus', 'appleWalletInstalledAt', 'googleWalletInstalledAt']));
    const wrong = Object.keys(expected).filter((key) => {
      const row = rows.find((r) => r.key === key);
      const status = row ? row.walletStatus : 'none';
      return status !== (expected[key] as { walletStatus: string }).walletStatus;
    });
    out('');
    out(
      wrong.length === 0
        ? `final state matches the truth for all ${Object.keys(expected).length} customers`
        : `final state DIFFERS from the truth for ${wrong.length} customers: ${wrong.slice(0, 10).join(', ')}`,
    );
    return wrong.length === 0 && summary.rejected === 0 ? EXIT_OK : EXIT_SOME_FAILED;
  } finally {
    await sim.server.close();
  }
}
