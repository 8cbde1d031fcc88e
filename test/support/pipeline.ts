/**
 * Runs the connector in-process (Node host, no bundle) against loopback simulators: for tests of
 * the pipeline's behaviour. The bundle itself is tested through test/support/engine-context.ts.
 */
import { createConnector, type Connector, type HookOutcome } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createNodeHost } from '../../cli/node-host';
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import type { LogRecord } from '../../connector/platform/host';

export interface TestConnector {
  connector: Connector;
  logs: LogRecord[];
  call(hook: 'OnPassInstalled' | 'OnPassUninstalled', args: unknown[]): Promise<HookOutcome>;
}

export function startConnector(
  config: TenantConfig,
  secrets: Record<string, string>,
  now?: () => number,
): TestConnector {
  const logs: LogRecord[] = [];
  const host = createNodeHost({ secrets, log: (r) => logs.push(r), now });
  const connector = createConnector({ config, host, definitions: destinationDefinitions, random: () => 0.5 });
  return { connector, logs, call: (hook, args) => connector.handle(hook, args) };
}

/** The "acme" tenant (customerId, then the normalised email, as join key) with this one destination. */
export function acmeTenant(destination: DestinationConfig): TenantConfig {
  return {
    tenantId: 'acme',
    joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
    destinations: [destination],
  };
}

export function httpTenant(baseUrl: string, overrides: Record<string, unknown> = {}): TenantConfig {
  return acmeTenant(
    Object.assign(
      {
        id: 'crm',
        type: 'http' as const,
        baseUrl,
        auth: { scheme: 'apiKey' as const, header: 'X-API-KEY', secret: 'crm-key' },
        method: 'PUT' as const,
        path: '/customers/{joinKey}',
        route: { passTypes: ['loyalty'] },
        batch: { maxWaitMs: 5 },
        rateLimit: { requests: 2000, intervalMs: 1000, maxConcurrent: 16 },
      },
      overrides,
    ) as DestinationConfig,
  );
}

/** Runs calls with at most `concurrency` in flight, like the platform would. */
export async function runConcurrently<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<unknown>,
): Promise<Array<{ ok: boolean; error?: unknown }>> {
  const results: Array<{ ok: boolean; error?: unknown }> = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      try {
        await fn(items[i] as T);
        results[i] = { ok: true };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return results;
}
