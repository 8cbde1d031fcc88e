/**
 * build: validate a tenant file, then bundle the upload script for it (DESIGN §10).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import manifest from '../../connector.manifest.json';
import { buildBundle } from '../build/bundle';
import { loadTenantFile } from '../config/load';
import { renderTenantEntry } from '../tenant-entry';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

export const ROOT = join(__dirname, '..', '..');
export const SCRIPT_NAME = manifest.name;

export interface BuiltTenant {
  tenant: TenantConfig;
  file: string;
  bytes: number;
  gzipBytes: number;
}

export async function buildTenant(tenant: TenantConfig, outRoot = join(ROOT, 'dist')): Promise<BuiltTenant> {
  const outDir = join(outRoot, tenant.tenantId);
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, '.entry.ts');
  writeFileSync(entry, renderTenantEntry(tenant));
  const result = await buildBundle({ entry, tenantConfig: tenant, outDir, scriptName: SCRIPT_NAME });
  return { tenant, file: result.file, bytes: result.bytes, gzipBytes: result.gzipBytes };
}

export async function buildTenantFile(path: string): Promise<BuiltTenant> {
  return buildTenant(loadTenantFile(path));
}

export function tenantFiles(dir = join(ROOT, 'tenants')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function describeBuild(built: BuiltTenant): string {
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  return `${built.tenant.tenantId}: ${built.file} (${kb(built.bytes)} minified, ${kb(built.gzipBytes)} gzipped) -> upload to ${manifest.uploadPath}`;
}
