/**
 * What a `writeOnly` destination writes, never having read the record. Its own module, so a tenant
 * whose destinations all read before they write does not carry it (the build stubs it,
 * cli/commands/build.ts).
 */
import type { CanonicalFields, WalletEvent } from '../domain/types';

/** Fields of the wallets these events touch, for write-only destinations that never read. */
export function writeOnlyFields(
  next: CanonicalFields,
  events: WalletEvent[],
  names: Record<string, string>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const touched = (wallet: string): boolean => events.some((e) => e.wallet === wallet);
  if (touched('apple')) out[names.appleWalletInstalledAt as string] = next.appleWalletInstalledAt;
  if (touched('google')) out[names.googleWalletInstalledAt as string] = next.googleWalletInstalledAt;
  out[names.walletLastEvent as string] = next.walletLastEvent;
  out[names.walletLastChangedAt as string] = next.walletLastChangedAt;
  return out;
}
