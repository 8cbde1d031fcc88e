/**
 * setup-crm for HubSpot (CLI only, never in the bundle): creates the property group and the contact properties the connector
 * writes (and the unique id property when it is a custom one), skipping those that exist. Also the
 * property check behind testAuth: one properties batch/read answers "which of ours are missing".
 */
import { ConnectorError } from '../../delivery/errors';
import type { CanonicalFieldName } from '../../domain/types';
import type { DestinationContext } from '../types';
import type { HubSpotContext } from './properties';
import { idPropertyOf } from './properties';

export const PROPERTY_GROUP = { name: 'wallet_pass', label: 'Wallet pass', displayOrder: -1 };

type Json = Record<string, unknown>;

function option(value: string, label: string, displayOrder: number): Json {
  return { value, label, displayOrder, hidden: false };
}

/** Type and field type HubSpot needs for each canonical field. */
const SHAPES: Record<
  CanonicalFieldName,
  { label: string; type: string; fieldType: string; options?: Json[] }
> = {
  walletStatus: {
    label: 'Wallet status',
    type: 'enumeration',
    fieldType: 'select',
    options: [
      option('none', 'None', 0),
      option('apple', 'Apple Wallet', 1),
      option('google', 'Google Wallet', 2),
      option('both', 'Both', 3),
    ],
  },
  appleWalletInstalledAt: { label: 'Apple Wallet installed at', type: 'datetime', fieldType: 'date' },
  googleWalletInstalledAt: { label: 'Google Wallet installed at', type: 'datetime', fieldType: 'date' },
  walletLastChangedAt: { label: 'Wallet last changed at', type: 'datetime', fieldType: 'date' },
  walletLastEvent: {
    label: 'Wallet last event',
    type: 'enumeration',
    fieldType: 'select',
    options: [option('installed', 'Installed', 0), option('uninstalled', 'Uninstalled', 1)],
  },
  walletSyncState: { label: 'Wallet sync state', type: 'string', fieldType: 'text' },
};

export interface ExistingProperty {
  name: string;
  hasUniqueValue: boolean;
}

/** Which of `names` exist on contacts (one properties batch/read). */
export async function readProperties(
  ctx: DestinationContext,
  names: string[],
): Promise<Record<string, ExistingProperty>> {
  const response = await ctx.send({
    method: 'POST',
    path: '/crm/v3/properties/contacts/batch/read',
    json: { archived: false, dataSensitivity: 'non_sensitive', inputs: names.map((name) => ({ name })) },
  });
  const out: Record<string, ExistingProperty> = {};
  const results = (response.json as Json | null)?.results;
  for (const r of Array.isArray(results) ? results : []) {
    const p = r as Json;
    if (typeof p.name === 'string') out[p.name] = { name: p.name, hasUniqueValue: p.hasUniqueValue === true };
  }
  return out;
}

export interface SetupReport {
  created: string[];
  existing: string[];
  groupCreated: boolean;
}

async function ensureGroup(ctx: HubSpotContext): Promise<boolean> {
  const found = await ctx.send({
    method: 'GET',
    path: `/crm/v3/properties/contacts/groups/${PROPERTY_GROUP.name}`,
    acceptStatuses: [404],
  });
  if (found.status !== 404) return false;
  await ctx.send({ method: 'POST', path: '/crm/v3/properties/contacts/groups', json: PROPERTY_GROUP });
  return true;
}

/** Takes any destination's context (setup-crm's); it must be a HubSpot one, resolved by hubspotDestination. */
export async function setupHubSpotCrm(context: DestinationContext): Promise<SetupReport> {
  const ctx = context as HubSpotContext;
  const idProperty = idPropertyOf(ctx);
  const props = ctx.config.properties;
  const wanted: Json[] = [];
  for (const canonical of Object.keys(SHAPES) as CanonicalFieldName[]) {
    const shape = SHAPES[canonical];
    const input: Json = {
      name: props[canonical],
      label: shape.label,
      type: shape.type,
      fieldType: shape.fieldType,
      groupName: PROPERTY_GROUP.name,
      description: `Written by the The Wallet Crew wallet status connector (${canonical}).`,
      formField: false,
    };
    if (shape.options) input.options = shape.options;
    wanted.push(input);
  }
  if (idProperty !== 'email') {
    wanted.push({
      name: idProperty,
      label: 'Customer id',
      type: 'string',
      fieldType: 'text',
      groupName: PROPERTY_GROUP.name,
      hasUniqueValue: true,
      description: 'Unique customer id: the join key of the wallet status connector.',
      formField: false,
    });
  }
  const existing = await readProperties(
    ctx,
    wanted.map((w) => w.name as string),
  );
  const existingId = existing[idProperty];
  if (existingId && !existingId.hasUniqueValue && idProperty !== 'email') {
    throw new ConnectorError(
      'configuration',
      `contact property ${idProperty} exists but is not unique (hasUniqueValue): upserts need a unique property; create a new one`,
      { destination: ctx.config.id },
    );
  }
  const missing = wanted.filter((w) => !existing[w.name as string]);
  const groupCreated = missing.length > 0 ? await ensureGroup(ctx) : false;
  if (missing.length > 0) {
    await ctx.send({
      method: 'POST',
      path: '/crm/v3/properties/contacts/batch/create',
      json: { inputs: missing },
    });
  }
  return {
    created: missing.map((m) => m.name as string),
    existing: Object.keys(existing),
    groupCreated,
  };
}
