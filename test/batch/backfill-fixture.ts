/**
 * A small tenant for the backfill tests: what the Pass API says (the truth), the CRM state that the
 * real-time pipeline wrote from the same installs, and the final fields every customer must have.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { SimPass } from '../sim/pass-api';
import { httpTenant, startConnector } from '../support/pipeline';

export const CRM_KEY = 'crm-secret-4d1f9a';
export const TWC_KEY = 'twc-secret-77b2c0';
export const secrets = { 'crm-key': CRM_KEY, 'twc-api-key': TWC_KEY };

const T = (day: number, hour = 9): string => new Date(Date.UTC(2026, 9, day, hour)).toISOString();

/** c-7 has two loyalty passes (one per wallet); c-1 has a coupon pass that no destination takes. */
export function truthPasses(): SimPass[] {
  const p = (
    id: string,
    customerId: string | null,
    passType: string,
    apple: string | null,
    google: string | null,
  ): SimPass => ({
    id,
    passType,
    identifiers: customerId ? { customerId } : { memberNo: 'x' },
    providers: { apple, google },
  });
  return [
    p('p-1', 'c-1', 'loyalty', T(1), null),
    p('p-2', 'c-2', 'loyalty', T(2), null),
    p('p-3', 'c-3', 'loyalty', null, T(3)),
    p('p-4', 'c-4', 'loyalty', T(4), T(5)),
    p('p-5', 'c-5', 'loyalty', null, null),
    p('p-6', 'c-6', 'loyalty', T(6), null),
    p('p-7a', 'c-7', 'loyalty', T(7), null),
    p('c-1-coupon', 'c-1', 'coupon', null, T(8)),
    p('p-orphan', null, 'loyalty', T(9), null),
    p('p-7b', 'c-7', 'loyalty', null, T(10)),
  ];
}

/** Visible fields every customer must end with (walletLastChangedAt/syncState checked apart). */
export const EXPECTED: Record<string, { walletStatus: string; apple: string | null; google: string | null }> =
  {
    'c-1': { walletStatus: 'apple', apple: T(1), google: null },
    'c-2': { walletStatus: 'apple', apple: T(2), google: null },
    'c-3': { walletStatus: 'google', apple: null, google: T(3) },
    'c-4': { walletStatus: 'both', apple: T(4), google: T(5) },
    'c-6': { walletStatus: 'apple', apple: T(6), google: null },
    'c-7': { walletStatus: 'both', apple: T(7), google: T(10) },
  };

export function tenant(
  crmUrl: string,
  passApiUrl: string,
  overrides: Record<string, unknown> = {},
): TenantConfig {
  const config = httpTenant(crmUrl, overrides);
  return Object.assign(config, { platform: { baseUrl: passApiUrl, apiKeySecret: 'twc-api-key' } });
}

/**
 * The CRM as the real-time pipeline left it: each install delivered at the instant the Pass API
 * reports, so a correct record agrees with the truth. c-5 installed on Google, and the uninstall
 * never arrived (the Pass API says nothing is installed).
 */
export async function seedThroughHooks(config: TenantConfig): Promise<void> {
  let now = 0;
  const t = startConnector(config, secrets, () => now);
  const install = async (passId: string, customerId: string, wallet: string, at: string): Promise<void> => {
    now = Date.parse(at);
    await t.call('OnPassInstalled', [
      passId,
      'loyalty',
      { customerId },
      wallet,
      { activeRegistrationCount: 1, totalRegistrationCount: 1 },
    ]);
  };
  await install('p-1', 'c-1', 'apple', T(1));
  await install('p-2', 'c-2', 'apple', T(2));
  await install('p-3', 'c-3', 'google', T(3));
  await install('p-4', 'c-4', 'apple', T(4));
  await install('p-4', 'c-4', 'google', T(5));
  await install('p-5', 'c-5', 'google', T(5, 12));
  await install('p-6', 'c-6', 'apple', T(6));
  await install('p-7a', 'c-7', 'apple', T(7));
  await install('p-7b', 'c-7', 'google', T(10));
  await t.connector.idle();
  t.connector.stop();
}

export function tempCheckpoint(): string {
  return join(mkdtempSync(join(tmpdir(), 'twc-backfill-')), 'checkpoint.json');
}

export function visible(record: Record<string, unknown> | undefined): unknown {
  if (!record) return undefined;
  return {
    walletStatus: record.walletStatus,
    apple: record.appleWalletInstalledAt ?? null,
    google: record.googleWalletInstalledAt ?? null,
  };
}
