/**
 * Realistic contexts a payload template is evaluated on, as the http destination builds them
 * ({ event, events, state, fields, tenantId }). Two shapes on purpose: a rich install (counts, UTM,
 * user agent) and a bare uninstall (no counts, no source), so a template that only works when
 * optional data is present fails here instead of in production.
 */
import { CANONICAL_FIELD_NAMES, type CanonicalFields, type WalletEvent } from '../../connector/domain/types';

export interface SampleContext {
  label: string;
  context: {
    event: WalletEvent;
    events: WalletEvent[];
    state: CanonicalFields;
    fields: Record<string, string | null>;
    tenantId: string;
  };
}

export interface SampleInput {
  tenantId: string;
  identifiers: readonly string[];
  passType: string;
  properties: Partial<Record<string, string>>;
}

function identifierValues(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = /mail/i.test(name) ? 'ada.lovelace@example.com' : 'C-104233';
  return out;
}

function installedOnApple(input: SampleInput): WalletEvent {
  const identifiers = identifierValues(input.identifiers);
  const joinKeyField = input.identifiers[0] ?? 'customerId';
  return {
    hook: 'OnPassInstalled',
    name: 'Pass:Installed',
    kind: 'installed',
    passId: 'pass-8f1c2a',
    passType: input.passType,
    wallet: 'apple',
    identifiers,
    joinKey: identifiers[joinKeyField] ?? 'C-104233',
    joinKeyField,
    receivedAt: '2026-03-14T09:26:53.589Z',
    receivedAtMs: Date.parse('2026-03-14T09:26:53.589Z'),
    registration: { active: 1, total: 2 },
    orderKey: { kind: 'counts', total: 2, active: 1, atMs: Date.parse('2026-03-14T09:26:53.589Z') },
    source: {
      tags: ['store', 'paris-opera'],
      medium: 'qrcode',
      origin: 'https://shop.example.com/wallet?utm_source=instore&utm_medium=qrcode&utm_campaign=spring',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X)',
      utm: { source: 'instore', medium: 'qrcode', campaign: 'spring' },
    },
    idempotencyKey: 'pass-8f1c2a:apple:installed:2:1',
  };
}

function uninstalledOnGoogle(input: SampleInput): WalletEvent {
  const installed = installedOnApple(input);
  const at = '2026-03-20T18:02:11.004Z';
  return {
    ...installed,
    hook: 'OnPassUninstalled',
    name: 'Pass:Uninstalled',
    kind: 'uninstalled',
    wallet: 'google',
    receivedAt: at,
    receivedAtMs: Date.parse(at),
    registration: { active: null, total: null },
    orderKey: { kind: 'time', atMs: Date.parse(at) },
    source: { tags: [], medium: null, origin: null, userAgent: null, utm: {} },
    idempotencyKey: 'pass-8f1c2a:google:uninstalled:t',
  };
}

function crmFields(
  state: CanonicalFields,
  properties: SampleInput['properties'],
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of CANONICAL_FIELD_NAMES) out[properties[name] ?? name] = state[name];
  return out;
}

export function sampleContexts(input: SampleInput): SampleContext[] {
  const install = installedOnApple(input);
  const uninstall = uninstalledOnGoogle(input);
  const afterInstall: CanonicalFields = {
    walletStatus: 'apple',
    appleWalletInstalledAt: install.receivedAt,
    googleWalletInstalledAt: null,
    walletLastChangedAt: install.receivedAt,
    walletLastEvent: 'installed',
    walletSyncState: 'v1;a=1:2;g=0:0',
  };
  const afterUninstall: CanonicalFields = {
    walletStatus: 'none',
    appleWalletInstalledAt: null,
    googleWalletInstalledAt: null,
    walletLastChangedAt: uninstall.receivedAt,
    walletLastEvent: 'uninstalled',
    walletSyncState: 'v1;a=0:2;g=0:1',
  };
  return [
    {
      label: 'an install on Apple Wallet',
      context: {
        event: install,
        events: [install],
        state: afterInstall,
        fields: crmFields(afterInstall, input.properties),
        tenantId: input.tenantId,
      },
    },
    {
      label: 'an uninstall on Google Wallet with no registration counts or source',
      context: {
        event: uninstall,
        events: [uninstall],
        state: afterUninstall,
        fields: crmFields(afterUninstall, input.properties),
        tenantId: input.tenantId,
      },
    },
  ];
}
