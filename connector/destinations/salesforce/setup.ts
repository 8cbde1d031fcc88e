/** What to create by hand in Salesforce (its API cannot create custom fields for us). */
import { fieldLines } from '../shared/setup';
import type { ResolvedDestination } from '../types';
import type { SalesforceSettings } from './settings';

const FIELD_TYPES: Record<string, string> = {
  walletStatus: 'Picklist (values: none, apple, google, both)',
  appleWalletInstalledAt: 'Date/Time',
  googleWalletInstalledAt: 'Date/Time',
  walletLastChangedAt: 'Date/Time',
  walletLastEvent: 'Picklist (values: installed, uninstalled)',
  walletSyncState: 'Long Text Area (4,000)',
};

export function salesforceSetup(config: ResolvedDestination): string[] {
  const s = config.settings as SalesforceSettings;
  return [
    `In Setup > Object Manager > ${s.object} > Fields & Relationships, create:`,
    ...fieldLines(config, FIELD_TYPES),
    `  - ${s.keyField}: Text (255), External ID and Unique (the join key; skip if it exists)`,
    'Give the integration user read and edit field-level security on every field above (a permission set).',
    'Create an External Client App with OAuth enabled (client credentials or JWT bearer flow), scope "api", and a Run As user.',
  ];
}
