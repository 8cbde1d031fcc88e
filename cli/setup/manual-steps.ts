/**
 * The exact steps to create a destination's fields by hand, for CRMs whose API cannot (Salesforce
 * custom fields, Dynamics columns) or need not (Braze, Klaviyo: free-form attributes). Generated
 * from the destination's resolved config, so the names are the ones this tenant will write.
 */
import type { ResolvedDestination } from '../../connector/destinations/types';

const TYPES: Record<string, { salesforce: string; dynamics: string }> = {
  walletStatus: {
    salesforce: 'Picklist (values: none, apple, google, both)',
    dynamics: 'Choice or Single line of text (100)',
  },
  appleWalletInstalledAt: {
    salesforce: 'Date/Time',
    dynamics: 'Date and time (format: date and time, behavior: UTC)',
  },
  googleWalletInstalledAt: {
    salesforce: 'Date/Time',
    dynamics: 'Date and time (format: date and time, behavior: UTC)',
  },
  walletLastChangedAt: {
    salesforce: 'Date/Time',
    dynamics: 'Date and time (format: date and time, behavior: UTC)',
  },
  walletLastEvent: {
    salesforce: 'Picklist (values: installed, uninstalled)',
    dynamics: 'Single line of text (20)',
  },
  walletSyncState: { salesforce: 'Long Text Area (4,000)', dynamics: 'Multiple lines of text (4,000)' },
};

function fieldLines(d: ResolvedDestination, kind: 'salesforce' | 'dynamics'): string[] {
  return Object.keys(TYPES).map((canonical) => {
    const name = d.properties[canonical as keyof ResolvedDestination['properties']];
    return `  - ${name}: ${(TYPES[canonical] as { salesforce: string; dynamics: string })[kind]}`;
  });
}

export function manualSteps(d: ResolvedDestination): string[] {
  const raw = d.raw;
  switch (d.type) {
    case 'salesforce':
      return [
        `In Setup > Object Manager > ${raw.objectType || 'Contact'} > Fields & Relationships, create:`,
        ...fieldLines(d, 'salesforce'),
        `  - ${raw.externalIdField}: Text (255), External ID and Unique (the join key; skip if it exists)`,
        'Give the integration user read and edit field-level security on every field above (a permission set).',
        'Create an External Client App with OAuth enabled (client credentials or JWT bearer flow), scope "api", and a Run As user.',
      ];
    case 'dynamics':
      return [
        `In Power Apps > Tables > ${raw.objectType || 'contact'} > Columns, create (the publisher prefix is your org's):`,
        ...fieldLines(d, 'dynamics'),
        `Create an alternate key on ${raw.externalIdField} (Keys > New key), and wait until it is Active.`,
        'Register an app in Entra ID, add it as an application user with a security role that can read and write these columns.',
      ];
    case 'braze':
      return [
        'Nothing to create: Braze custom attributes are created on first write.',
        'Create a REST API key with the permissions users.track and users.export.ids (Settings > APIs and Identifiers).',
      ];
    case 'klaviyo':
      return [
        'Nothing to create: Klaviyo profile properties are created on first write.',
        'Create a private API key with profiles:read, profiles:write (and events:write when events is on).',
      ];
    case 'http':
      return [
        `Nothing to create in the connector's terms: your API must answer GET ${raw.readPath || raw.path} with the stored record (404 when none)`,
        `and accept ${raw.method || 'POST'} ${raw.path} with the payload (see docs/configuration.md).`,
      ];
    default:
      return ['Create the fields listed in docs/destinations for this CRM.'];
  }
}
