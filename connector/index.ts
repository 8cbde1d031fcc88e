/**
 * The uploaded script's registration. The build generates a tiny per-tenant entry (see
 * cli/tenant-entry.ts) that inlines the tenant's config and imports only the destination types it
 * uses, then calls registerConnector from its default export:
 *
 *   export default function (context) { registerConnector(context, config, { hubspot: ... }) }
 *
 * The hooks handed to the platform come from platform/host-boundary: in the bundle they are native
 * `async function` declarations that await the connector's work (docs/architecture.md §4).
 */
import { getSecret } from 'neo/secrets';
import type { ConnectorContext } from '@thewalletcrew/connector-sdk-types';
import { startConnector } from './runtime';
import { hostFromGlobals } from './platform/globals';
import { hostHooks, setHookTarget } from './platform/host-boundary';
import type { TenantConfig } from './config/tenant-config.generated';
import type { DestinationDefinition } from './destinations/types';
import type { HookName } from './domain/types';

export function registerConnector(
  context: ConnectorContext,
  config: TenantConfig,
  definitions: Record<string, DestinationDefinition>,
): void {
  // Fails here, at registration, with one clear message when the host lacks HTTP.
  const host = hostFromGlobals(getSecret);
  const connector = startConnector({ config, host, definitions });
  connector.log.info('connector registered', {
    tenantId: config.tenantId,
    destinations: config.destinations.map((d) => `${d.id} (${d.type})`),
    capabilities: host.capabilities,
  });
  // The platform's hooks resolve with nothing (the host boundary drops the outcome, which is for
  // in-process callers: serve, tools). The call's settlement, not a promise chain, is what a call
  // waiting in the queue keeps (call-settlement.ts).
  // Typed as the hook target asks (nothing): both hook drivers listen and drop the value.
  const hook = (name: HookName, args: unknown[]): PromiseLike<void> =>
    connector.start(name, args) as PromiseLike<unknown> as PromiseLike<void>;
  setHookTarget({
    installed: (...args: unknown[]) => hook('OnPassInstalled', args),
    uninstalled: (...args: unknown[]) => hook('OnPassUninstalled', args),
  });
  context.register('runtime.wallet.passUpdater', {
    OnPassInstalled: hostHooks.OnPassInstalled,
    OnPassUninstalled: hostHooks.OnPassUninstalled,
  });
}
