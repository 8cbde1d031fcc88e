/**
 * The platform adapter for the upload bundle: builds the connector's Host from what the engine's
 * global scope lends. This is the ONE file to adapt when a host lends HTTP, timers or logging
 * under other names (NiL.JS itself has none of them; the platform's offer is not published).
 */
import type { Host, HostCapabilities, LogRecord } from './host';
import { awaitHost, connectorTimers, timerWaitsAreReliable } from './engine/index';
import { createHttpTransport, type FetchLike } from './http';

export type PlatformGetSecret = (name: string) => unknown;

interface ConsoleLike {
  error?: (line: string) => void;
  warn?: (line: string) => void;
  info?: (line: string) => void;
  log?: (line: string) => void;
}

/** Thrown at registration when the host lends nothing to make HTTP requests with. */
export const NO_HTTP_MESSAGE =
  'twc connector: the script engine lends no HTTP means (no global `fetch`). Adapt ' +
  'connector/platform/globals.ts to the HTTP function this host provides, then rebuild.';

function lentConsole(): ConsoleLike | undefined {
  return typeof console === 'object' && console ? (console as ConsoleLike) : undefined;
}

/** Error for a secret that could not be read; never carries the platform's message (it may echo values). */
function secretError(name: string): Error & { code: string } {
  return Object.assign(new Error(`Secret "${name}" is not available`), { code: 'ESECRET' });
}

const REDACTED = '[redacted]';

/**
 * Wraps the platform's getSecret: a synchronous throw, a rejection or an empty value all become a
 * rejection. Values handed out are remembered so the log sink can redact them as a last line of
 * defence (the connector redacts before logging too).
 */
function secretReader(platform: PlatformGetSecret, seen: string[]): Host['getSecret'] {
  return (name) =>
    new Promise<string>((resolve, reject) => {
      let pending: unknown;
      try {
        pending = platform(name);
      } catch {
        reject(secretError(name));
        return;
      }
      awaitHost(pending, Promise).then(
        (value) => {
          if (typeof value !== 'string' || value === '') {
            reject(secretError(name));
            return;
          }
          if (value.length >= 4 && seen.indexOf(value) < 0) seen.push(value);
          resolve(value);
        },
        () => reject(secretError(name)),
      );
    });
}

function serialize(record: LogRecord, seen: string[]): string {
  let line: string;
  try {
    line = JSON.stringify(record, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : value,
    );
  } catch {
    line = JSON.stringify({ level: record.level, msg: record.msg, note: 'unserializable fields dropped' });
  }
  for (const secret of seen) line = line.split(secret).join(REDACTED);
  return line;
}

function logSink(con: ConsoleLike | undefined, seen: string[]): Host['log'] {
  if (!con) return () => undefined;
  return (record) => {
    const line = serialize(record, seen);
    const write =
      record.level === 'error' ? con.error : record.level === 'warn' ? con.warn : (con.info ?? con.log);
    const fallback = con.log;
    if (typeof write === 'function') write.call(con, line);
    else if (typeof fallback === 'function') fallback.call(con, line);
  };
}

export function hostFromGlobals(getSecret: PlatformGetSecret): Host {
  const fetchFn = typeof fetch === 'function' ? (fetch as unknown as FetchLike) : undefined;
  const lentTimers = connectorTimers();
  const timers = lentTimers
    ? Object.assign({}, lentTimers, { waitsAreReliable: timerWaitsAreReliable })
    : null;
  const con = lentConsole();
  const capabilities: HostCapabilities = { fetch: !!fetchFn, timers: !!timers, console: !!con };
  if (!fetchFn) throw new Error(NO_HTTP_MESSAGE);

  const seen: string[] = [];
  const log = logSink(con, seen);
  log({
    level: 'info',
    msg: timers
      ? 'host capabilities detected'
      : 'host capabilities detected: no timers, so throttled or failed calls reject as transient at once',
    capabilities,
  });
  return {
    getSecret: secretReader(getSecret, seen),
    http: createHttpTransport(fetchFn, timers),
    timers,
    now: () => Date.now(),
    log,
    capabilities,
  };
}
