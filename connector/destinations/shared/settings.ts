/**
 * Checks a destination's `resolve` shares: a configuration error names the tenant-file key and the
 * fix, and is raised once at registration rather than on every event.
 */
import { ConnectorError } from '../../delivery/errors';
import type { ResolvedDestination } from '../types';

export function configurationError(config: ResolvedDestination, message: string): ConnectorError {
  return new ConnectorError('configuration', `${config.type} destination "${config.id}": ${message}`, {
    destination: config.id,
  });
}

/** `apiVersion` with its leading "v" (62.0 -> v62.0), checked against the form the CRM uses. */
export function apiVersion(
  config: ResolvedDestination,
  fallback: string,
  form: RegExp,
  example: string,
): string {
  const given = config.raw.apiVersion;
  const version = given ? (given.charAt(0) === 'v' ? given : `v${given}`) : fallback;
  if (!form.test(version))
    throw configurationError(config, `"apiVersion" "${version}" is not like ${example}`);
  return version;
}

/** The CRM names of the canonical fields, in canonical order. */
export function propertyNames(config: ResolvedDestination): string[] {
  const props = config.properties as Record<string, string>;
  const names = Object.keys(props);
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) out.push(props[names[i] as string] as string);
  return out;
}

/** Every name must pass `valid` (e.g. Salesforce API names); `kind` says what the CRM calls them. */
export function checkNames(config: ResolvedDestination, names: string[], valid: RegExp, kind: string): void {
  for (let i = 0; i < names.length; i++) {
    if (!valid.test(names[i] as string)) {
      throw configurationError(
        config,
        `"${names[i]}" is not a ${kind}: fix "objectType", "externalIdField" or "properties"`,
      );
    }
  }
}
