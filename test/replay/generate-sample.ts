/**
 * Generates test/replay/sample.jsonl (recorded hook calls, docs/architecture.md §8) and sample.expected.json
 * (each customer's true final wallet status) from a seeded simulation of real customers: both
 * wallets, several devices, reissued cards, quick reinstalls, platform duplicates, out-of-order
 * delivery, passes of a type no destination takes, and a few malformed calls.
 *
 * The platform does not say what its registration counts cover, and one platform has one answer, so
 * a recording has one scope: `perWallet` (the event's wallet: the default, sample.jsonl) or `perPass`
 * (the pass on both wallets, whose devices then come and go on both wallets in turn:
 * sample.per-pass.jsonl, made with --scope perPass --customers 40 --seed 11 --prefix pp-).
 *
 *   npx tsx test/replay/generate-sample.ts [--customers 60] [--out test/replay/sample] [--seed 7]
 *     [--scope perWallet|perPass] [--prefix ID_PREFIX]
 */
import { writeFileSync } from 'node:fs';

type Wallet = 'apple' | 'google';
interface Call {
  hook: 'OnPassInstalled' | 'OnPassUninstalled';
  at: string;
  args: unknown[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type CountsScope = 'perWallet' | 'perPass';

export interface SampleOptions {
  customers: number;
  seed: number;
  startMs?: number;
  duplicateRate?: number;
  /** What the recorded registration counts cover; default perWallet. */
  countsScope?: CountsScope;
  /** Prepended to customer ids and emails, so that two recordings can share one CRM. */
  idPrefix?: string;
}

export interface Sample {
  calls: Call[];
  expected: Record<string, { walletStatus: string; apple: boolean; google: boolean }>;
}

export function generateSample(options: SampleOptions): Sample {
  const random = rng(options.seed);
  const scope = options.countsScope ?? 'perWallet';
  const prefix = options.idPrefix ?? '';
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  let clock = options.startMs ?? Date.parse('2026-11-27T09:00:00.000Z');
  const truth: Call[] = [];
  const expected: Sample['expected'] = {};
  const origins = [
    'https://brand.example/wallet?utm_source=newsletter&utm_medium=email&utm_campaign=winter',
    'https://brand.example/app?utm_source=app&utm_medium=push',
    null,
  ];

  /**
   * One pass whose counts cover both wallets: its devices come and go on the wallets in turn (the
   * Apple phone, then the Google phone, then the watch...), and every event carries the pass's total
   * and active counts. Returns where it is still installed at the end.
   */
  function passCountedPerPass(
    passId: string,
    identifiers: Record<string, unknown>,
    reissued: boolean,
  ): Record<Wallet, boolean> {
    const own: Record<Wallet, number> = { apple: 0, google: 0 };
    const steps: Record<Wallet, number> = { apple: 0, google: 0 };
    for (const wallet of ['apple', 'google'] as Wallet[])
      if (random() >= (wallet === 'apple' ? 0.35 : 0.5)) steps[wallet] = 1 + Math.floor(random() * 4);
    let total = 0;
    const record = (wallet: Wallet, install: boolean, gapMs: number): void => {
      if (install) total++;
      own[wallet] += install ? 1 : -1;
      truth.push({
        hook: install ? 'OnPassInstalled' : 'OnPassUninstalled',
        at: new Date((clock += gapMs)).toISOString(),
        args: [
          passId,
          'loyalty',
          identifiers,
          wallet,
          { activeRegistrationCount: own.apple + own.google, totalRegistrationCount: total },
        ],
      });
    };
    while (steps.apple + steps.google > 0) {
      const wallet: Wallet = steps.google === 0 || (steps.apple > 0 && random() < 0.5) ? 'apple' : 'google';
      steps[wallet]--;
      const install = own[wallet] === 0 || (random() < 0.3 && own[wallet] < 3);
      record(wallet, install, 200 + Math.floor(random() * 800));
    }
    // A reissued card's old pass is removed from every wallet.
    if (reissued)
      for (const wallet of ['apple', 'google'] as Wallet[])
        while (own[wallet] > 0) record(wallet, false, 300);
    return { apple: own.apple > 0, google: own.google > 0 };
  }

  for (let c = 1; c <= options.customers; c++) {
    const customerId = `${prefix}c-${String(c).padStart(4, '0')}`;
    const byEmail = c % 10 === 0;
    const identifiers: Record<string, unknown> = byEmail
      ? { email: `  ${prefix}Customer${c}@Example.COM ` }
      : { customerId, email: `${prefix}customer${c}@example.com` };
    const joinKey = byEmail ? `${prefix.toLowerCase()}customer${c}@example.com` : customerId;
    const passCount = random() < 0.2 ? 2 : 1;
    const installed: Record<Wallet, boolean> = { apple: false, google: false };
    for (let p = 1; p <= passCount; p++) {
      const passId = `p-${customerId}-${p}`;
      const reissued = passCount === 2 && p === 1;
      if (scope === 'perPass') {
        const held = passCountedPerPass(passId, identifiers, reissued);
        installed.apple = installed.apple || held.apple;
        installed.google = installed.google || held.google;
        continue;
      }
      for (const wallet of ['apple', 'google'] as Wallet[]) {
        if (random() < (wallet === 'apple' ? 0.35 : 0.5)) continue;
        let total = 0;
        let active = 0;
        const steps = 1 + Math.floor(random() * 4);
        for (let s = 0; s < steps; s++) {
          // Install when nothing is active, otherwise install on another device or uninstall.
          const install = active === 0 || (random() < 0.3 && active < 3);
          if (install) {
            total++;
            active++;
          } else {
            active--;
          }
          const origin = pick(origins);
          truth.push({
            hook: install ? 'OnPassInstalled' : 'OnPassUninstalled',
            at: new Date((clock += 200 + Math.floor(random() * 800))).toISOString(),
            args: [
              passId,
              'loyalty',
              identifiers,
              wallet,
              {
                activeRegistrationCount: active,
                totalRegistrationCount: total,
                registrationSource: origin
                  ? { tags: ['web'], medium: 'email', origin, userAgent: 'Mozilla/5.0' }
                  : null,
              },
            ],
          });
        }
        // A reissued card's old pass is removed from the wallet.
        if (reissued && active > 0) {
          while (active > 0) {
            active--;
            truth.push({
              hook: 'OnPassUninstalled',
              at: new Date((clock += 300)).toISOString(),
              args: [
                passId,
                'loyalty',
                identifiers,
                wallet,
                { activeRegistrationCount: active, totalRegistrationCount: total },
              ],
            });
          }
        }
        if (active > 0) installed[wallet] = true;
      }
    }
    // A pass of a type no destination takes must change nothing.
    if (random() < 0.15) {
      truth.push({
        hook: 'OnPassInstalled',
        at: new Date((clock += 100)).toISOString(),
        args: [
          `o-${customerId}`,
          'offer',
          identifiers,
          'apple',
          { activeRegistrationCount: 1, totalRegistrationCount: 1 },
        ],
      });
    }
    const status =
      installed.apple && installed.google
        ? 'both'
        : installed.apple
          ? 'apple'
          : installed.google
            ? 'google'
            : 'none';
    expected[joinKey] = { walletStatus: status, apple: installed.apple, google: installed.google };
  }

  // Delivery: at-least-once (duplicates) and out of order (local shuffles).
  const delivered: Call[] = [];
  for (const call of truth) {
    delivered.push(call);
    if (random() < (options.duplicateRate ?? 0.12)) delivered.push(call);
  }
  for (let i = 0; i < delivered.length; i++) {
    const j = Math.min(delivered.length - 1, i + Math.floor(random() * 6));
    const a = delivered[i] as Call;
    delivered[i] = delivered[j] as Call;
    delivered[j] = a;
  }
  // Malformed calls the connector must refuse cleanly.
  delivered.splice(5, 0, {
    hook: 'OnPassInstalled',
    at: new Date(clock).toISOString(),
    args: [`${prefix}p-orphan`, 'loyalty', { storeId: 's-1' }, 'apple', {}],
  });
  delivered.splice(40, 0, {
    hook: 'OnPassUninstalled',
    at: new Date(clock).toISOString(),
    args: [`${prefix}p-bad-device`, 'loyalty', { customerId: `${prefix}c-0001` }, 'windows', null],
  });
  return { calls: delivered, expected };
}

if (require.main === module) {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? (process.argv[i + 1] as string) : fallback;
  };
  const scope = arg('scope', 'perWallet');
  if (scope !== 'perWallet' && scope !== 'perPass') throw new Error('--scope is perWallet or perPass');
  const sample = generateSample({
    customers: Number(arg('customers', '60')),
    seed: Number(arg('seed', '7')),
    countsScope: scope,
    idPrefix: arg('prefix', ''),
  });
  const out = arg('out', 'test/replay/sample');
  writeFileSync(`${out}.jsonl`, sample.calls.map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeFileSync(`${out}.expected.json`, JSON.stringify(sample.expected, null, 2) + '\n');
  console.log(
    `${sample.calls.length} calls over ${Object.keys(sample.expected).length} customers -> ${out}.jsonl`,
  );
}
