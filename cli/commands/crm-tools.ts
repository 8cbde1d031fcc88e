/**
 * test-auth and setup-crm: one-off calls per destination, through the same auth, limiter, retry
 * and error classification as the connector itself (a Node host, secrets from a file).
 */
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { isConnectorError } from '../../connector/delivery/errors';
import { destinationDescriptions } from '../config/destinations';
import { createNodeHost } from '../node-host';
import { manualSteps } from '../setup/manual-steps';
import { UsageError } from '../exit-codes';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { DestinationRuntime } from '../../connector/delivery/destination-runtime';
import type { DestinationDescription } from '../../connector/destinations/describe';
import type { LogRecord } from '../../connector/platform/host';

export interface ToolResult {
  destination: string;
  type: string;
  ok: boolean;
  lines: string[];
}

function destinationsFor(
  tenant: TenantConfig,
  secrets: Record<string, string>,
  only: string | undefined,
  logs: LogRecord[],
): DestinationRuntime[] {
  const host = createNodeHost({ secrets, log: (r) => logs.push(r) });
  // A person is waiting: fail within seconds rather than the hooks' 25 s retry budget.
  const config = Object.assign({}, tenant, {
    destinations: tenant.destinations.map((d) =>
      Object.assign({}, d, { retry: Object.assign({}, d.retry, { maxAttempts: 2, maxElapsedMs: 5000 }) }),
    ),
  });
  const connector = createConnector({ config, host, definitions: destinationDefinitions });
  const chosen = connector.destinations.filter((d) => !only || d.destination.id === only);
  if (chosen.length === 0) throw new UsageError(`no destination "${only}" in tenant ${tenant.tenantId}`);
  return chosen;
}

/** The CLI side of a running destination (its type is registered, or createConnector refused it). */
function descriptionOf(d: DestinationRuntime): DestinationDescription {
  return destinationDescriptions[d.destination.type] as DestinationDescription;
}

function failureLine(error: unknown): string {
  if (isConnectorError(error))
    return `${error.kind} error${error.status ? ` (HTTP ${error.status})` : ''}: ${error.reason}`;
  return error instanceof Error ? error.message : String(error);
}

type OpenDestination = ReturnType<typeof destinationsFor>[number];

/** Runs `work` for each chosen destination in turn: its lines, or the failure, as one result. */
async function forEachDestination(
  tenant: TenantConfig,
  secrets: Record<string, string>,
  only: string | undefined,
  work: (d: OpenDestination) => Promise<string[]>,
): Promise<ToolResult[]> {
  const logs: LogRecord[] = [];
  const results: ToolResult[] = [];
  for (const d of destinationsFor(tenant, secrets, only, logs)) {
    const base = { destination: d.destination.id, type: d.destination.type };
    try {
      results.push(Object.assign({ ok: true, lines: await work(d) }, base));
    } catch (error) {
      results.push(Object.assign({ ok: false, lines: [failureLine(error)] }, base));
    }
    d.stop();
  }
  return results;
}

export function testAuth(
  tenant: TenantConfig,
  secrets: Record<string, string>,
  only?: string,
): Promise<ToolResult[]> {
  return forEachDestination(tenant, secrets, only, async (d) => [
    await descriptionOf(d).testAuth(d.context()),
  ]);
}

export function setupCrm(
  tenant: TenantConfig,
  secrets: Record<string, string>,
  only?: string,
): Promise<ToolResult[]> {
  return forEachDestination(tenant, secrets, only, async (d) => {
    const description = descriptionOf(d);
    return description.setup
      ? description.setup(d.context())
      : ['Create these by hand (the API cannot, or need not):', ...manualSteps(d.destination)];
  });
}

export function formatToolResults(results: ToolResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.destination} (${r.type}): ${r.ok ? 'ok' : 'FAILED'}`);
    for (const line of r.lines) out.push(`  ${line}`);
  }
  return out.join('\n');
}
