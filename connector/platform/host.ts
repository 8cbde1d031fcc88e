/**
 * What the connector needs from wherever it runs. The platform adapter builds one from the
 * engine's globals (upload bundle); Node tools and tests build one from Node. Nothing outside
 * connector/platform reads a global: everything comes through this object.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Already serialized body, when there is one. */
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body text ('' when empty). */
  body: string;
}

/**
 * The code an HttpTransport rejects with when the server answered with a redirect (or the host's
 * fetch followed one): a connector never follows a redirect, its requests carry credentials.
 */
export const REDIRECT_CODE = 'EREDIRECT';

/** One HTTP exchange. Rejects only when no response came (network error, timeout, refused redirect). */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * False where a hook cannot await a timer (NiL.JS's 2021 build: its timer callbacks run, but a
   * hook waiting for one resumes at once): a batch window is then not held open. Absent: reliable.
   */
  waitsAreReliable?(): boolean;
}

/** Whether a hook can await a wait on these timers: timers lent, and their waits really wait. */
export function timersCanWait(timers: Timers | null): timers is Timers {
  return !!timers && (!timers.waitsAreReliable || timers.waitsAreReliable());
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One structured log line. Secrets are redacted before it reaches the sink. */
export interface LogRecord {
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

export interface HostCapabilities {
  fetch: boolean;
  timers: boolean;
  console: boolean;
}

export interface Host {
  getSecret(name: string): Promise<string>;
  http: HttpTransport;
  /** null when the host lends no timers: waits are then impossible and fail fast as transient. */
  timers: Timers | null;
  now(): number;
  log(record: LogRecord): void;
  capabilities: HostCapabilities;
}
