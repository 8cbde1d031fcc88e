/**
 * build: validate a tenant file, then bundle the upload script for it (docs/architecture.md §10).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import manifest from '../../connector.manifest.json';
import { describeSizes, type SizeByModule } from '../build/analyze';
import { buildBundle } from '../build/bundle';
import { loadTenantFile } from '../config/load';
import { renderTenantEntry } from '../tenant-entry';
import { destinationDefinitions } from '../../connector/destinations/registry';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';

export const ROOT = join(__dirname, '..', '..');
export const SCRIPT_NAME = manifest.name;

export interface BuiltTenant {
  tenant: TenantConfig;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** With `analyze`: the size by module. */
  sizes?: SizeByModule;
}

export async function buildTenant(
  tenant: TenantConfig,
  outRoot = join(ROOT, 'dist'),
  analyze = false,
  /** False for readable names (bench/memory-heap.ts counts objects by constructor). */
  minify = true,
): Promise<BuiltTenant> {
  const outDir = join(outRoot, tenant.tenantId);
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, '.entry.ts');
  writeFileSync(entry, renderTenantEntry(tenant));
  const result = await buildBundle({
    entry,
    tenantConfig: tenant,
    outDir,
    scriptName: SCRIPT_NAME,
    stubModules: unusedModuleStubs(tenant),
    analyze,
    minify,
  });
  return { tenant, file: result.file, bytes: result.bytes, gzipBytes: result.gzipBytes, sizes: result.sizes };
}

/** Each auth scheme's module under connector/auth/ and the function it exports. */
const AUTH_SCHEME_MODULES: Record<string, [string, string]> = {
  apiKey: ['api-key.ts', 'createApiKeyAuth'],
  bearer: ['bearer.ts', 'createBearerAuth'],
  basic: ['basic.ts', 'createBasicAuth'],
  oauth2: ['oauth2.ts', 'createOAuth2Auth'],
};

/** As delivery/rmw-job.ts decides: a destination in writeOnly mode, or of a type that cannot read. */
function writesWithoutReading(d: TenantConfig['destinations'][number]): boolean {
  const definition = destinationDefinitions[d.type];
  return !definition || !definition.read || (d.mode || definition.defaultMode) === 'writeOnly';
}

/**
 * Large packages and connector modules only some tenants need, replaced by stubs that fail loudly
 * if ever reached: jsrsasign (RS256 signing, ~300 KB) for the OAuth2 jwt_bearer grant, the auth schemes no
 * destination uses (the OAuth2 client for oauth2), the http payload template (json-e), the share of a call routed to several destinations. Keys: package names, or absolute file paths.
 */
export function unusedModuleStubs(tenant: TenantConfig): Record<string, string> {
  const stubs: Record<string, string> = {};
  const unused = (what: string): string =>
    `function missing() { throw new Error(${JSON.stringify(`${what} is not built into this tenant's script: rebuild it from a tenant file that uses it`)}); }`;
  // A connector file's stub shares that message (connector/not-built-in.ts), so each costs a line.
  const unusedFile = (what: string): string =>
    `import { notBuiltIn } from ${JSON.stringify(join(ROOT, 'connector', 'not-built-in.ts'))};\nfunction missing() { return notBuiltIn(${JSON.stringify(what)}); }`;
  if (!tenant.destinations.some((d) => d.auth.scheme === 'oauth2' && d.auth.grant === 'jwt_bearer')) {
    stubs.jsrsasign = `${unused('the jwt_bearer grant')}\nexport var KJUR = { jws: { JWS: { sign: missing } } };\nexport var KEYUTIL = { getKey: missing };\nexport default { KJUR: KJUR, KEYUTIL: KEYUTIL };\n`;
  }
  // One module per auth scheme (for oauth2 the whole client: token endpoint, cache, assertion).
  for (const scheme of Object.keys(AUTH_SCHEME_MODULES)) {
    if (tenant.destinations.some((d) => d.auth.scheme === scheme)) continue;
    const [file, name] = AUTH_SCHEME_MODULES[scheme] as [string, string];
    stubs[join(ROOT, 'connector', 'auth', file)] =
      `${unusedFile(`the ${scheme} auth scheme`)}\nexport function ${name}(): never { return missing(); }\n`;
  }
  if (!tenant.destinations.some((d) => d.type === 'http' && d.template !== undefined)) {
    stubs[join(ROOT, 'connector', 'destinations', 'http', 'template.ts')] =
      `${unusedFile('the http payload template')}\nexport function renderTemplate(): never { return missing(); }\n`;
  }
  // The class stubs are ES5 constructors: a class would cost its lowering in every script.
  if (tenant.destinations.length < 2) {
    stubs[join(ROOT, 'connector', 'destination-part.ts')] =
      `${unusedFile('a call routed to several destinations')}\nexport function DestinationPart() { missing(); }\n`;
  }
  if (!tenant.destinations.some(writesWithoutReading)) {
    stubs[join(ROOT, 'connector', 'delivery', 'write-only-fields.ts')] =
      `${unusedFile('the writeOnly mode')}\nexport function writeOnlyFields(): never { return missing(); }\n`;
  }
  // Node only, whatever the tenant: the upload script has no reader of latencies (serve's health does).
  stubs[join(ROOT, 'connector', 'delivery', 'latency-samples.ts')] =
    `${unusedFile('latency reporting')}\nexport function LatencySamples() {}\nLatencySamples.prototype.record = function () {};\nLatencySamples.prototype.summary = missing;\n`;
  return stubs;
}

export async function buildTenantFile(path: string, analyze = false): Promise<BuiltTenant> {
  return buildTenant(loadTenantFile(path), undefined, analyze);
}

export function tenantFiles(dir = join(ROOT, 'tenants')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function describeBuild(built: BuiltTenant): string {
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  const line = `${built.tenant.tenantId}: ${built.file} (${kb(built.bytes)} minified, ${kb(built.gzipBytes)} gzipped) -> upload to ${manifest.uploadPath}`;
  return built.sizes
    ? `${line}\nsize by module (minified before the ES5 lowering):\n${describeSizes(built.sizes, built.bytes)}`
    : line;
}
