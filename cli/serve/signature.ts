/**
 * X-NEOSTORE-SIGNATURE: HMAC-SHA256 of the raw request body with the webhook's signatureSecret
 * (twc-platform.md §3.2). The output encoding is not published, so lowercase hex and base64 are
 * both accepted until a real delivery pins it (§3.4). Compared in constant time over the raw bytes,
 * before any parsing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifySignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
  const got = header.trim();
  // An optional "sha256=" prefix, as many senders write it, is tolerated.
  const value = got.toLowerCase().startsWith('sha256=') ? got.slice(7) : got;
  if (/^[0-9a-fA-F]{64}$/.test(value)) return same(Buffer.from(value.toLowerCase(), 'hex'), mac);
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return same(Buffer.from(value, 'base64'), mac);
  return false;
}

export function sign(rawBody: Buffer | string, secret: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest(encoding);
}
