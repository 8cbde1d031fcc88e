/**
 * Microsoft Dynamics 365 / Dataverse Web API: filtered GET with ETags, conditional PATCH per row
 * on the alternate key (records.ts).
 */
import { classifyDynamics } from './errors';
import { checkSetup, readRows, writeRows } from './records';
import { DEFAULT_API_VERSION, DEFAULT_ENTITY_SET, resolveDynamics, type DynamicsSettings } from './settings';
import { dynamicsSetup } from './setup';
import type { DestinationDefinition } from '../types';

export const dynamicsDestination: DestinationDefinition<DynamicsSettings> = {
  type: 'dynamics',
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
  // Publisher-prefixed custom columns: "twc" is this connector's suggested publisher prefix; each
  // org picks its own (new_, contoso_...) and renames them in `properties`.
  defaultProperties: {
    walletStatus: 'twc_walletstatus',
    appleWalletInstalledAt: 'twc_applewalletinstalledat',
    googleWalletInstalledAt: 'twc_googlewalletinstalledat',
    walletLastChangedAt: 'twc_walletlastchangedat',
    walletLastEvent: 'twc_walletlastevent',
    walletSyncState: 'twc_walletsyncstate',
  },
  // Service protection: 6,000 requests per 5 minutes per user (20/s on average) and 52 at once.
  // 18/s keeps under the average with room for other work of the same application user; 16 in
  // flight stays far below 52 and below the 1,200 s of execution time per window.
  defaultRateLimit: { requests: 18, intervalMs: 1000, maxConcurrent: 16 },
  defaultBatch: { maxSize: 50, maxWaitMs: 50 },
  maxBatchSize: 100,
  maxReadBatchSize: 50,
  defaultMode: 'readModifyWrite',
  resolve: resolveDynamics,
  setupSteps: dynamicsSetup,
  read: readRows,
  write: writeRows,
  classifyError: classifyDynamics,
  testAuth: checkSetup,
};
