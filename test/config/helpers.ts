/** Shared fixtures: a valid tenant to break one key at a time, and fake credentials built at run time. */
import type { ConfigIssue } from '../../cli/config/issues';
import { validateTenantConfig } from '../../cli/config/validate';

export type Json = Record<string, unknown>;

export function validTenant(): Json {
  return {
    tenantId: 'acme',
    joinKey: { identifiers: ['customerId'] },
    destinations: [
      {
        id: 'crm-main',
        type: 'http',
        baseUrl: 'https://crm.example.com',
        path: '/customers/{joinKey}',
        auth: { scheme: 'bearer', tokenSecret: 'crm-token' },
      },
    ],
  };
}

export function destination(config: Json, index = 0): Json {
  return (config.destinations as Json[])[index] as Json;
}

export function auth(config: Json, index = 0): Json {
  return destination(config, index).auth as Json;
}

export function issuesOf(input: unknown): ConfigIssue[] {
  const result = validateTenantConfig(input);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

/** Deterministic "random" characters, so no real-looking token is written in the repository. */
export function noise(length: number, alphabet: string, seed = 7): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[(state >>> 16) % alphabet.length];
  }
  return out;
}

export const HEX = '0123456789abcdef';
export const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
