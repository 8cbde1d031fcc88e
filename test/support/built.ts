/**
 * Builds a tenant's upload bundle once per test file and loads it the way the platform would, in
 * the engine-like context (NiL.JS's built-ins only; fetch, timers and console lent).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTenant, type BuiltTenant } from '../../cli/commands/build';
import { loadBundle, type LoadedBundle } from '../../cli/build/load-bundle';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

export async function buildForTest(tenant: TenantConfig): Promise<BuiltTenant & { code: string }> {
  const built = await buildTenant(tenant, mkdtempSync(join(tmpdir(), 'twc-built-')));
  return Object.assign({}, built, { code: readFileSync(built.file, 'utf8') });
}

export interface LoadedForTest extends LoadedBundle {
  errorLines(): Array<Record<string, unknown>>;
  parsedLogs(): Array<Record<string, unknown>>;
}

export function loadForTest(code: string, secrets: Record<string, string>, timers = true): LoadedForTest {
  const bundle = loadBundle(code, { fetch, timers, secrets });
  const parsed = (): Array<Record<string, unknown>> =>
    bundle.logs.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { level: 'info', msg: line };
      }
    });
  return Object.assign(bundle, {
    parsedLogs: parsed,
    errorLines: () => parsed().filter((l) => l.level === 'error'),
  });
}
