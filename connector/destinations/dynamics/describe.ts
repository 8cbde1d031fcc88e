/**
 * Dynamics for the CLI: its tenant-file keys, what to create by hand in Dataverse (columns and the
 * alternate key are a maker's job) and test-auth.
 */
import { describeDestination, fieldLines } from '../describe';
import type { ResolvedDestination } from '../types';
import { dynamicsDestination } from './definition';
import { selectPath } from './odata';
import { ODATA_HEADERS, rows } from './records';
import {
  DEFAULT_API_VERSION,
  DEFAULT_ENTITY_SET,
  type DynamicsContext,
  type DynamicsSettings,
} from './settings';

const UTC_DATE = 'Date and time (format: date and time, behavior: UTC)';

const COLUMN_TYPES: Record<string, string> = {
  walletStatus: 'Choice or Single line of text (100)',
  appleWalletInstalledAt: UTC_DATE,
  googleWalletInstalledAt: UTC_DATE,
  walletLastChangedAt: UTC_DATE,
  walletLastEvent: 'Single line of text (20)',
  walletSyncState: 'Multiple lines of text (4,000)',
};

function dynamicsSetup(config: ResolvedDestination): string[] {
  const s = config.settings as DynamicsSettings;
  return [
    `In Power Apps > Tables > ${config.raw.objectType || 'contact'} > Columns, create (the publisher prefix is your org's):`,
    ...fieldLines(config, COLUMN_TYPES),
    `Create an alternate key on ${s.keyField} (Keys > New key), and wait until it is Active.`,
    'Register an app in Entra ID, add it as an application user with a security role that can read and write these columns.',
  ];
}

/** Proves the token, the security role's read privilege and every column. */
async function checkSetup(ctx: DynamicsContext): Promise<string> {
  const s = ctx.settings;
  // Selecting every column and filtering on the key proves the token, the security role's read
  // privilege and that each column exists, in one request that returns at most one row.
  const response = await ctx.send({
    method: 'GET',
    path: selectPath(s.base, s.keyField, [s.keyField].concat(s.columns), ['twc-connector-auth-check'], 1),
    headers: ODATA_HEADERS,
  });
  rows(response, ctx.config.id);
  const note = ctx.config.events ? '; events: true has no effect on dynamics (no event API)' : '';
  return `credentials accepted; ${s.entitySet} has ${s.keyField} and all ${s.columns.length} wallet columns${note}`;
}

export const dynamicsDescription = describeDestination(dynamicsDestination, {
  label: 'Microsoft Dynamics 365 (Dataverse)',
  docs: 'docs/destinations/dynamics.md',
  authSchemes: ['oauth2'],
  grants: ['client_credentials'],
  fields: {
    objectType: {
      schema: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_ENTITY_SET,
        description: 'the entity set (plural logical name) that holds the customers',
      },
    },
    externalIdField: {
      required: true,
      schema: {
        type: 'string',
        minLength: 1,
        description: 'the column of the alternate key that holds the join key (e.g. twc_customerid)',
      },
    },
    apiVersion: {
      schema: {
        type: 'string',
        default: DEFAULT_API_VERSION,
        description: 'the Web API version (e.g. v9.2)',
      },
    },
  },
  setupSteps: dynamicsSetup,
  testAuth: checkSetup,
});
