/**
 * Where the connector may send credentials (issue 13): https only, except to this machine
 * (loopback: 127.0.0.0/8, ::1, localhost), and plain http to a private host only when the
 * destination says so with `allowInsecureHttp: true`. Never to another scheme (file:, ftp:...), and
 * never to link-local or cloud metadata addresses, whatever the scheme: 169.254.169.254 written as
 * http://2852039166/ is the same address, so hosts are read through the WHATWG URL parser, as
 * fetch reads them.
 */
import type { ConfigIssue } from './issues';
import { formatPath } from './paths';
import type { PathSegment } from './schema';

type HostKind = 'loopback' | 'private' | 'link-local' | 'public';

/** Names only a private network resolves (RFC 6762, RFC 8375, common internal suffixes). */
const PRIVATE_SUFFIXES = ['.internal', '.local', '.lan', '.home.arpa', '.localdomain', '.corp', '.intranet'];
/** Cloud metadata services reachable by name. */
const METADATA_NAMES = ['metadata', 'metadata.google.internal', 'metadata.goog'];

function ipv4Kind(parts: number[]): HostKind {
  const [a, b] = parts as [number, number];
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'link-local'; // "this network": never a CRM
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  return 'public';
}

function ipv6Kind(address: string): HostKind {
  const a = address.toLowerCase();
  if (a === '::1') return 'loopback';
  if (a === '::') return 'link-local';
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (mapped) {
    const high = parseInt(mapped[1] as string, 16);
    const low = parseInt(mapped[2] as string, 16);
    return ipv4Kind([high >> 8, high & 255, low >> 8, low & 255]);
  }
  if (/^fe[89ab][0-9a-f]:/.test(a) || a.startsWith('fd00:ec2:')) return 'link-local';
  if (/^f[cd][0-9a-f]{2}:/.test(a)) return 'private';
  return 'public';
}

/** How a hostname as the URL parser normalized it (IPv4 in dotted form, IPv6 in brackets) is reached. */
export function hostKind(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) return ipv6Kind(host.slice(1, -1));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return ipv4Kind(v4.slice(1).map(Number));
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.indexOf(host) >= 0) return 'link-local';
  if (host.indexOf('.') < 0 || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) return 'private';
  return 'public';
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The issue for one URL the connector sends credentials to, or null when it may. */
export function urlIssue(
  value: unknown,
  path: PathSegment[],
  optIn: { allowed: boolean; key: string | null },
): ConfigIssue | null {
  if (typeof value !== 'string') return null;
  const url = parse(value);
  // Not a URL at all: the schema's format check says so.
  if (!url) return null;
  const where = formatPath(path);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      path: where,
      message: `uses the scheme "${url.protocol.replace(/:$/, '')}"; the connector sends requests over https only`,
      fix: 'use an https:// URL',
    };
  }
  const kind = hostKind(url.hostname);
  if (kind === 'link-local') {
    return {
      path: where,
      message: `points at ${url.hostname}, a link-local or cloud metadata address, which is never a CRM`,
      fix: "use the CRM's own https:// address",
    };
  }
  if (url.protocol === 'https:' || kind === 'loopback') return null;
  if (kind === 'private' && optIn.allowed) return null;
  const insecure = `plain http:// to ${url.hostname} would send the credentials in clear`;
  if (kind === 'private' && optIn.key) {
    return {
      path: where,
      message: `${insecure} (a private host)`,
      fix: `use https://, or, on a private network you trust, set "${optIn.key}": true on this destination`,
    };
  }
  return { path: where, message: insecure, fix: `use https://${value.slice('http://'.length)}` };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every URL of a tenant file that credentials go to: destinations' base and token URLs, the platform API. */
export function urlPolicyIssues(config: unknown): ConfigIssue[] {
  if (!isObject(config)) return [];
  const issues: ConfigIssue[] = [];
  const add = (issue: ConfigIssue | null): void => void (issue && issues.push(issue));
  if (Array.isArray(config.destinations)) {
    config.destinations.forEach((d, index) => {
      if (!isObject(d)) return;
      const optIn = { allowed: d.allowInsecureHttp === true, key: 'allowInsecureHttp' };
      add(urlIssue(d.baseUrl, ['destinations', index, 'baseUrl'], optIn));
      if (isObject(d.auth))
        add(urlIssue(d.auth.tokenUrl, ['destinations', index, 'auth', 'tokenUrl'], optIn));
    });
  }
  if (isObject(config.platform))
    add(urlIssue(config.platform.baseUrl, ['platform', 'baseUrl'], { allowed: false, key: null }));
  return issues;
}
