/**
 * Microsoft Dynamics 365 / Dataverse Web API: filtered GET with ETags, conditional PATCH per row
 * on the alternate key (records.ts).
 */
import { classifyDynamics, readDynamicsError } from './errors';
import { readRows, writeRows } from './records';
import { resolveDynamics, type DynamicsSettings } from './settings';
import type { DestinationDefinition } from '../types';

export const dynamicsDestination: DestinationDefinition<DynamicsSettings> = {
  type: 'dynamics',
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
  // Dataverse's DateTimeOffset columns keep whole seconds.
  timePrecisionMs: 1000,
  resolve: resolveDynamics,
  read: readRows,
  write: writeRows,
  classifyError: classifyDynamics,
  readError: readDynamicsError,
};
