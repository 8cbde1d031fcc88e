/**
 * `twc-connector serve`: the signed-webhook receiver on the same pipeline as the uploaded script
 * (cli/serve/server.ts). Logs to stderr as JSON lines; SIGTERM/SIGINT stop accepting, drain the
 * work in flight, then exit 0. `--redis URL` shares the destinations' rate limits with other replicas.
 */
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { loadTenantFile } from '../config/load';
import { readSecretsFile } from '../files';
import { createNodeHost } from '../node-host';
import { createRedisLimiters } from '../redis-limiter';
import { EXIT_OK, UsageError } from '../exit-codes';
import { DEFAULT_BODY_LIMIT, startWebhookServer } from '../serve/server';
import { missingSecrets } from '../serve/secret-check';

export interface ServeCommandOptions {
  tenant: string;
  secrets?: string;
  port: string;
  host: string;
  redis?: string;
  bodyLimit?: string;
}

function whole(text: string | undefined, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!(Math.floor(n) === n && n >= min && n <= max))
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export async function serveCommand(opts: ServeCommandOptions): Promise<number> {
  const port = whole(opts.port, '--port', 0, 65535);
  const bodyLimit = opts.bodyLimit
    ? whole(opts.bodyLimit, '--body-limit', 1024, 16 * 1024 * 1024)
    : DEFAULT_BODY_LIMIT;
  const config = loadTenantFile(opts.tenant);
  const secrets = readSecretsFile(opts.secrets);
  const name = config.platform && config.platform.webhookSecret;
  if (!name)
    throw new UsageError(
      'the tenant file has no platform.webhookSecret (the NAME of the webhook signatureSecret)',
    );
  const missing = missingSecrets(config, secrets);
  if (missing.length > 0)
    throw new UsageError(
      `${missing.map((s) => `secret "${s.name}" (${s.path})`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the secrets file: add ${missing.length > 1 ? 'them' : 'it'}, or every delivery to that destination would be dropped`,
    );
  const secret = secrets[name] as string;
  const redis = opts.redis ? createRedisLimiters(opts.redis) : null;
  try {
    if (redis) await redis.ready();
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const host = createNodeHost({ secrets, log: (r) => log(JSON.stringify(r)) });
    const connector = createConnector({
      config,
      host,
      definitions: destinationDefinitions,
      limiterFactory: redis ? redis.factory : undefined,
    });
    const server = await startWebhookServer({ connector, secret, bodyLimit }, port, opts.host);
    log(JSON.stringify({ level: 'info', msg: 'listening', url: server.url, tenantId: config.tenantId }));
    process.stdout.write(`${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        log(JSON.stringify({ level: 'info', msg: 'shutting down: draining', signal }));
        void server.shutdown().then(resolve, resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    log(JSON.stringify({ level: 'info', msg: 'stopped', counters: server.counters }));
  } finally {
    if (redis) await redis.close();
  }
  return EXIT_OK;
}
