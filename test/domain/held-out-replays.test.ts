/**
 * Held-out replays: recordings generated with seeds the committed samples do not use (heavy
 * duplication, local reordering, batches of 1 to 5 calls), reduced per customer as the delivery
 * queue would, for counts per wallet and per pass. The default reading must end exact for every
 * customer under both; a setting that names a scope must be exact for that scope.
 */
import { generateSample, type CountsScope } from '../replay/generate-sample';
import { normalize } from '../../connector/domain/normalize';
import { reduce } from '../../connector/domain/reducer';
import type { CanonicalFields, RegistrationCountsReading, WalletEvent } from '../../connector/domain/types';

const SEEDS = 40;
const CUSTOMERS = 80;
const JOIN_KEY = { identifiers: ['customerId', 'email'], normalizeEmail: true };

/** How many customers end with their true status, out of how many. */
function exactCustomers(scope: CountsScope, reading: RegistrationCountsReading): [number, number] {
  let exact = 0;
  let all = 0;
  for (let seed = 100; seed < 100 + SEEDS; seed++) {
    const sample = generateSample({ customers: CUSTOMERS, seed, countsScope: scope, duplicateRate: 0.3 });
    const fields: Record<string, CanonicalFields> = {};
    for (let i = 0, size = 1; i < sample.calls.length; i += size, size = 1 + ((i + seed) % 5)) {
      const batch: Record<string, WalletEvent[]> = {};
      sample.calls.slice(i, i + size).forEach((call, j) => {
        const n = normalize({
          hook: call.hook,
          args: call.args,
          receivedAtMs: 1e12 + (i + j) * 10,
          joinKey: JOIN_KEY,
        });
        if (n.ok && n.event.passType === 'loyalty')
          (batch[n.event.joinKey] = batch[n.event.joinKey] || []).push(n.event);
      });
      for (const key of Object.keys(batch))
        fields[key] = reduce(fields[key] || null, batch[key]!, { registrationCounts: reading }).next;
    }
    for (const key of Object.keys(sample.expected)) {
      all++;
      if ((fields[key] ? fields[key]!.walletStatus : 'none') === sample.expected[key]!.walletStatus) exact++;
    }
  }
  return [exact, all];
}

describe('held-out replays end exact for every customer', () => {
  it.each([
    ['perWallet', 'auto'],
    ['perPass', 'auto'],
    ['perWallet', 'perWallet'],
    ['perPass', 'perPass'],
  ] as [CountsScope, RegistrationCountsReading][])('counts %s, read %s', (scope, reading) => {
    expect(exactCustomers(scope, reading)).toEqual([SEEDS * CUSTOMERS, SEEDS * CUSTOMERS]);
  });

  it('trusting the other scope misses customers (what auto protects against)', () => {
    const [perWalletOnPerPass] = exactCustomers('perPass', 'perWallet');
    const [perPassOnPerWallet] = exactCustomers('perWallet', 'perPass');
    expect(perWalletOnPerPass).toBeLessThan(SEEDS * CUSTOMERS);
    expect(perPassOnPerWallet).toBeLessThan(SEEDS * CUSTOMERS);
  });
});
