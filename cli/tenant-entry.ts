/**
 * The per-tenant entry the build bundles: the tenant's config inlined (through the build's
 * `twc:tenant-config` module) and only the destination types that tenant uses imported, so one
 * tenant's script carries no other CRM's code.
 */
import { join } from 'node:path';
import type { TenantConfig } from '../connector/config/tenant-config.generated';

const root = join(__dirname, '..');

/** Export name of each destination type's definition, by folder. */
const DEFINITION_EXPORTS: Record<string, string> = {
  http: 'httpDestination',
  hubspot: 'hubspotDestination',
  salesforce: 'salesforceDestination',
  braze: 'brazeDestination',
  klaviyo: 'klaviyoDestination',
  dynamics: 'dynamicsDestination',
};

export function renderTenantEntry(config: TenantConfig): string {
  const types: string[] = [];
  for (const d of config.destinations) if (types.indexOf(d.type) < 0) types.push(d.type);
  const lines = [
    "import tenantConfig from 'twc:tenant-config';",
    `import { registerConnector } from ${JSON.stringify(join(root, 'connector/index.ts'))};`,
  ];
  for (const type of types) {
    const name = DEFINITION_EXPORTS[type];
    if (!name) throw new Error(`no destination definition for type "${type}"`);
    lines.push(`import { ${name} } from ${JSON.stringify(join(root, `connector/destinations/${type}/definition.ts`))};`);
  }
  lines.push(
    'export default function (context) {',
    `  registerConnector(context, tenantConfig, { ${types.map((t) => `${t}: ${DEFINITION_EXPORTS[t]}`).join(', ')} });`,
    '}',
    '',
  );
  return lines.join('\n');
}
