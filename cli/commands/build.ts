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
import { readsBeforeWriting } from '../../connector/delivery/rmw-job';
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

/** A destination in writeOnly mode (set, or its type's default), or of a type that cannot read. */
function writesWithoutReading(d: TenantConfig['destinations'][number]): boolean {
  const definition = destinationDefinitions[d.type];
  return !definition || !readsBeforeWriting(d.mode || definition.defaultMode, definition);
}

/**
 * Large packages and connector modules only some tenants need, replaced by stubs that fail loudly
 * if ever reached: jsrsasign (RS256 signing, ~300 KB) for the OAuth2 jwt_bearer grant, the auth
 * schemes no destination uses (for oauth2 the whole OAuth2 client), the http payload template
 * (json-e), writeOnly mode, a call's share at several destinations; and, in every script, the
 * latency samples only the Node tools read. Keys: package names, or absolute file paths.
 */
export function unusedModuleStubs(tenant: TenantConfig): Record<string, string> {
  const stubs: Record<string, string> = {};
  // A stub's source: `body(fail)` is its exports' source, `fail` the call that throws the shared
  // message (connector/not-built-in.ts), so each stub costs a line. Keyed by package name, or by
  // a connector file's path (stubFile).
  const stubSource = (what: string, body: (fail: string) => string): string =>
    `import { notBuiltIn } from ${JSON.stringify(join(ROOT, 'connector', 'not-built-in.ts'))};\n${body(`notBuiltIn(${JSON.stringify(what)})`)}\n`;
  const stubFile = (file: string, what: string, body: (fail: string) => string): void => {
    stubs[join(ROOT, 'connector', file)] = stubSource(what, body);
  };
  if (!tenant.destinations.some((d) => d.auth.scheme === 'oauth2' && d.auth.grant === 'jwt_bearer')) {
    stubs.jsrsasign = stubSource('the jwt_bearer grant', (fail) =>
      [
        `function missing() { return ${fail}; }`,
        'export var KJUR = { jws: { JWS: { sign: missing } } };',
        'export var KEYUTIL = { getKey: missing };',
        'export default { KJUR: KJUR, KEYUTIL: KEYUTIL };',
      ].join('\n'),
    );
  }
  // One module per auth scheme (for oauth2 the whole client: token endpoint, cache, assertion).
  for (const scheme of Object.keys(AUTH_SCHEME_MODULES)) {
    if (tenant.destinations.some((d) => d.auth.scheme === scheme)) continue;
    const [file, name] = AUTH_SCHEME_MODULES[scheme] as [string, string];
    stubFile(
      `auth/${file}`,
      `the ${scheme} auth scheme`,
      (fail) => `export function ${name}() { return ${fail}; }`,
    );
  }
  if (!tenant.destinations.some((d) => d.type === 'http' && d.template !== undefined)) {
    stubFile(
      'destinations/http/template.ts',
      'the http payload template',
      (fail) => `export function renderTemplate() { return ${fail}; }`,
    );
  }
  // The class stubs are ES5 constructors: a class would cost its lowering in every script.
  if (tenant.destinations.length < 2) {
    stubFile(
      'destination-part.ts',
      'a call routed to several destinations',
      (fail) => `export function DestinationPart() { ${fail}; }`,
    );
  }
  if (!tenant.destinations.some(writesWithoutReading)) {
    stubFile(
      'delivery/write-only-fields.ts',
      'the writeOnly mode',
      (fail) => `export function writeOnlyFields() { return ${fail}; }`,
    );
  }
  // Node only, whatever the tenant: the upload script has no reader of latencies (serve's health does).
  stubFile('delivery/latency-samples.ts', 'latency reporting', (fail) =>
    [
      'export function LatencySamples() {}',
      'LatencySamples.prototype.record = function () {};',
      `LatencySamples.prototype.summary = function () { return ${fail}; };`,
    ].join('\n'),
  );
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
