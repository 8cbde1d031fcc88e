/**
 * Example values used in fixes ("add "path": "/customers/{joinKey}""). Kept beside the checks rather
 * than in the schema: they are wording, not contract. Keys missing here fall back to the schema.
 */
import type { JsonSchema } from './schema';
import { quoteList } from './text';

const EXAMPLES: Record<string, string> = {
  tenantId: '"acme"',
  joinKey: '{ "identifiers": ["customerId"] }',
  identifiers: '["customerId"]',
  destinations:
    '[{ "id": "crm-main", "type": "http", "baseUrl": "https://api.example.com", "path": "/customers/{joinKey}", "auth": { "scheme": "bearer", "tokenSecret": "crm-token" } }]',
  id: '"crm-main"',
  baseUrl: '"https://api.example.com"',
  auth: '{ "scheme": "bearer", "tokenSecret": "crm-token" }',
  header: '"X-API-KEY"',
  prefix: '"Klaviyo-API-Key "',
  tokenUrl: '"https://login.example.com/oauth2/token"',
  scope: '"https://org.crm.dynamics.com/.default"',
  audience: '"https://login.salesforce.com"',
  subject: '"integration@example.com"',
  path: '"/customers/{joinKey}"',
  readPath: '"/customers/{joinKey}"',
  idProperty: '"customer_id"',
  objectType: '"Contact"',
  externalIdField: '"Customer_Id__c"',
  apiVersion: '"v62.0"',
  passTypes: '["loyalty"]',
  devices: '["apple", "google"]',
  events: '["installed", "uninstalled"]',
  headers: '{ "X-Source": "wallet-connector" }',
};

/** "the token" from "bearer: the token. The NAME of a secret ..." */
function secretSubject(description: string | undefined): string {
  const first = (description ?? 'the secret').split('. ')[0] as string;
  const withoutScope = first.replace(/^[A-Za-z0-9_ /]+:\s*/, '');
  return withoutScope.charAt(0).toLowerCase() + withoutScope.slice(1);
}

export function secretNameHint(key: string, schema: JsonSchema | undefined): string {
  return `"<name of the secret holding ${secretSubject(schema?.description)}>"`;
}

/** A value to show after `"key": ` in a fix. */
export function exampleFor(key: string, schema: JsonSchema | undefined): string {
  if (/(^s|S)ecret$/.test(key)) return secretNameHint(key, schema);
  if (schema?.enum)
    return schema.enum.length === 1 ? quoteList(schema.enum) : `one of ${quoteList(schema.enum)}`;
  if (schema?.type === 'boolean') return 'true';
  if (schema?.type === 'integer' || schema?.type === 'number')
    return String(schema.default ?? schema.minimum ?? 1);
  const known = EXAMPLES[key];
  if (known) return known;
  if (schema?.default !== undefined) return JSON.stringify(schema.default);
  switch (schema?.type) {
    case 'array':
      return '[ ... ]';
    case 'object':
      return '{ ... }';
    default:
      return '"..."';
  }
}
