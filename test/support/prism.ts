/**
 * Contract checking for the vendor simulators: one Stoplight Prism validating proxy per vendor
 * spec file (read from ../shared/specs, never copied), behind a small router that sends each
 * request to the Prism whose spec covers its path. Prism refuses a request that breaks the
 * vendor's published schema (422/401/400 problem+json) and flags an answer that breaks it, so a
 * wrong request fails the test instead of reaching the simulator; every such refusal is recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** shared/ lies beside the repository, in a session's work tree and in CI's clone alike. */
export const SPECS_DIR = join(__dirname, '../../../shared/specs');

export function specPath(relative: string): string {
  const path = join(SPECS_DIR, relative);
  if (!existsSync(path)) throw new Error(`vendor spec not found: ${path} (shared/ must lie beside the repo)`);
  return path;
}

export interface SpecRoute {
  /** Relative to shared/specs, e.g. 'hubspot/crm-contacts-v3.json'. */
  spec: string;
  /** Path prefixes this spec covers, e.g. ['/crm/v3/objects/contacts']. */
  prefixes: string[];
}

export interface ContractViolation {
  method: string;
  path: string;
  status: number;
  spec: string;
  detail: string;
}

export interface ContractGateway {
  url: string;
  violations: ContractViolation[];
  /** Requests whose path no spec covers (forwarded unchecked), e.g. HubSpot custom events. */
  unchecked: string[];
  /** Points every Prism at this simulator and clears the records of the previous test. */
  setUpstream(url: string): void;
  close(): Promise<void>;
}

const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = http.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

interface RunningPrism {
  child: ChildProcess;
  port: number;
  spec: string;
}

/** Starts `prism proxy SPEC UPSTREAM --errors` and resolves once it says it is listening. */
async function startPrism(spec: string, upstream: string): Promise<RunningPrism> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [PRISM_BIN, 'proxy', specPath(spec), upstream, '--errors', '-h', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.indexOf('Prism is listening') >= 0) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`prism exited (${code}) before listening:\n${output.slice(-2000)}`)),
    );
  });
  // Keep draining its log so a full pipe never blocks it.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, port, spec };
}

function stopPrism(p: RunningPrism): Promise<void> {
  if (p.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  });
}

/** Prism's own refusals carry a problem type under stoplight.io/prism/errors, or sl-violations. */
function violationOf(headers: http.IncomingHttpHeaders, body: string): string | null {
  if (body.indexOf('stoplight.io/prism/errors') >= 0) return body.slice(0, 1000);
  const flagged = headers['sl-violations'];
  if (flagged) return `response violations: ${String(flagged).slice(0, 1000)}`;
  return null;
}

/** Forwards a request to host:port and hands back the whole answer. */
function forward(
  incoming: http.IncomingMessage,
  host: string,
  port: number,
  done: (status: number, headers: http.IncomingHttpHeaders, body: Buffer) => void,
): void {
  const headers = Object.assign({}, incoming.headers, { host: `${host}:${port}` });
  const out = http.request({ host, port, method: incoming.method, path: incoming.url, headers }, (answer) => {
    const chunks: Buffer[] = [];
    answer.on('data', (c: Buffer) => chunks.push(c));
    answer.on('end', () => done(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
  });
  out.on('error', (error) =>
    done(502, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ error: String(error) }))),
  );
  incoming.pipe(out);
}

function reply(
  res: http.ServerResponse,
  status: number,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
): void {
  const copy = Object.assign({}, headers);
  delete copy['transfer-encoding'];
  delete copy.connection;
  copy['content-length'] = String(body.length);
  res.writeHead(status, copy);
  res.end(body);
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function shut(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Starts the Prisms once (a few seconds each, so once per test file); `setUpstream` points them at
 * the simulator of the current test, through a back server whose target can change.
 */
export async function startContractGateway(routes: SpecRoute[]): Promise<ContractGateway> {
  let upstream: URL | null = null;
  const back = http.createServer((incoming, res) => {
    if (!upstream) return reply(res, 502, {}, Buffer.from('no upstream set'));
    forward(incoming, upstream.hostname, Number(upstream.port), (status, headers, body) =>
      reply(res, status, headers, body),
    );
  });
  const backPort = await listen(back);
  const prisms = await Promise.all(routes.map((r) => startPrism(r.spec, `http://127.0.0.1:${backPort}`)));
  const violations: ContractViolation[] = [];
  const unchecked: string[] = [];

  function target(path: string): { port: number; spec: string | null } {
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i] as SpecRoute;
      if (route.prefixes.some((prefix) => path.startsWith(prefix)))
        return { port: (prisms[i] as RunningPrism).port, spec: route.spec };
    }
    return { port: backPort, spec: null };
  }

  const front = http.createServer((incoming, res) => {
    const path = (incoming.url ?? '/').split('?')[0] as string;
    const to = target(path);
    if (!to.spec) unchecked.push(`${incoming.method} ${path}`);
    forward(incoming, '127.0.0.1', to.port, (status, headers, body) => {
      const detail = to.spec ? violationOf(headers, body.toString('utf8')) : null;
      if (detail)
        violations.push({ method: incoming.method ?? '', path, status, spec: to.spec as string, detail });
      reply(res, status, headers, body);
    });
  });
  const frontPort = await listen(front);

  return {
    url: `http://127.0.0.1:${frontPort}`,
    violations,
    unchecked,
    setUpstream(url: string) {
      upstream = new URL(url);
      violations.length = 0;
      unchecked.length = 0;
    },
    async close() {
      await shut(front);
      await Promise.all(prisms.map(stopPrism));
      await shut(back);
    },
  };
}
