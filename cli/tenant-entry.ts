/**
 * The per-tenant entry the build bundles: the tenant's config inlined (through the build's
 * `twc:tenant-config` module) and only the destination types that tenant uses imported, so one
 * tenant's script carries no other CRM's code.
 */
import { join } from 'node:path';
import type { TenantConfig } from '../connector/config/tenant-config.generated';

const root = join(__dirname, '..');

/**
 * Convention: connector/destinations/<type>/definition.ts exports `<type>Destination`, so adding a
 * CRM adds a folder and touches no file here.
 */
function exportName(type: string): string {
  return `${type}Destination`;
}

export function renderTenantEntry(config: TenantConfig): string {
  const types: string[] = [];
  for (const d of config.destinations) if (types.indexOf(d.type) < 0) types.push(d.type);
  const lines = [
    "import tenantConfig from 'twc:tenant-config';",
    `import { registerConnector } from ${JSON.stringify(join(root, 'connector/index.ts'))};`,
  ];
  for (const type of types) {
    const name = exportName(type);
    lines.push(
      `import { ${name} } from ${JSON.stringify(join(root, `connector/destinations/${type}/definition.ts`))};`,
    );
  }
  lines.push(
    'export default function (context) {',
    `  registerConnector(context, tenantConfig, { ${types.map((t) => `${t}: ${exportName(t)}`).join(', ')} });`,
    '}',
    '',
  );
  return lines.join('\n');
}
