/** A loopback stand-in for The Wallet Crew's webhook sender: signs bodies (hex or base64) and POSTs them. */
import http from 'node:http';
import { sign } from '../../cli/serve/signature';

export interface Sent {
  status: number;
  json: Record<string, unknown>;
}

export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
      },
    );
    // A server that refuses an oversized body may close before all of it is written.
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      })
      .on('error', reject);
  });
}

export function delivery(event: string, data: Record<string, unknown>): string {
  return JSON.stringify({ event, data });
}

export function signedPost(
  url: string,
  body: string,
  secret: string,
  encoding: 'hex' | 'base64' = 'hex',
): Promise<Sent> {
  return post(url, body, { 'x-neostore-signature': sign(body, secret, encoding) });
}
