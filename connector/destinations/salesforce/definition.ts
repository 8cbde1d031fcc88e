/**
 * Salesforce (core platform REST API): SOQL read, sObject Collections upsert by External ID
 * (records.ts). The base URL is the org's instance_url from the token answer (the sender picks it
 * up); `baseUrl` is only the fallback. Platform Events are not sent (see
 * docs/destinations/salesforce.md: a record-triggered flow on the wallet fields does it).
 */
import { classifySalesforce, readSalesforceError } from './results';
import { MAX_COLLECTION, readRecords, writeRecords } from './records';
import { resolveSalesforce, type SalesforceSettings } from './settings';
import type { DestinationDefinition } from '../types';

export const salesforceDestination: DestinationDefinition<SalesforceSettings> = {
  type: 'salesforce',
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
  read: readRecords,
  write: writeRecords,
  classifyError: classifySalesforce,
  readError: readSalesforceError,
};
