/**
 * A fetch on node:http, for the overhead section to lend the bundle: the transport the bare axios
 * baseline uses (its node:http adapter, keep-alive sockets), so connector / bare axios compares
 * the connector's own work over the same transport rather than undici against node:http. On the
 * platform the host's fetch is neither. It is the part of the Fetch API the connector's adapter
 * reads (connector/platform/http.ts `FetchLike`): status, headers, url, redirected, text().
 * Redirects are never followed, as the connector asks (`redirect: 'manual'`).
 */
import * as http from 'node:http';
import type { FetchLike, FetchResponseLike } from '../connector/platform/http';

export function nodeHttpFetch(): FetchLike {
  const agent = new http.Agent({ keepAlive: true });
  return (url, init) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      const request = http.request(url, {
        method: init.method,
        headers: init.headers,
        agent,
        signal: init.signal,
      });
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode || 0,
            headers: response.headers,
            url,
            redirected: false,
            text: () => Promise.resolve(body),
          });
        });
      });
      request.end(init.body);
    });
}
