/**
 * A stateful HubSpot on loopback: contacts with typed, unique-checked properties, the CRM v3
 * batch read/upsert endpoints, the properties API the setup uses, custom events, bearer tokens
 * with scopes, and the 429 of the ten-secondly limit, all in HubSpot's own response shapes
 * (shaped to pass the published spec, which Prism checks in the contract tests).
 */
import { randomUUID } from 'node:crypto';
import type { FaultPlan } from './faults';
import type { RateLimitRule, WindowRule } from './rate-limit';
import { startSimServer, type SimServer } from './server';
import type { Clock, Route, SimRequest, SimResponse } from './types';

export interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  hasUniqueValue?: boolean;
  options?: Array<{ value: string; label: string; hidden?: boolean; displayOrder?: number }>;
  description?: string;
}

export interface HubSpotContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface HubSpotSentEvent {
  eventName: string;
  objectId?: string;
  email?: string;
  occurredAt?: string;
  properties: Record<string, string>;
}

export interface HubSpotSimOptions {
  /** token -> granted scopes; default one token with every scope the connector uses. */
  tokens?: Record<string, string[]>;
  /** Create the six wallet properties and customer_id (unique) up front; default true. */
  walletProperties?: boolean;
  /** Seeded per-input refusals of batch/upsert: id value -> message (answered in a 207). */
  rejectIds?: Record<string, string>;
  rateLimit?: RateLimitRule | RateLimitRule[];
  faults?: FaultPlan;
  clock?: Clock;
}

export interface HubSpotSimulator {
  server: SimServer;
  token: string;
  contacts: Map<string, HubSpotContact>;
  properties: Map<string, HubSpotProperty>;
  groups: Map<string, { name: string; label: string; displayOrder: number }>;
  events: HubSpotSentEvent[];
  /** One row per contact holding `keyProperty` (default customer_id), sorted by it. */
  table(keyProperty?: string): Array<{ key: string; walletStatus: string; apple: boolean; google: boolean }>;
}

export const HUBSPOT_TOKEN = 'pat-na1-good-token';
export const HUBSPOT_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'analytics.behavioral_events.send',
];

const BASE_PROPERTIES: HubSpotProperty[] = [
  { name: 'email', label: 'Email', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
  {
    name: 'firstname',
    label: 'First name',
    type: 'string',
    fieldType: 'text',
    groupName: 'contactinformation',
  },
];

export const WALLET_PROPERTIES: HubSpotProperty[] = [
  {
    name: 'wallet_status',
    label: 'Wallet status',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'wallet_pass',
    options: ['none', 'apple', 'google', 'both'].map((value) => ({ value, label: value })),
  },
  {
    name: 'apple_wallet_installed_at',
    label: 'Apple',
    type: 'datetime',
    fieldType: 'date',
    groupName: 'wallet_pass',
  },
  {
    name: 'google_wallet_installed_at',
    label: 'Google',
    type: 'datetime',
    fieldType: 'date',
    groupName: 'wallet_pass',
  },
  {
    name: 'wallet_last_changed_at',
    label: 'Changed',
    type: 'datetime',
    fieldType: 'date',
    groupName: 'wallet_pass',
  },
  {
    name: 'wallet_last_event',
    label: 'Last event',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'wallet_pass',
    options: ['installed', 'uninstalled'].map((value) => ({ value, label: value })),
  },
  {
    name: 'wallet_sync_state',
    label: 'Sync state',
    type: 'string',
    fieldType: 'text',
    groupName: 'wallet_pass',
  },
  {
    name: 'customer_id',
    label: 'Customer id',
    type: 'string',
    fieldType: 'text',
    groupName: 'wallet_pass',
    hasUniqueValue: true,
  },
];

/** HubSpot's ten-secondly limit: sliding 10 s window, 429 with policyName and its headers. */
export function hubspotTenSecondly(requests = 100, intervalMs = 10000): WindowRule {
  const headers = (max: number, remaining: number) => ({
    'X-HubSpot-RateLimit-Max': String(max),
    'X-HubSpot-RateLimit-Remaining': String(remaining),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(intervalMs),
  });
  return {
    requests,
    intervalMs,
    acceptedHeaders: (info) => headers(info.limit, info.remaining),
    respond: (info) => ({
      status: 429,
      headers: headers(info.limit, 0),
      json: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: randomUUID(),
        policyName: 'TEN_SECONDLY_ROLLING',
        category: 'RATE_LIMITS',
      },
    }),
  };
}

function error(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return {
    status,
    json: Object.assign({ status: 'error', message, correlationId: randomUUID(), category }, extra),
  };
}

/** A StandardError entry of a 207 batch answer (every field the spec requires). */
function standardError(status: string, category: string, message: string, context: Record<string, string[]>) {
  return { status, category, message, context, errors: [], links: {} };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function startHubSpotSimulator(options: HubSpotSimOptions = {}): Promise<HubSpotSimulator> {
  const clock = options.clock ?? Date.now;
  const tokens = options.tokens ?? { [HUBSPOT_TOKEN]: HUBSPOT_SCOPES };
  const properties = new Map<string, HubSpotProperty>();
  for (const p of BASE_PROPERTIES) properties.set(p.name, p);
  if (options.walletProperties !== false) for (const p of WALLET_PROPERTIES) properties.set(p.name, p);
  const groups = new Map([
    ['contactinformation', { name: 'contactinformation', label: 'Contact information', displayOrder: 0 }],
  ]);
  const contacts = new Map<string, HubSpotContact>();
  const events: HubSpotSentEvent[] = [];
  let nextId = 1001;
  const iso = () => new Date(clock()).toISOString();

  /** 401 without a known token; 403 listing the scopes when none of `anyOf` was granted. */
  function refuse(req: SimRequest, anyOf: string[]): SimResponse | null {
    const auth = req.headers.authorization ?? '';
    const granted = auth.startsWith('Bearer ') ? tokens[auth.slice(7)] : undefined;
    if (!granted) {
      return error(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
      );
    }
    if (anyOf.some((scope) => granted.indexOf(scope) >= 0)) return null;
    return error(
      403,
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call.",
      {
        errors: [
          { message: 'One or more of the following scopes are required.', context: { missingScopes: anyOf } },
        ],
        context: { missingScopes: anyOf },
      },
    );
  }

  function findBy(property: string, value: string): HubSpotContact | undefined {
    const wanted = property === 'email' ? value.toLowerCase() : value;
    for (const c of contacts.values()) if (c.properties[property] === wanted) return c;
    return undefined;
  }

  /** The stored form of a value, or the reason HubSpot refuses it. */
  function coerce(
    p: HubSpotProperty,
    value: string,
  ): { ok: true; value: string } | { ok: false; message: string } {
    if (value === '') return { ok: true, value };
    if (p.type === 'datetime') {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      return isNaN(ms)
        ? { ok: false, message: `${value} was not a valid long or ISO 8601 date for ${p.name}` }
        : { ok: true, value: new Date(ms).toISOString() };
    }
    if (p.type === 'enumeration' && !(p.options ?? []).some((o) => o.value === value)) {
      return { ok: false, message: `${value} was not one of the allowed options for ${p.name}` };
    }
    return { ok: true, value: p.name === 'email' ? value.toLowerCase() : value };
  }

  function view(c: HubSpotContact, names?: string[]): Record<string, unknown> {
    const props: Record<string, string> = {
      hs_object_id: c.id,
      createdate: c.createdAt,
      lastmodifieddate: c.updatedAt,
    };
    // Unset properties are left out (the spec types every value as a string).
    for (const name of names ?? Object.keys(c.properties)) {
      const v = c.properties[name];
      if (v !== undefined) props[name] = v;
    }
    return { id: c.id, properties: props, createdAt: c.createdAt, updatedAt: c.updatedAt, archived: false };
  }

  function batchRead(req: SimRequest): SimResponse {
    const refusal = refuse(req, ['crm.objects.contacts.read']);
    if (refusal) return refusal;
    const body = req.json;
    if (!isObject(body) || !Array.isArray(body.inputs))
      return error(400, 'VALIDATION_ERROR', 'Invalid input JSON');
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : 'hs_object_id';
    if (idProperty !== 'hs_object_id' && !properties.has(idProperty))
      return error(400, 'VALIDATION_ERROR', `Property "${idProperty}" does not exist`);
    const names = Array.isArray(body.properties) ? (body.properties as string[]) : [];
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of body.inputs as Array<{ id: string }>) {
      const c = idProperty === 'hs_object_id' ? contacts.get(input.id) : findBy(idProperty, input.id);
      if (c) results.push(view(c, names));
      else missing.push(input.id);
    }
    const now = iso();
    const answer: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    if (missing.length === 0) return { status: 200, json: answer };
    answer.numErrors = 1;
    answer.errors = [
      standardError(
        'error',
        'OBJECT_NOT_FOUND',
        'Could not get some CONTACT objects, they may be deleted or not exist.',
        {
          ids: missing,
        },
      ),
    ];
    return { status: 207, json: answer };
  }

  function batchUpsert(req: SimRequest): SimResponse {
    const refusal = refuse(req, ['crm.objects.contacts.write']);
    if (refusal) return refusal;
    const body = req.json;
    if (!isObject(body) || !Array.isArray(body.inputs))
      return error(400, 'VALIDATION_ERROR', 'Invalid input JSON');
    const inputs = body.inputs as Array<{
      id: string;
      idProperty?: string;
      objectWriteTraceId?: string;
      properties: Record<string, string>;
    }>;
    if (inputs.length > 100)
      return error(400, 'VALIDATION_ERROR', 'Batch input cannot contain more than 100 inputs');
    // A Set, not a plain object: ids such as "constructor" or "__proto__" are ids like any other.
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const input of inputs) {
      const idProperty = input.idProperty ?? 'hs_object_id';
      const prop = properties.get(idProperty);
      if (idProperty !== 'email' && !(prop && prop.hasUniqueValue))
        return error(
          400,
          'VALIDATION_ERROR',
          `${idProperty} is not a unique identifier property for contacts`,
        );
      if (seen.has(input.id))
        return error(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${input.id}]`);
      seen.add(input.id);
      for (const name of Object.keys(input.properties ?? {}))
        if (!properties.has(name) && unknown.indexOf(name) < 0) unknown.push(name);
    }
    if (unknown.length > 0) {
      return error(400, 'VALIDATION_ERROR', 'Property values were not valid', {
        errors: unknown.map((name) => ({
          message: `Property "${name}" does not exist`,
          code: 'PROPERTY_DOESNT_EXIST',
          context: { propertyName: [name] },
        })),
      });
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const idProperty = input.idProperty as string;
      const trace = input.objectWriteTraceId;
      const context: Record<string, string[]> = { ids: [input.id] };
      if (trace) context.objectWriteTraceId = [trace];
      const rejectIds = options.rejectIds ?? {};
      const rejected = Object.prototype.hasOwnProperty.call(rejectIds, input.id)
        ? rejectIds[input.id]
        : undefined;
      if (rejected) {
        errors.push(standardError('error', 'VALIDATION_ERROR', rejected, context));
        continue;
      }
      const next: Record<string, string> = {};
      let problem: string | null = null;
      for (const name of Object.keys(input.properties)) {
        const coerced = coerce(properties.get(name) as HubSpotProperty, String(input.properties[name]));
        if (!coerced.ok) problem = problem ?? coerced.message;
        else next[name] = coerced.value;
      }
      if (problem) {
        errors.push(standardError('error', 'VALIDATION_ERROR', problem, context));
        continue;
      }
      let contact = findBy(idProperty, input.id);
      const created = !contact;
      if (!contact) {
        contact = { id: String(nextId++), properties: {}, createdAt: iso(), updatedAt: iso() };
        contact.properties[idProperty] = idProperty === 'email' ? input.id.toLowerCase() : input.id;
        contacts.set(contact.id, contact);
      }
      for (const name of Object.keys(next)) {
        if (next[name] === '') delete contact.properties[name];
        else contact.properties[name] = next[name] as string;
      }
      contact.updatedAt = iso();
      const result = Object.assign(view(contact), { new: created }) as Record<string, unknown>;
      if (trace) result.objectWriteTraceId = trace;
      results.push(result);
    }
    const now = iso();
    const answer: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    if (errors.length === 0) return { status: 200, json: answer };
    answer.numErrors = errors.length;
    answer.errors = errors;
    return { status: 207, json: answer };
  }

  function propertyView(p: HubSpotProperty): Record<string, unknown> {
    return {
      name: p.name,
      label: p.label,
      type: p.type,
      fieldType: p.fieldType,
      groupName: p.groupName,
      description: p.description ?? '',
      options: (p.options ?? []).map((o, i) => ({
        value: o.value,
        label: o.label,
        hidden: false,
        displayOrder: i,
      })),
      hasUniqueValue: p.hasUniqueValue === true,
    };
  }

  const schemaRead = ['crm.schemas.contacts.read', 'crm.objects.contacts.read'];
  const routes: Route[] = [
    { method: 'POST', pattern: '/crm/v3/objects/contacts/batch/read', handle: batchRead },
    { method: 'POST', pattern: '/crm/v3/objects/contacts/batch/upsert', handle: batchUpsert },
    {
      method: 'GET',
      pattern: '/crm/v3/properties/contacts/groups/:name',
      handle(req, params) {
        const refusal = refuse(req, schemaRead);
        if (refusal) return refusal;
        const g = groups.get(params.name as string);
        return g
          ? { status: 200, json: Object.assign({ archived: false }, g) }
          : error(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${params.name}`);
      },
    },
    {
      method: 'POST',
      pattern: '/crm/v3/properties/contacts/groups',
      handle(req) {
        const refusal = refuse(req, ['crm.schemas.contacts.write']);
        if (refusal) return refusal;
        const body = req.json as { name: string; label: string; displayOrder?: number };
        if (groups.has(body.name))
          return error(409, 'OBJECT_ALREADY_EXISTS', `Group ${body.name} already exists`);
        const g = { name: body.name, label: body.label, displayOrder: body.displayOrder ?? -1 };
        groups.set(g.name, g);
        return { status: 201, json: Object.assign({ archived: false }, g) };
      },
    },
    {
      method: 'POST',
      pattern: '/crm/v3/properties/contacts/batch/read',
      handle(req) {
        const refusal = refuse(req, schemaRead);
        if (refusal) return refusal;
        const inputs = ((req.json as { inputs?: Array<{ name: string }> }).inputs ?? []).map((i) => i.name);
        const results = inputs
          .filter((n) => properties.has(n))
          .map((n) => propertyView(properties.get(n) as HubSpotProperty));
        const now = iso();
        return { status: 200, json: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
      },
    },
    {
      method: 'POST',
      pattern: '/crm/v3/properties/contacts/batch/create',
      handle(req) {
        const refusal = refuse(req, ['crm.schemas.contacts.write']);
        if (refusal) return refusal;
        const inputs = (req.json as { inputs: HubSpotProperty[] }).inputs;
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const p of inputs) {
          if (properties.has(p.name)) {
            errors.push(
              standardError('error', 'OBJECT_ALREADY_EXISTS', `Property ${p.name} already exists`, {
                name: [p.name],
              }),
            );
          } else if (!groups.has(p.groupName)) {
            errors.push(
              standardError('error', 'VALIDATION_ERROR', `Group ${p.groupName} does not exist`, {
                name: [p.name],
              }),
            );
          } else {
            properties.set(p.name, p);
            results.push(propertyView(p));
          }
        }
        const now = iso();
        const answer: Record<string, unknown> = {
          status: 'COMPLETE',
          results,
          startedAt: now,
          completedAt: now,
        };
        if (errors.length === 0) return { status: 201, json: answer };
        return { status: 207, json: Object.assign(answer, { errors, numErrors: errors.length }) };
      },
    },
    {
      method: 'POST',
      pattern: '/events/v3/send/batch',
      handle(req) {
        const refusal = refuse(req, ['analytics.behavioral_events.send']);
        if (refusal) return refusal;
        for (const e of (req.json as { inputs: HubSpotSentEvent[] }).inputs) events.push(e);
        return { status: 204 };
      },
    },
  ];

  const server = await startSimServer({
    routes,
    rateLimit: options.rateLimit,
    faults: options.faults,
    clock,
    name: 'hubspot',
  });

  return {
    server,
    token: Object.keys(tokens)[0] as string,
    contacts,
    properties,
    groups,
    events,
    table(keyProperty = 'customer_id') {
      const rows = [...contacts.values()].filter((c) => c.properties[keyProperty] !== undefined);
      rows.sort((a, b) =>
        (a.properties[keyProperty] as string) < (b.properties[keyProperty] as string) ? -1 : 1,
      );
      return rows.map((c) => ({
        key: c.properties[keyProperty] as string,
        walletStatus: c.properties.wallet_status ?? 'none',
        apple: c.properties.apple_wallet_installed_at !== undefined,
        google: c.properties.google_wallet_installed_at !== undefined,
      }));
    },
  };
}
