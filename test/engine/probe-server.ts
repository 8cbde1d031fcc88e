/**
 * A real loopback HTTP server (127.0.0.1, free port) for the probe connector. Pass ids steer it:
 * `flaky-*` answers 503 to the first GET and the first POST, `gone-*` answers 404 to the GET,
 * `down-*` answers 503 to every GET; anything else succeeds.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProbeServer {
  baseUrl: string;
  events: Array<Record<string, unknown>>;
  gets: Map<string, number>;
  posts: Map<string, number>;
  close(): Promise<void>;
}

function bump(counts: Map<string, number>, key: string): number {
  const next = (counts.get(key) ?? 0) + 1;
  counts.set(key, next);
  return next;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Probe': 'yes' });
  res.end(JSON.stringify(body));
}

export async function startProbeServer(): Promise<ProbeServer> {
  const events: Array<Record<string, unknown>> = [];
  const gets = new Map<string, number>();
  const posts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const record = /^\/records\/([^/?]+)$/.exec(url);
      if (req.method === 'GET' && record) {
        const id = decodeURIComponent(record[1] as string);
        const n = bump(gets, id);
        if (id.startsWith('gone-')) return reply(res, 404, { error: 'gone' });
        if (id.startsWith('down-') || (id.startsWith('flaky-') && n === 1))
          return reply(res, 503, { error: 'busy' });
        return reply(res, 200, { value: `v-${id}` });
      }
      if (req.method === 'POST' && url === '/events') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const id = String(body.passId);
        const n = bump(posts, id);
        if (id.startsWith('flaky-') && n === 1) return reply(res, 503, { error: 'busy' });
        events.push({ ...body, contentType: req.headers['content-type'] });
        return reply(res, 200, { ok: true });
      }
      return reply(res, 404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    events,
    gets,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
