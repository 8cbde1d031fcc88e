/**
 * The connector's core data model. Pure data: no functions, no classes, nothing of the host.
 * Every other module speaks in these types.
 */

export type Wallet = 'apple' | 'google';
export type HookName = 'OnPassInstalled' | 'OnPassUninstalled';
export type EventKind = 'installed' | 'uninstalled';
export type EventName = 'Pass:Installed' | 'Pass:Uninstalled';

/** Registration counts as far as the platform sent them (each may be missing). */
export interface RegistrationCounts {
  active: number | null;
  total: number | null;
}

/**
 * What the platform's registration counts cover, as the tenant configures it: `auto` assumes neither
 * the event's wallet only (`perWallet`) nor the whole pass on both wallets (`perPass`).
 */
export type RegistrationCountsReading = 'auto' | 'perWallet' | 'perPass';

/** UTM parameters parsed from the registration origin URL. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface EventSource {
  tags: string[];
  medium: string | null;
  origin: string | null;
  userAgent: string | null;
  utm: Utm;
}

/**
 * Order of an event for one (pass, wallet). With both counts it is (total, -active): each install
 * raises the total, each uninstall lowers the active count at the same total. Without them it is
 * the time the connector received the event.
 */
export type OrderKey =
  { kind: 'counts'; total: number; active: number; atMs: number } | { kind: 'time'; atMs: number };

/** One hook call, validated and enriched. */
export interface WalletEvent {
  hook: HookName;
  name: EventName;
  kind: EventKind;
  passId: string;
  passType: string;
  wallet: Wallet;
  /** A sanitized copy of the pass identifiers (string, number and boolean values only). */
  identifiers: Record<string, string | number | boolean>;
  /** The customer's join key value, and the identifier it came from. */
  joinKey: string;
  joinKeyField: string;
  /** When the connector received the call (ISO 8601 and epoch ms). */
  receivedAt: string;
  receivedAtMs: number;
  registration: RegistrationCounts;
  orderKey: OrderKey;
  source: EventSource;
  /** Equal for two deliveries of the same platform event (duplicates). */
  idempotencyKey: string;
}

/** The seed's "Common CRM fields" (docs/architecture.md §6), in canonical names. */
export type WalletStatus = 'none' | 'apple' | 'google' | 'both';

export interface CanonicalFields {
  walletStatus: WalletStatus;
  /** ISO 8601, or null when not installed on that wallet. */
  appleWalletInstalledAt: string | null;
  googleWalletInstalledAt: string | null;
  /** ISO 8601 of the last applied change, null before any. */
  walletLastChangedAt: string | null;
  walletLastEvent: EventKind | null;
  /** Compact, versioned machine state (see domain/sync-state.ts). */
  walletSyncState: string;
}

export type CanonicalFieldName = keyof CanonicalFields;

export const CANONICAL_FIELD_NAMES: readonly CanonicalFieldName[] = [
  'walletStatus',
  'appleWalletInstalledAt',
  'googleWalletInstalledAt',
  'walletLastChangedAt',
  'walletLastEvent',
  'walletSyncState',
];
