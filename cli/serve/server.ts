/**
 * The signed-webhook receiver: node:http in front of connector.handle. Each delivery is checked in
 * this order: size (413), signature over the raw bytes (401), JSON (400), event type (202 when not
 * ours), then handed to the pipeline. The answer follows docs/architecture.md §5's outcome policy: 200 when written
 * or permanently unprocessable (with a note), 503 only for transient failures, so the platform
 * delivers again. Nothing in an answer or a log line carries the secret or the body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusalsOf, type Connector, type HookOutcome } from '../../connector/runtime';
import { mapDelivery } from './payload';
import { verifySignature } from './signature';

export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** The platform wants an answer within 30 s; a slower delivery is answered 503 and keeps running. */
export const DEFAULT_ANSWER_WITHIN_MS = 20000;
/**
 * Bounds on what one client can hold: a whole request (headers and body) must arrive within 30 s,
 * its headers within 10 s, and at most 256 connections are open at once. A webhook body is small
 * (256 KB at most); a slower sender is not the platform, and must not hold a slot, or a shutdown.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10000;
export const DEFAULT_MAX_CONNECTIONS = 256;

export interface ServeCounters {
  received: number;
  written: number;
  permanent: number;
  transient: number;
  ignored: number;
  unauthorized: number;
  tooLarge: number;
  badRequest: number;
  inFlight: number;
}

export interface WebhookServerOptions {
  connector: Connector;
  secret: string;
  bodyLimit?: number;
  answerWithinMs?: number;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxConnections?: number;
}

export interface WebhookServer {
  url: string;
  port: number;
  counters: ServeCounters;
  /** Stops accepting, answers what is in flight, waits for the pipeline to drain. */
  shutdown(): Promise<void>;
}

type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    // A connection closed mid-body (a timeout, or shutdown cutting a slow sender) ends the wait.
    req.once('close', () => {
      if (!req.complete) reject(new Error('the connection closed before the body was complete'));
    });
    const declared = Number(req.headers['content-length']);
    if (isFinite(declared) && declared > limit) return resolve('too-large');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startWebhookServer(
  options: WebhookServerOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<WebhookServer> {
  const { connector } = options;
  const limit = options.bodyLimit || DEFAULT_BODY_LIMIT;
  const within = options.answerWithinMs || DEFAULT_ANSWER_WITHIN_MS;
  const counters: ServeCounters = {
    received: 0,
    written: 0,
    permanent: 0,
    transient: 0,
    ignored: 0,
    unauthorized: 0,
    tooLarge: 0,
    badRequest: 0,
    inFlight: 0,
  };
  const started = Date.now();
  const work = new Set<Promise<unknown>>();
  /** Requests whose body is still arriving: shutdown cuts them rather than wait for a slow sender. */
  const receiving = new Set<http.IncomingMessage>();
  let closing = false;

  async function deliver(hook: Parameters<Connector['handle']>[0], args: unknown[]): Promise<Answer> {
    // The connector's own outcome says what happened (written, or refused with its reasons);
    // a rejection is a transient failure.
    const handled: Promise<HookOutcome | 'transient'> = connector
      .handle(hook, args)
      .then(undefined, () => 'transient' as const);
    work.add(handled);
    void handled.finally(() => work.delete(handled));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), within)));
    const outcome = await Promise.race([handled, late]);
    clearTimeout(timer);
    if (outcome !== 'transient' && outcome !== 'late') {
      const refusals = refusalsOf(outcome);
      if (refusals.length === 0) {
        counters.written++;
        return { status: 200, body: { ok: true } };
      }
      counters.permanent++;
      const reasons = refusals.map((r) => r.reason).join('; ');
      return { status: 200, body: { ok: true, note: `not processed, permanently: ${reasons}` } };
    }
    counters.transient++;
    const reason = outcome === 'late' ? 'still being processed' : 'a destination failed transiently';
    return {
      status: 503,
      headers: { 'retry-after': '30' },
      body: { ok: false, error: `${reason}: deliver again` },
    };
  }

  async function answer(req: http.IncomingMessage): Promise<Answer> {
    const path = (req.url || '/').split('?')[0];
    if (req.method === 'GET' && path === '/health')
      return {
        status: closing ? 503 : 200,
        body: { ok: !closing, uptimeMs: Date.now() - started, counters, destinations: connector.metrics() },
      };
    if (req.method !== 'POST')
      return { status: 405, headers: { allow: 'POST' }, body: { error: 'POST deliveries only' } };
    if (closing)
      return {
        status: 503,
        headers: { 'retry-after': '5' },
        body: { error: 'shutting down: deliver again' },
      };
    counters.received++;
    receiving.add(req);
    let raw: Buffer | 'too-large';
    try {
      raw = await readBody(req, limit);
    } finally {
      receiving.delete(req);
    }
    if (raw === 'too-large') {
      counters.tooLarge++;
      return { status: 413, body: { error: `body larger than ${limit} bytes` } };
    }
    if (!verifySignature(raw, req.headers['x-neostore-signature'] as string | undefined, options.secret)) {
      counters.unauthorized++;
      return { status: 401, body: { error: 'missing or bad X-NEOSTORE-SIGNATURE' } };
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      counters.badRequest++;
      return { status: 400, body: { error: 'the body is not JSON' } };
    }
    const delivery = mapDelivery(json);
    if (delivery.kind === 'invalid') {
      counters.badRequest++;
      return { status: 400, body: { error: delivery.reason } };
    }
    if (delivery.kind === 'ignored') {
      counters.ignored++;
      return { status: 202, body: { ok: true, ignored: delivery.event } };
    }
    return deliver(delivery.hook, delivery.args);
  }

  const requestTimeout = options.requestTimeoutMs || DEFAULT_REQUEST_TIMEOUT_MS;
  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, options.headersTimeoutMs || DEFAULT_HEADERS_TIMEOUT_MS),
      // Node enforces both timeouts only when it checks (every 30 s by default): check often enough.
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(requestTimeout / 4))),
    },
    (req, res) => {
      counters.inFlight++;
      const reply = (a: Answer): void => {
        counters.inFlight--;
        if (res.destroyed) return;
        const text = JSON.stringify(a.body);
        // A refused body was not read to its end: close the connection rather than read on.
        const close = a.status === 413 || closing ? { connection: 'close' } : {};
        res.writeHead(
          a.status,
          Object.assign(
            { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
            a.headers || {},
            close,
          ),
        );
        res.end(text);
      };
      const pending = answer(req).then(reply, () =>
        reply({ status: 500, body: { error: 'internal error' } }),
      );
      work.add(pending);
      void pending.finally(() => work.delete(pending));
    },
  );
  server.maxConnections = options.maxConnections || DEFAULT_MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    counters,
    async shutdown() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Deliveries whose body has not arrived were not accepted yet: the platform sends them again.
      for (const req of receiving) req.socket.destroy();
      while (work.size > 0) await Promise.allSettled([...work]);
      await connector.idle();
      connector.stop();
      server.closeAllConnections();
      await stopped;
    },
  };
}
