/**
 * Typings for The Wallet Crew custom connector scripts, written from the platform's public docs.
 * Where the docs are silent (see shared/reference/twc-platform.md, "Unknowns") every field is
 * optional and loosely typed, because the connector must read the real values defensively.
 */

/** The wallet a pass was added to or removed from. */
export type WalletDevice = 'apple' | 'google';

/** Registration statistics for the pass on that wallet (published typedef name). */
export interface RegistrationInformation {
  /** Registrations currently active (devices holding the pass). */
  activeRegistrationCount?: number | null;
  /** Registrations ever made: each install raises it. */
  totalRegistrationCount?: number | null;
}

/** Where the installation came from (the download link's parameters). */
export interface RegistrationSource {
  tags?: string[] | null;
  medium?: string | null;
  origin?: string | null;
  userAgent?: string | null;
}

/**
 * The fifth hook argument. Its exact property names are not published: the counts may sit under
 * `registrationInformation` or directly on the object; the source under `registrationSource`.
 */
export interface AdditionalPassInstallationInformation extends RegistrationInformation {
  registrationInformation?: RegistrationInformation | null;
  registrationSource?: RegistrationSource | null;
  [key: string]: unknown;
}

/** The positional arguments both hooks receive, in the documented order. */
export type PassUpdaterHook = (
  passId: string,
  passType: string,
  identifiers: Record<string, unknown>,
  device: WalletDevice,
  additionalInformation: AdditionalPassInstallationInformation,
) => Promise<void>;

/** The members registered on `runtime.wallet.passUpdater`. */
export interface PassUpdaterHooks {
  OnPassInstalled: PassUpdaterHook;
  OnPassUninstalled: PassUpdaterHook;
}

/** Registration keys the platform documents, with the members each expects. */
export interface RegistrationContracts {
  'runtime.wallet.passUpdater': PassUpdaterHooks;
}

/** The object the platform hands to the script's default export. */
export interface ConnectorContext {
  register<K extends keyof RegistrationContracts>(key: K, members: RegistrationContracts[K]): void;
  register(key: string, members: Record<string, (...args: never[]) => unknown>): void;
}

/** The script's default export. */
export type ConnectorEntry = (context: ConnectorContext) => void;
