/**
 * Salesforce (core platform REST API): SOQL read, sObject Collections upsert by External ID
 * (records.ts). The base URL is the org's instance_url from the token answer (the sender picks it
 * up); `baseUrl` is only the fallback. Platform Events are not sent (see
 * docs/destinations/salesforce.md: a record-triggered flow on the wallet fields does it).
 */
import { classifySalesforce } from './results';
import { checkSetup, MAX_COLLECTION, readRecords, writeRecords } from './records';
import { DEFAULT_API_VERSION, DEFAULT_OBJECT, resolveSalesforce, type SalesforceSettings } from './settings';
import { salesforceSetup } from './setup';
import type { DestinationDefinition } from '../types';

export const salesforceDestination: DestinationDefinition<SalesforceSettings> = {
  type: 'salesforce',
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
  defaultProperties: {
    walletStatus: 'Wallet_Status__c',
    appleWalletInstalledAt: 'Apple_Wallet_Installed_At__c',
    googleWalletInstalledAt: 'Google_Wallet_Installed_At__c',
    walletLastChangedAt: 'Wallet_Last_Changed_At__c',
    walletLastEvent: 'Wallet_Last_Event__c',
    walletSyncState: 'Wallet_Sync_State__c',
  },
  // Salesforce counts every call against the org's rolling 24 h allocation (shared with every other
  // integration) and never answers 429: a modest steady rate, large batches and few calls is the
  // way to stay out of REQUEST_LIMIT_EXCEEDED. 25/s = 2 calls per 200 customers at full batches.
  defaultRateLimit: { requests: 25, intervalMs: 1000, maxConcurrent: 10 },
  defaultBatch: { maxSize: 200, maxWaitMs: 200 },
  maxBatchSize: MAX_COLLECTION,
  maxReadBatchSize: MAX_COLLECTION,
  defaultMode: 'readModifyWrite',
  resolve: resolveSalesforce,
  setupSteps: salesforceSetup,
  read: readRecords,
  write: writeRecords,
  classifyError: classifySalesforce,
  testAuth: checkSetup,
};
