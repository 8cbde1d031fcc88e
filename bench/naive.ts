/**
 * The baseline: the connector everyone writes first. One PUT per event with fetch, no throttle, no
 * retry, no read: a refused write is logged and forgotten (the hook resolves, so the platform never
 * delivers it again). It cannot compute an exact status: it does not know the other wallet, the other
 * devices, the other passes or which event is newer, so it writes what the one event says.
 * Only its HTTP connections are bounded (like the connector's maxConcurrent), which is pooling,
 * not throttling: requests leave as fast as the CRM answers.
 */
import type { Hooks } from './burst';

export interface NaiveOptions {
  baseUrl: string;
  apiKey: string;
  passTypes: string[];
  maxInFlight: number;
}

export interface NaiveConnector {
  hooks: Hooks;
  /** Events whose write the CRM refused (or that failed on the network): never retried, lost. */
  lost(): number;
}

function joinKeyOf(identifiers: unknown): string | null {
  if (!identifiers || typeof identifiers !== 'object') return null;
  const ids = identifiers as Record<string, unknown>;
  if (typeof ids.customerId === 'string' && ids.customerId) return ids.customerId;
  if (typeof ids.email === 'string' && ids.email.trim()) return ids.email.trim().toLowerCase();
  return null;
}

export function createNaiveConnector(options: NaiveOptions): NaiveConnector {
  let inFlight = 0;
  let lost = 0;
  const waiting: Array<() => void> = [];
  const slot = (): Promise<void> => {
    if (inFlight < options.maxInFlight) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };

  async function handle(installed: boolean, args: unknown[]): Promise<void> {
    const [passId, passType, identifiers, device] = args;
    const key = joinKeyOf(identifiers);
    if (!key || options.passTypes.indexOf(String(passType)) < 0) return;
    if (device !== 'apple' && device !== 'google') return;
    const now = new Date().toISOString();
    const body = {
      walletStatus: installed ? device : 'none',
      [`${device}WalletInstalledAt`]: installed ? now : null,
      walletLastEvent: installed ? 'installed' : 'uninstalled',
      walletLastChangedAt: now,
      passId,
    };
    await slot();
    try {
      const response = await fetch(`${options.baseUrl}/customers/${encodeURIComponent(key)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
        body: JSON.stringify(body),
      });
      await response.text();
      if (response.status >= 300) lost++;
    } catch {
      lost++;
    } finally {
      release();
    }
  }

  return {
    hooks: {
      OnPassInstalled: (...args: unknown[]) => handle(true, args),
      OnPassUninstalled: (...args: unknown[]) => handle(false, args),
    },
    lost: () => lost,
  };
}
