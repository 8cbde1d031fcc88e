/**
 * twc-connector: the command line (names are a contract, docs/architecture.md §10). Results go to stdout
 * (`--json` for machines), progress and logs to stderr. Exit codes: 0 success, 1 some events
 * failed, 2 bad usage or configuration.
 */
import { Command, CommanderError } from 'commander';
import { buildTenantFile, describeBuild, tenantFiles } from './commands/build';
import { runDemo } from './commands/demo';
import { runEngineCheck } from './commands/engine-check';
import { formatToolResults, setupCrm, testAuth } from './commands/crm-tools';
import { backfillCommand } from './commands/backfill';
import { serveCommand } from './commands/serve';
import { insightsCommand } from './commands/insights';
import { replayBundle } from './commands/replay';
import { loadTenantFile } from './config/load';
import { formatIssues } from './config/issues';
import { readSecretsFile } from './files';
import { readReplayFile } from './replay/replay-file';
import { formatSummary } from './replay/run-replay';
import { EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, UsageError } from './exit-codes';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function isConfigError(
  error: unknown,
): error is Error & { issues: Array<{ path: string; message: string; fix: string }> } {
  return error instanceof Error && Array.isArray((error as { issues?: unknown }).issues);
}

export async function main(argv: string[]): Promise<number> {
  let exit = EXIT_OK;
  const program = new Command('twc-connector')
    .description(
      'Wallet pass install status -> CRM: build, validate and replay The Wallet Crew custom connector scripts.',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  /** The action of test-auth and setup-crm: runs the tool, prints its results, fails if one did not succeed. */
  const crmToolAction =
    (tool: typeof testAuth | typeof setupCrm) =>
    async (opts: { tenant: string; secrets?: string; destination?: string; json?: boolean }) => {
      const results = await tool(
        loadTenantFile(opts.tenant),
        readSecretsFile(opts.secrets),
        opts.destination,
      );
      print(opts.json ? JSON.stringify(results) : formatToolResults(results));
      if (results.some((r) => !r.ok)) exit = EXIT_SOME_FAILED;
    };

  program
    .command('build')
    .description('validate a tenant file, then emit dist/<tenantId>/<script>.js (+ source map) for upload')
    .option('--tenant <file>', 'tenant configuration file')
    .option('--all', 'build every tenants/*.json')
    .option('--json', 'machine-readable output')
    .option('--analyze', 'also report the size by module (esbuild metafile)')
    .action(async (opts: { tenant?: string; all?: boolean; json?: boolean; analyze?: boolean }) => {
      const files = opts.all ? tenantFiles() : opts.tenant ? [opts.tenant] : [];
      if (files.length === 0) throw new UsageError('build needs --tenant FILE or --all');
      const results = [];
      for (const file of files) results.push(await buildTenantFile(file, opts.analyze === true));
      if (opts.json)
        print(
          JSON.stringify(
            results.map((r) => ({
              tenantId: r.tenant.tenantId,
              file: r.file,
              bytes: r.bytes,
              gzipBytes: r.gzipBytes,
              sizes: r.sizes,
            })),
          ),
        );
      else for (const r of results) print(describeBuild(r));
    });

  program
    .command('validate')
    .description('validate a tenant configuration; every error names its JSON path and the fix')
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--json', 'machine-readable output')
    .action((opts: { tenant: string; json?: boolean }) => {
      const config = loadTenantFile(opts.tenant);
      print(
        opts.json
          ? JSON.stringify({ ok: true, tenantId: config.tenantId })
          : `${opts.tenant}: valid (tenant ${config.tenantId}, ${config.destinations.length} destination(s))`,
      );
    });

  program
    .command('replay')
    .description('replay recorded hook calls (JSON Lines) through the BUILT bundle for a tenant')
    .argument('<events>', 'replay file (.jsonl)')
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--secrets <file>', 'JSON object of secret name -> value')
    .option('--concurrency <n>', 'calls in flight at once', '16')
    .option('--json', 'machine-readable summary')
    .action(
      async (
        events: string,
        opts: { tenant: string; secrets?: string; concurrency: string; json?: boolean },
      ) => {
        const concurrency = Number(opts.concurrency);
        if (!(concurrency >= 1 && Math.floor(concurrency) === concurrency))
          throw new UsageError('--concurrency must be a whole number >= 1');
        const calls = readReplayFile(events);
        const secrets = readSecretsFile(opts.secrets);
        const built = await buildTenantFile(opts.tenant);
        process.stderr.write(`built ${describeBuild(built)}\n`);
        const summary = await replayBundle({
          bundleFile: built.file,
          tenant: built.tenant,
          secrets,
          calls,
          concurrency,
          progress: !opts.json,
          logSink: (line) => process.stderr.write(`${line}\n`),
        });
        print(opts.json ? JSON.stringify(summary) : formatSummary(summary));
        if (summary.rejected > 0) exit = EXIT_SOME_FAILED;
      },
    );

  program
    .command('test-auth')
    .description(
      'one cheap authenticated call per destination: says clearly what is wrong (bad key, missing scope, unknown property)',
    )
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .requiredOption('--secrets <file>', 'JSON object of secret name -> value')
    .option('--destination <id>', 'only this destination')
    .option('--json', 'machine-readable output')
    .action(crmToolAction(testAuth));

  program
    .command('setup-crm')
    .description(
      'create the CRM properties the connector writes where the API allows (HubSpot); else print the exact steps',
    )
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--secrets <file>', 'JSON object of secret name -> value (needed where the API creates fields)')
    .option('--destination <id>', 'only this destination')
    .option('--json', 'machine-readable output')
    .action(crmToolAction(setupCrm));

  program
    .command('demo')
    .description(
      'build tenants/example.json, replay test/replay/sample.jsonl and sample.per-pass.jsonl against the built-in CRM simulator, print the final table',
    )
    .action(async () => {
      exit = await runDemo();
    });

  program
    .command('engine-check')
    .description(
      'run the built bundle on NiL.JS itself (a NiL.JS.dll you built): replay against the CRM simulator, table against the truth',
    )
    .requiredOption('--engine <dll...>', 'path of a NiL.JS.dll (repeat for several builds)')
    .option('--tenant <file>', 'tenant configuration file', 'tenants/example.json')
    .option('--replay <calls.jsonl=expected.json...>', 'replay files with their truth (default: the sample)')
    .option('--in-flight <n>', 'hook calls in flight', '16')
    .option(
      '--threads <mode>',
      'single (one thread runs all script code) or pool (continuations on the thread pool)',
      'single',
    )
    .option(
      '--instances <mode>',
      'shared (one bundle instance for every call) or per-call (a fresh instance per hook call)',
      'shared',
    )
    .option('--redeliver <rounds>', 'deliver rejected calls again, this many rounds', '3')
    .option(
      '--redeliver-delay-ms <ms>',
      'pause before each new delivery round (the platform delivers again later, not at once)',
      '2000',
    )
    .action(
      async (opts: {
        engine: string[];
        tenant: string;
        replay?: string[];
        inFlight: string;
        threads: string;
        instances: string;
        redeliver: string;
        redeliverDelayMs: string;
      }) => {
        const threads = opts.threads === 'pool' ? 'pool' : 'single';
        if (opts.instances !== 'shared' && opts.instances !== 'per-call')
          throw new UsageError(`--instances ${opts.instances}: write shared or per-call`);
        const result = await runEngineCheck({
          engines: opts.engine,
          tenantFile: opts.tenant,
          replays: opts.replay?.map((pair) => {
            const [calls, expected] = pair.split('=');
            if (!calls || !expected)
              throw new UsageError(`--replay ${pair}: write it as calls.jsonl=expected.json`);
            return { calls, expected };
          }),
          inFlight: Number(opts.inFlight),
          threads,
          instances: opts.instances,
          redeliver: Number(opts.redeliver),
          redeliverDelayMs: Number(opts.redeliverDelayMs),
        });
        exit = result.code;
      },
    );

  program
    .command('backfill')
    .description('rebuild CRM truth from the Pass API: read every pass, write only the differences')
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--secrets <file>', 'JSON object of secret name -> value')
    .option('--pass-type <type>', 'only passes of this type (destinations routing other types are skipped)')
    .option('--dry-run', 'print the diff per customer, write nothing')
    .option('--resume', 'continue an interrupted run from its checkpoint')
    .option('--checkpoint <file>', 'checkpoint file (default backfill-<tenantId>.checkpoint.json)')
    .option('--page-size <n>', 'passes per Pass API page', '100')
    .option('--redis <url>', 'share destination rate limits with other processes through Redis')
    .option('--json', 'machine-readable summary')
    .action(async (opts: Parameters<typeof backfillCommand>[0]) => {
      exit = await backfillCommand(opts);
    });

  program
    .command('serve')
    .description('signed-webhook receiver (Pass:Installed / Pass:Uninstalled) on the same pipeline')
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--secrets <file>', 'JSON object of secret name -> value')
    .requiredOption('--port <n>', 'port to listen on (0: any free port, printed on stdout)')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--body-limit <bytes>', 'largest accepted body (413 above)')
    .option('--redis <url>', 'share destination rate limits with other replicas through Redis')
    .action(async (opts: Parameters<typeof serveCommand>[0]) => {
      exit = await serveCommand(opts);
    });

  program
    .command('insights')
    .description(
      'daily installs and uninstalls per wallet from the Insights API: table, SVG chart, CRM drift',
    )
    .requiredOption('--tenant <file>', 'tenant configuration file')
    .option('--secrets <file>', 'JSON object of secret name -> value')
    .option('--days <n>', 'how many days back', '30')
    .option('--out <file.svg>', 'write an SVG line chart')
    .option('--compare-crm', 'compare with the CRM records (and the Pass API) to spot drift')
    .option('--event-column <name>', 'Events column holding the event name (eventType or Name)')
    .option('--wallet-expr <kql>', 'KQL expression giving the wallet of an event')
    .option('--json', 'machine-readable output')
    .action(async (opts: Parameters<typeof insightsCommand>[0]) => {
      exit = await insightsCommand(opts);
    });

  try {
    await program.parseAsync(argv);
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (isConfigError(error)) {
      process.stderr.write(`${error.message.split('\n')[0]}\n${formatIssues(error.issues)}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
