/**
 * Auth keys that the chosen scheme (or grant) never reads. The schema allows every key for every
 * scheme, so `{ "scheme": "bearer", "secret": "x" }` passes it and fails at run time; here it is
 * one issue that names the key the scheme does read. Which scheme (and grant) reads a key is data:
 * AUTH_FIELDS in tenant-schema.ts, which the schema is generated from too.
 */
import type { ConfigIssue } from './issues';
import { formatPath } from './paths';
import { isSecretNameKey, requiredFor, schemaAt, type PathSegment } from './schema';
import { AUTH_FIELDS, type AuthOwner } from './tenant-schema';

/** An issue that makes another (at `supersedes`) redundant: validate drops that one. */
export type SupersedingIssue = ConfigIssue & { supersedes?: string };

const authSchema = schemaAt(['destinations', 0, 'auth']);

/** The scheme (and grant) that reads an auth key; undefined for `scheme` itself and unknown keys. */
export function ownerOf(key: string): AuthOwner | undefined {
  return Object.prototype.hasOwnProperty.call(AUTH_FIELDS, key) ? AUTH_FIELDS[key]?.owner : undefined;
}

export function unusedAuthKeys(auth: unknown, base: PathSegment[]): SupersedingIssue[] {
  if (!authSchema || auth === null || typeof auth !== 'object' || Array.isArray(auth)) return [];
  const object = auth as Record<string, unknown>;
  const scheme = object.scheme;
  const schemes = (authSchema.properties?.scheme?.enum ?? []) as unknown[];
  if (typeof scheme !== 'string' || !schemes.includes(scheme)) return [];
  const grant = typeof object.grant === 'string' ? object.grant : undefined;
  const needed = requiredFor(authSchema, object);
  const missingSecrets = needed.filter((k) => isSecretNameKey(k) && !(k in object));
  const issues: SupersedingIssue[] = [];
  for (const key of Object.keys(object)) {
    const owner = ownerOf(key);
    if (!owner) continue;
    if (owner.scheme === scheme && (!owner.grant || owner.grant === grant)) continue;
    const usedBy = owner.grant
      ? `scheme "${owner.scheme}" with grant "${owner.grant}"`
      : `scheme "${owner.scheme}"`;
    const current =
      grant && scheme === 'oauth2' ? `scheme "oauth2" with grant "${grant}"` : `scheme "${scheme}"`;
    const path = formatPath([...base, key]);
    if (isSecretNameKey(key) && missingSecrets.length === 1) {
      const wanted = missingSecrets[0] as string;
      issues.push({
        path,
        message: `is not read by ${current}, which takes its secret name from "${wanted}"`,
        fix: `rename "${key}" to "${wanted}"`,
        supersedes: formatPath([...base, wanted]),
      });
    } else {
      issues.push({
        path,
        message: `is not read by ${current} (only by ${usedBy})`,
        fix: `remove "${key}", or set the scheme it belongs to`,
      });
    }
  }
  return issues;
}
