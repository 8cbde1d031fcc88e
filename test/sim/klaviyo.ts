/**
 * A stateful Klaviyo on loopback: profiles with free-form properties and unique external_id and
 * email, POST /api/profile-import (201 created / 200 updated, null clears), GET /api/profiles with
 * any()/equals() filters, POST /api/events (202, deduplicated by unique_id per profile and metric),
 * the `revision` header and the JSON:API content type required, private keys and OAuth bearer
 * tokens, and 429 + Retry-After from the burst and steady windows, in Klaviyo's error shape.
 */
import { randomUUID } from 'node:crypto';
import type { FaultPlan } from './faults';
import type { RateLimitRule, WindowRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export interface KlaviyoProfile {
  id: string;
  external_id?: string;
  email?: string;
  properties: Record<string, unknown>;
  created: string;
  updated: string;
}

export interface KlaviyoEvent {
  metric: string;
  profile: string;
  uniqueId: string | null;
  time: string | null;
  properties: Record<string, unknown>;
}

export interface KlaviyoSimOptions {
  /** Accepted private keys (Authorization: Klaviyo-API-Key <key>); default one. */
  apiKeys?: string[];
  /** Accepted OAuth access tokens (Authorization: Bearer <token>). */
  bearerTokens?: string[];
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
}

export interface KlaviyoSimulator {
  server: SimServer;
  apiKey: string;
  profiles: Map<string, KlaviyoProfile>;
  events: KlaviyoEvent[];
  /** One row per profile with an external_id, sorted by it. */
  table(): Array<{ key: string; walletStatus: string; apple: boolean; google: boolean }>;
}

export const KLAVIYO_KEY = 'pk_good_0123456789abcdef';

function jsonApi(status: number, json: unknown): SimResponse {
  return { status, headers: { 'content-type': 'application/vnd.api+json' }, json };
}

export function klaviyoError(
  status: number,
  code: string,
  title: string,
  detail: string,
  source?: Record<string, string>,
): SimResponse {
  const entry: Record<string, unknown> = { id: randomUUID(), status, code, title, detail };
  if (source) entry.source = source;
  return jsonApi(status, { errors: [entry] });
}

function throttle(window: string): (info: { retryAfterMs: number }) => SimResponse {
  return (info) => {
    const seconds = Math.max(1, Math.ceil(info.retryAfterMs / 1000));
    const answer = klaviyoError(
      429,
      'throttled',
      'Request was throttled.',
      `Request was throttled (${window}). Expected available in ${seconds} second${seconds > 1 ? 's' : ''}.`,
    );
    answer.headers = Object.assign({}, answer.headers, { 'retry-after': String(seconds) });
    return answer;
  };
}

/** Klaviyo's fixed burst (per second) and steady (per minute) windows; RateLimit-* on accepted answers. */
export function klaviyoRateLimits(burst = 75, steady = 750, burstMs = 1000, steadyMs = 60000): WindowRule[] {
  return [
    { window: 'fixed', requests: burst, intervalMs: burstMs, respond: throttle('burst') },
    {
      window: 'fixed',
      requests: steady,
      intervalMs: steadyMs,
      respond: throttle('steady'),
      acceptedHeaders: (info) => ({
        'RateLimit-Limit': String(info.limit),
        'RateLimit-Remaining': String(info.remaining),
        'RateLimit-Reset': String(Math.ceil(info.retryAfterMs / 1000)),
      }),
    },
  ];
}

/** Parses any(attr,["a","b"]) or equals(attr,"a"); null when the filter is not one of those. */
export function parseFilter(filter: string): { attribute: string; values: string[] } | null {
  const m = /^(any|equals)\((\w+),(.*)\)$/.exec(filter.trim());
  if (!m) return null;
  try {
    const parsed: unknown = JSON.parse(m[3] as string);
    const values = m[1] === 'any' ? parsed : [parsed];
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return null;
    return { attribute: m[2] as string, values: values as string[] };
  } catch {
    return null;
  }
}

export async function startKlaviyoSimulator(options: KlaviyoSimOptions = {}): Promise<KlaviyoSimulator> {
  const clock = options.clock ?? Date.now;
  const apiKeys = options.apiKeys ?? [KLAVIYO_KEY];
  const bearers = options.bearerTokens ?? [];
  const profiles = new Map<string, KlaviyoProfile>();
  const events: KlaviyoEvent[] = [];
  const seen = new Set<string>();
  let serial = 0;
  const iso = () => new Date(clock()).toISOString();

  function refuse(req: SimRequest, body: boolean): SimResponse | null {
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Klaviyo-API-Key ') ? auth.slice(16) : null;
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    if (!(key !== null && apiKeys.indexOf(key) >= 0) && !(bearer !== null && bearers.indexOf(bearer) >= 0))
      return klaviyoError(
        401,
        'not_authenticated',
        'Authentication credentials were not provided.',
        'Missing or invalid private key.',
      );
    if (!req.headers.revision || !/^\d{4}-\d{2}-\d{2}(\.\w+)?$/.test(req.headers.revision))
      return klaviyoError(400, 'invalid', 'Invalid input.', 'A valid revision header is required.', {
        parameter: 'revision',
      });
    if (body && !(req.headers['content-type'] ?? '').startsWith('application/vnd.api+json'))
      return klaviyoError(
        415,
        'unsupported_media_type',
        'Unsupported media type.',
        'Content-Type must be application/vnd.api+json.',
      );
    return null;
  }

  function find(attribute: string, value: string): KlaviyoProfile | undefined {
    for (const p of profiles.values())
      if ((p as unknown as Record<string, unknown>)[attribute] === value) return p;
    return undefined;
  }

  function resource(p: KlaviyoProfile, fields?: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      email: p.email ?? null,
      external_id: p.external_id ?? null,
      properties: p.properties,
      created: p.created,
      updated: p.updated,
    };
    const attributes: Record<string, unknown> = {};
    for (const name of fields ?? Object.keys(all)) if (name in all) attributes[name] = all[name];
    return {
      type: 'profile',
      id: p.id,
      attributes,
      links: { self: `https://a.klaviyo.com/api/profiles/${p.id}/` },
    };
  }

  /** Creates or updates by external_id then email; null properties are removed. */
  function upsert(
    attrs: Record<string, unknown>,
  ): { profile: KlaviyoProfile; created: boolean } | SimResponse {
    const external = typeof attrs.external_id === 'string' ? attrs.external_id : undefined;
    const email = typeof attrs.email === 'string' ? attrs.email.toLowerCase() : undefined;
    if (!external && !email)
      return klaviyoError(
        400,
        'invalid',
        'Invalid input.',
        'One of email, phone_number or external_id is required.',
        { pointer: '/data/attributes' },
      );
    let profile = (external && find('external_id', external)) || (email && find('email', email)) || undefined;
    const created = !profile;
    if (!profile) {
      profile = {
        id: `01SIM${String(++serial).padStart(21, '0')}`,
        properties: {},
        created: iso(),
        updated: iso(),
      };
      profiles.set(profile.id, profile);
    }
    if (external) profile.external_id = external;
    if (email) profile.email = email;
    const props = (attrs.properties ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(props)) {
      if (props[name] === null) delete profile.properties[name];
      else profile.properties[name] = props[name];
    }
    profile.updated = iso();
    return { profile, created };
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: '/api/profile-import',
      handle(req) {
        const refusal = refuse(req, true);
        if (refusal) return refusal;
        const data = (
          req.json as { data?: { type?: string; attributes?: Record<string, unknown> } } | undefined
        )?.data;
        if (!data || data.type !== 'profile' || !data.attributes)
          return klaviyoError(
            400,
            'invalid',
            'Invalid input.',
            'data.type must be profile with attributes.',
            { pointer: '/data' },
          );
        const done = upsert(data.attributes);
        if ('status' in done) return done;
        return jsonApi(done.created ? 201 : 200, { data: resource(done.profile) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/profiles',
      handle(req) {
        const refusal = refuse(req, false);
        if (refusal) return refusal;
        const size = req.query['page[size]'] ? Number(req.query['page[size]']) : 20;
        if (!(size >= 1 && size <= 100))
          return klaviyoError(400, 'invalid', 'Invalid input.', 'page[size] must be between 1 and 100.', {
            parameter: 'page[size]',
          });
        const fields = req.query['fields[profile]']
          ? (req.query['fields[profile]'] as string).split(',')
          : undefined;
        let list = [...profiles.values()];
        if (req.query.filter !== undefined) {
          const filter = parseFilter(req.query.filter);
          if (!filter || ['external_id', 'email', 'id', 'phone_number'].indexOf(filter.attribute) < 0)
            return klaviyoError(400, 'invalid', 'Invalid input.', `Invalid filter: ${req.query.filter}`, {
              parameter: 'filter',
            });
          list = list.filter(
            (p) =>
              filter.values.indexOf(String((p as unknown as Record<string, unknown>)[filter.attribute])) >= 0,
          );
        }
        return jsonApi(200, {
          data: list.slice(0, size).map((p) => resource(p, fields)),
          links: { self: `https://a.klaviyo.com${req.url}` },
        });
      },
    },
    {
      method: 'POST',
      pattern: '/api/events',
      handle(req) {
        const refusal = refuse(req, true);
        if (refusal) return refusal;
        const attrs = (req.json as { data: { attributes: Record<string, any> } }).data.attributes; // eslint-disable-line @typescript-eslint/no-explicit-any
        const metric = String(attrs.metric?.data?.attributes?.name ?? '');
        const done = upsert(attrs.profile?.data?.attributes ?? {});
        if ('status' in done) return done;
        const uniqueId = typeof attrs.unique_id === 'string' ? attrs.unique_id : null;
        const dedupe = `${done.profile.id}|${metric}|${uniqueId ?? attrs.time}`;
        if (!seen.has(dedupe)) {
          seen.add(dedupe);
          events.push({
            metric,
            profile: done.profile.id,
            uniqueId,
            time: attrs.time ?? null,
            properties: attrs.properties ?? {},
          });
        }
        return { status: 202 };
      },
    },
  ];

  const server = await startSimServer({
    routes,
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock,
    name: 'klaviyo',
  });

  return {
    server,
    apiKey: apiKeys[0] as string,
    profiles,
    events,
    table() {
      const rows = [...profiles.values()].filter((p) => p.external_id !== undefined);
      rows.sort((a, b) => ((a.external_id as string) < (b.external_id as string) ? -1 : 1));
      return rows.map((p) => ({
        key: p.external_id as string,
        walletStatus: typeof p.properties.walletStatus === 'string' ? p.properties.walletStatus : 'none',
        apple: typeof p.properties.appleWalletInstalledAt === 'string',
        google: typeof p.properties.googleWalletInstalledAt === 'string',
      }));
    },
  };
}
