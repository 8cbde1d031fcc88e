/**
 * Structured logging with secret redaction. Every secret value the connector reads is registered
 * here first, and every string that reaches the sink is scrubbed of them, wherever it came from
 * (an error message, a CRM's echo of a header, a URL).
 */
import type { LogLevel, LogRecord } from './host';

const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const REDACTED = '[redacted]';
/** Short values would scrub innocent text; real credentials are longer. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly secrets: string[] = [];

  add(value: string): void {
    if (value.length >= MIN_SECRET_LENGTH && this.secrets.indexOf(value) < 0) {
      this.secrets.push(value);
      // Longest first, so a secret containing another is scrubbed whole.
      this.secrets.sort((a, b) => b.length - a.length);
    }
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) {
      if (out.indexOf(secret) >= 0) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 6) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      out[key] = this.value((value as Record<string, unknown>)[key], depth + 1);
    return out;
  }
}

export interface Logger {
  /**
   * Registers a credential the connector derived (a Basic header's base64, an access or refresh
   * token, a signed assertion): from now on no log line shows it, wherever it comes from.
   */
  addSecret(value: string): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(sink: (record: LogRecord) => void, level: LogLevel, redactor: Redactor): Logger {
  const write = (at: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[at] > LEVELS[level]) return;
    const record = Object.assign({ level: at, msg }, fields || {}) as LogRecord;
    try {
      sink(redactor.value(record) as LogRecord);
    } catch {
      // A failing log sink must never fail a delivery.
    }
  };
  return {
    addSecret: (value) => redactor.add(value),
    error: (msg, fields) => write('error', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    debug: (msg, fields) => write('debug', msg, fields),
  };
}

/** Reads secrets through the host and registers each value for redaction before anyone sees it. */
export function redactingSecrets(
  getSecret: (name: string) => Promise<string>,
  redactor: Redactor,
): (name: string) => Promise<string> {
  return (name: string) =>
    getSecret(name).then((value) => {
      redactor.add(value);
      return value;
    });
}
