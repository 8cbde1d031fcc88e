/**
 * The loopback simulator core: a real node:http server on 127.0.0.1 (free port) that records every
 * request, then passes it through a rate limiter (the vendor's gateway), a fault injector (a flaky
 * backend or network) and finally the routes (the vendor's API). Vendor simulators are built by
 * giving it routes and a rate-limit rule that answers in the vendor's own shape.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector, faultLabel, statusFaultResponse, type FaultPlan } from './faults';
import { RateLimiter, type RateLimitRule, type RateLimitStats } from './rate-limit';
import { findRoute } from './routes';
import type { Clock, RecordedRequest, Route, SimRequest, SimResponse } from './types';

export interface SimServerOptions {
  routes: Route[];
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
  /** Shown in simulator errors, so a test with several CRMs says which one failed. */
  name?: string;
}

/**
 * A test's hold on requests, run just before the routes: the request goes on to the routes once the
 * returned promise settles (null: at once), or is answered with what it resolves to, if anything
 * (a vendor's refusal of one particular request). Tests use it as a barrier to force an
 * interleaving of concurrent clients (hold both reads until both arrived) without sleeping.
 */
export type SimGate = (req: RecordedRequest) => Promise<SimResponse | void> | null;

export interface SimStats extends RateLimitStats {
  /** Most requests the simulator was handling at once (arrived and not yet answered or dropped). */
  maxConcurrent: number;
}

export interface SimServer {
  name: string;
  url: string;
  port: number;
  /** Every request in arrival order, including refused and faulted ones. */
  requests: RecordedRequest[];
  readonly stats: SimStats;
  setRateLimit(rule: RateLimitRule | RateLimitRule[] | null): void;
  setFaults(plan: FaultPlan | null): void;
  setGate(gate: SimGate | null): void;
  close(): Promise<void>;
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const name = options.name ?? 'sim';
  const clock = options.clock ?? Date.now;
  const limiter = new RateLimiter();
  limiter.set(options.rateLimit);
  const faults = new FaultInjector();
  faults.set(options.faults);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const pendingDelays = new Set<() => void>();
  let closed = false;
  let gate: SimGate | null = null;
  let inFlight = 0;
  let maxConcurrent = 0;

  /** Resolves true after ms, or false at once if the server closes first (its socket is gone). */
  function delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        pendingDelays.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        pendingDelays.delete(cancel);
        resolve(true);
      }, ms);
      pendingDelays.add(cancel);
    });
  }

  async function answerFromRoutes(req: SimRequest): Promise<SimResponse> {
    const found = findRoute(options.routes, req.method, req.path);
    if (found.kind === 'bad-encoding') return { status: 400, json: { error: 'bad_path_encoding' } };
    if (found.kind === 'wrong-method') {
      return {
        status: 405,
        headers: { allow: found.allowed.join(', ') },
        json: { error: 'method_not_allowed' },
      };
    }
    if (found.kind === 'none') return { status: 404, json: { error: 'no_route', path: req.path } };
    try {
      return await found.route.handle(req, found.params);
    } catch (error) {
      // A bug in a simulator must show up in the test as a 500 with the reason, not as a hang.
      return { status: 500, json: { error: 'simulator_error', simulator: name, message: String(error) } };
    }
  }

  async function handle(incoming: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = clock();
    const body = await readBody(incoming);
    const record: RecordedRequest = {
      ...toSimRequest(incoming, body, at),
      seq: requests.length,
      status: null,
      refused: false,
      fault: null,
      aborted: false,
    };
    requests.push(record);
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    res.on('close', () => {
      inFlight--;
      // An injected reset is the simulator's doing; any other early close (client timeout, close()) is an abort.
      if (!res.writableFinished && record.fault !== 'reset') record.aborted = true;
    });
    const send = (response: SimResponse) => {
      if (res.destroyed) {
        record.aborted = true;
        return;
      }
      record.status = response.status;
      writeResponse(res, response);
    };

    const limit = limiter.check(record, at);
    if (limit.refusal) {
      record.refused = true;
      return send(limit.refusal);
    }
    const fault = faults.pick(record);
    if (fault) record.fault = faultLabel(fault);
    if (fault?.kind === 'reset') return resetSocket(incoming.socket);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') return send(statusFaultResponse(fault));
    if (fault?.kind === 'empty') return send({ status: fault.status, body: '' });
    if (fault?.kind === 'delay' && !(await delay(fault.ms))) return;
    const held = gate ? gate(record) : null;
    const answer = held ? await held : undefined;
    if (answer) return send(answer);
    const response = await answerFromRoutes(record);
    send({ ...response, headers: { ...limit.headers, ...response.headers } });
  }

  const server = http.createServer((incoming, res) => {
    handle(incoming, res).catch((error: unknown) => {
      // The client vanished mid-body or a rule threw: answer if still possible, never crash the test run.
      if (!res.headersSent && !res.destroyed) {
        writeResponse(res, {
          status: 500,
          json: { error: 'simulator_error', simulator: name, message: String(error) },
        });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get stats() {
      return { ...limiter.stats, maxConcurrent };
    },
    setRateLimit: (rule) => limiter.set(rule),
    setFaults: (plan) => faults.set(plan),
    setGate: (next) => {
      gate = next;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const cancel of [...pendingDelays]) cancel();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() waits for keep-alive and hanging connections; destroying them makes it return now.
      for (const socket of sockets) socket.destroy();
      return done;
    },
  };
}

function readBody(incoming: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function toSimRequest(incoming: http.IncomingMessage, body: string, at: number): SimRequest {
  const url = incoming.url ?? '/';
  const parsed = new URL(url, 'http://sim.invalid');
  const query: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) if (!(key in query)) query[key] = value;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  let json: unknown;
  if (body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: parsed.pathname,
    url,
    query,
    headers,
    body,
    json,
    at,
  };
}

function writeResponse(res: http.ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = {};
  let payload = response.body ?? '';
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  for (const [key, value] of Object.entries(response.headers ?? {})) headers[key.toLowerCase()] = value;
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** A TCP RST (ECONNRESET on the client) where Node supports it, else a plain destroy (socket hang up). */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
