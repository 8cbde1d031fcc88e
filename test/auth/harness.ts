/**
 * Test wiring for connector/auth: a Node HttpTransport (fetch), an in-memory secret store that
 * counts reads, and a movable clock. Real parts: the transport makes real HTTP requests.
 */
import type { HttpRequest, HttpResponse, HttpTransport } from '../../connector/platform/host';
import type { AuthDeps } from '../../connector/auth';

export const nodeTransport: HttpTransport = async (request: HttpRequest): Promise<HttpResponse> => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: await response.text() };
};

export interface Clock {
  now(): number;
  advance(ms: number): void;
}

/** A clock that only moves when told to (starts at a fixed instant unless given one). */
export function manualClock(startMs = Date.UTC(2026, 10, 27, 10, 0, 0)): Clock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

export function secretStore(values: Record<string, string>): AuthDeps['getSecret'] {
  return async (name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no secret ${name}`);
    return value;
  };
}

export function deps(
  secrets: Record<string, string>,
  clock: Clock,
  http: HttpTransport = nodeTransport,
): AuthDeps & { clock: Clock; registered: string[] } {
  const registered: string[] = [];
  return {
    getSecret: secretStore(secrets),
    http,
    now: clock.now,
    destination: 'crm-test',
    timeoutMs: 5000,
    registerSecret: (value) => void registered.push(value),
    clock,
    registered,
  };
}

/** Runs fn, expecting a rejection; returns the error. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, got a value');
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
