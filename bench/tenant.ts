/**
 * The benchmark's tenant: the example tenant's http destination (PUT /customers/{joinKey}, API key,
 * readModifyWrite, 20 ms batching wait), once per scenario, each routed by its own pass type and
 * pointed at its own simulator. One tenant means ONE build (a build takes 10-20 s) for every section.
 */
import type { TenantConfig } from '../connector/config/tenant-config.generated';

export const SECRET_NAME = 'bench-crm-key';

export type ScenarioId = 'right' | 'unknown' | 'overhead' | 'memory';

export interface ScenarioDestination {
  id: ScenarioId;
  baseUrl: string;
  /** The rate the tenant file CLAIMS; the simulator may enforce another. */
  configuredRate: { requests: number; intervalMs: number; maxConcurrent: number };
}

/** The pass type the bench gives a scenario's calls, so they reach only its destination. */
export function passTypeOf(id: ScenarioId): string {
  return `bench-${id}`;
}

export function benchTenant(destinations: ScenarioDestination[]): TenantConfig {
  return {
    tenantId: 'bench',
    joinKey: { identifiers: ['customerId', 'email'], normalizeEmail: true },
    destinations: destinations.map((d) => ({
      id: d.id,
      type: 'http' as const,
      baseUrl: d.baseUrl,
      auth: { scheme: 'apiKey' as const, header: 'X-API-KEY', secret: SECRET_NAME },
      method: 'PUT' as const,
      path: '/customers/{joinKey}',
      route: { passTypes: [passTypeOf(d.id)] },
      batch: { maxWaitMs: 20 },
      rateLimit: d.configuredRate,
    })),
  } as TenantConfig;
}
