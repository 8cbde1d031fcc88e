/**
 * The burst: generateSample's seeded customers (both wallets, several devices, reissued cards,
 * duplicates, out-of-order delivery, malformed calls) with its known truth, and the check of a
 * CRM's final state against that truth.
 */
import { generateSample } from '../test/replay/generate-sample';
import type { HttpCrmSimulator } from '../test/sim/http-crm';

export type HookName = 'OnPassInstalled' | 'OnPassUninstalled';

export interface BenchCall {
  hook: HookName;
  args: unknown[];
}

export interface Workload {
  calls: BenchCall[];
  expected: Record<string, { walletStatus: string; apple: boolean; google: boolean }>;
}

/**
 * The sample with its routed pass type renamed, so its calls reach one scenario's destination, and
 * its join keys prefixed (lower case), so repeated rounds against one CRM meet fresh customers.
 */
export function workload(customers: number, seed: number, passType: string, keyPrefix = ''): Workload {
  const sample = generateSample({ customers, seed });
  const calls = sample.calls.map((call) => {
    const args = call.args.slice();
    if (args[1] === 'loyalty') args[1] = passType;
    if (keyPrefix && args[2] && typeof args[2] === 'object') {
      const ids = Object.assign({}, args[2]) as Record<string, unknown>;
      if (typeof ids.customerId === 'string') ids.customerId = keyPrefix + ids.customerId;
      if (typeof ids.email === 'string') ids.email = keyPrefix + ids.email.trim();
      args[2] = ids;
    }
    return { hook: call.hook, args };
  });
  const expected: Workload['expected'] = {};
  for (const key of Object.keys(sample.expected)) expected[keyPrefix + key] = sample.expected[key] as never;
  return { calls, expected };
}

export interface TruthCheck {
  customers: number;
  /** Customers whose walletStatus, or whose per-wallet installed-at presence, differs from the truth. */
  mismatches: number;
  examples: string[];
}

export function checkTruth(sim: HttpCrmSimulator, expected: Workload['expected']): TruthCheck {
  const keys = Object.keys(expected);
  const wrong: string[] = [];
  for (const key of keys) {
    const want = expected[key] as Workload['expected'][string];
    const record = sim.records.get(key);
    // No record is the CRM saying "never installed".
    const status = record && typeof record.walletStatus === 'string' ? record.walletStatus : 'none';
    const apple = Boolean(record && record.appleWalletInstalledAt);
    const google = Boolean(record && record.googleWalletInstalledAt);
    if (status !== want.walletStatus || apple !== want.apple || google !== want.google) wrong.push(key);
  }
  return { customers: keys.length, mismatches: wrong.length, examples: wrong.slice(0, 5) };
}
