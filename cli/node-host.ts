/**
 * A Host for the Node tools (serve, backfill, test-auth, setup-crm) and in-process tests: Node's
 * fetch and timers, secrets from a JSON file's object, log records to a sink of the caller's choice.
 */
import { createHttpTransport, type FetchLike } from '../connector/platform/http';
import type { Host, LogRecord, Timers } from '../connector/platform/host';

export const nodeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface NodeHostOptions {
  secrets: Record<string, string>;
  log?: (record: LogRecord) => void;
  now?: () => number;
}

export function secretGetter(secrets: Record<string, string>): (name: string) => Promise<string> {
  return (name: string) =>
    Object.prototype.hasOwnProperty.call(secrets, name) && typeof secrets[name] === 'string'
      ? Promise.resolve(secrets[name] as string)
      : Promise.reject(
          new Error(`secret "${name}" is not set: add it to the secrets file (or the tenant's secrets)`),
        );
}

export function createNodeHost(options: NodeHostOptions): Host {
  return {
    getSecret: secretGetter(options.secrets),
    http: createHttpTransport(fetch as unknown as FetchLike, nodeTimers),
    timers: nodeTimers,
    now: options.now || Date.now,
    log: options.log || ((record) => process.stderr.write(`${JSON.stringify(record)}\n`)),
    capabilities: { fetch: true, timers: true, console: true },
  };
}
