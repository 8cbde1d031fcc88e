/** What to create by hand in Dataverse (columns and the alternate key are a maker's job). */
import { fieldLines } from '../shared/setup';
import type { ResolvedDestination } from '../types';
import type { DynamicsSettings } from './settings';

const UTC_DATE = 'Date and time (format: date and time, behavior: UTC)';

const COLUMN_TYPES: Record<string, string> = {
  walletStatus: 'Choice or Single line of text (100)',
  appleWalletInstalledAt: UTC_DATE,
  googleWalletInstalledAt: UTC_DATE,
  walletLastChangedAt: UTC_DATE,
  walletLastEvent: 'Single line of text (20)',
  walletSyncState: 'Multiple lines of text (4,000)',
};

export function dynamicsSetup(config: ResolvedDestination): string[] {
  const s = config.settings as DynamicsSettings;
  return [
    `In Power Apps > Tables > ${config.raw.objectType || 'contact'} > Columns, create (the publisher prefix is your org's):`,
    ...fieldLines(config, COLUMN_TYPES),
    `Create an alternate key on ${s.keyField} (Keys > New key), and wait until it is Active.`,
    'Register an app in Entra ID, add it as an application user with a security role that can read and write these columns.',
  ];
}
