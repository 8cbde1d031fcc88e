/**
 * Auth keys that the chosen scheme (or grant) never reads. The schema allows every key for every
 * scheme, so `{ "scheme": "bearer", "secret": "x" }` passes it and fails at run time; here it is
 * one issue that names the key the scheme does read. Which scheme a key belongs to comes from the
 * schema's descriptions, which all start with it ("bearer: the token ...").
 */
import type { ConfigIssue } from './issues';
import { formatPath } from './paths';
import { isSecretNameKey, requiredFor, schemaAt, type PathSegment } from './schema';

/** An issue that makes another (at `supersedes`) redundant: validate drops that one. */
export type SupersedingIssue = ConfigIssue & { supersedes?: string };

const authSchema = schemaAt(['destinations', 0, 'auth']);

/** "oauth2 jwt_bearer: ..." -> { scheme: "oauth2", grant: "jwt_bearer" } */
export function ownerOf(key: string): { scheme: string; grant?: string } | undefined {
  const description = authSchema?.properties?.[key]?.description ?? '';
  const match = /^(apiKey|bearer|basic|oauth2)(?: (client_credentials|refresh_token|jwt_bearer))?:/.exec(
    description,
  );
  if (!match) return undefined;
  return { scheme: match[1] as string, grant: match[2] };
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
