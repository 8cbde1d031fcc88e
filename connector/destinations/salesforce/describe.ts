/**
 * Salesforce for the CLI: its tenant-file keys, what to create by hand (its API cannot create
 * custom fields for us) and test-auth (a describe of the object).
 */
import { ConnectorError } from '../../delivery/errors';
import { describeDestination, fieldLines } from '../describe';
import { field } from '../shared/json';
import type { ResolvedDestination } from '../types';
import { salesforceDestination } from './definition';
import { firstError } from './results';
import {
  DEFAULT_API_VERSION,
  DEFAULT_OBJECT,
  type SalesforceContext,
  type SalesforceSettings,
} from './settings';

const FIELD_TYPES: Record<string, string> = {
  walletStatus: 'Picklist (values: none, apple, google, both)',
  appleWalletInstalledAt: 'Date/Time',
  googleWalletInstalledAt: 'Date/Time',
  walletLastChangedAt: 'Date/Time',
  walletLastEvent: 'Picklist (values: installed, uninstalled)',
  walletSyncState: 'Long Text Area (4,000)',
};

function salesforceSetup(config: ResolvedDestination): string[] {
  const s = config.settings as SalesforceSettings;
  return [
    `In Setup > Object Manager > ${s.object} > Fields & Relationships, create:`,
    ...fieldLines(config, FIELD_TYPES),
    `  - ${s.keyField}: Text (255), External ID and Unique (the join key; skip if it exists)`,
    'Give the integration user read and edit field-level security on every field above (a permission set).',
    'Create an External Client App with OAuth enabled (client credentials or JWT bearer flow), scope "api", and a Run As user.',
  ];
}

interface DescribedField {
  externalId: boolean;
  updateable: boolean;
}

/** Describe of the object: proves the token, the object, the External ID and every wallet field. */
async function checkSetup(ctx: SalesforceContext): Promise<string> {
  const s = ctx.settings;
  const id = ctx.config.id;
  const response = await ctx.send({
    method: 'GET',
    path: `/services/data/${s.version}/sobjects/${s.object}/describe`,
  });
  const described = field(response.json, 'fields');
  if (!Array.isArray(described)) {
    const first = firstError(response.json);
    throw new ConnectorError(
      'permanent',
      `describe of ${s.object} answered without fields${first ? `: ${first.message}` : ''}`,
      { destination: id },
    );
  }
  const byName: Record<string, DescribedField> = {};
  for (let i = 0; i < described.length; i++) {
    const name = field(described[i], 'name');
    if (typeof name === 'string')
      byName[name] = {
        externalId: field(described[i], 'externalId') === true,
        updateable: field(described[i], 'updateable') === true,
      };
  }
  const problems: string[] = [];
  const key = byName[s.keyField];
  if (!key) problems.push(`${s.keyField} (the externalIdField) is missing`);
  else if (!key.externalId) problems.push(`${s.keyField} is not marked External ID`);
  for (let i = 0; i < s.fields.length; i++) {
    const name = s.fields[i] as string;
    const f = byName[name];
    if (!f) problems.push(`${name} is missing`);
    else if (!f.updateable) problems.push(`${name} is read-only for this user`);
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'configuration',
      `${s.object}: ${problems.join('; ')}. Create the fields (see docs/destinations/salesforce.md) and grant the integration user field-level security (read and edit) on them`,
      { destination: id },
    );
  }
  const note = ctx.config.events
    ? '; events: true is not supported for salesforce (use a record-triggered flow)'
    : '';
  return `credentials accepted; ${s.object} has ${s.keyField} (External ID) and all ${s.fields.length} wallet fields, editable${note}`;
}

export const salesforceDescription = describeDestination(salesforceDestination, {
  label: 'Salesforce',
  docs: 'docs/destinations/salesforce.md',
  authSchemes: ['oauth2'],
  grants: ['client_credentials', 'jwt_bearer', 'refresh_token'],
  fields: {
    objectType: {
      schema: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_OBJECT,
        description: 'the sObject that holds the customers',
      },
    },
    externalIdField: {
      required: true,
      schema: {
        type: 'string',
        minLength: 1,
        description: 'the External ID field that holds the join key (e.g. Customer_Id__c)',
      },
    },
    apiVersion: {
      schema: {
        type: 'string',
        default: DEFAULT_API_VERSION,
        description: 'the REST API version (e.g. v62.0)',
      },
    },
  },
  setupSteps: salesforceSetup,
  testAuth: checkSetup,
});
