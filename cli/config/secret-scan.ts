/**
 * Refuses secret VALUES anywhere in a tenant file. A `*Secret` key must hold a secret's NAME; every
 * other string (header values, templates, ids, even keys) must not hold a credential either. Issues
 * show a value's first characters and length only, never the value.
 */
import { credentialKind, maskValue } from './credentials';
import type { ConfigIssue } from './issues';
import { secretNameHint } from './examples';
import { formatPath } from './paths';
import { isSecretNameKey, schemaAt, SECRET_NAME_PATTERN, type PathSegment } from './schema';

/** Header names that carry credentials: their value would be a secret written into the file. */
const CREDENTIAL_HEADERS =
  /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token)$/i;

const ROTATE = 'then rotate that credential: it has been written to a file';

function secretKeyIssue(path: PathSegment[], key: string, value: string): ConfigIssue | undefined {
  const kind = credentialKind(value);
  const name = `"${key}": ${secretNameHint(key, schemaAt(path))}`;
  if (kind) {
    return {
      path: formatPath(path),
      message: `holds what looks like ${kind} (${maskValue(value)}), not the NAME of a secret`,
      fix: `store the value as a secret of the tenant and write its name here, e.g. ${name}; ${ROTATE}`,
    };
  }
  if (!SECRET_NAME_PATTERN.test(value)) {
    return {
      path: formatPath(path),
      message: `is not a secret name (${maskValue(value)}): use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      fix: `write the name the secret is stored under, e.g. ${name}`,
    };
  }
  return undefined;
}

function headerFix(header: string, value: string): string {
  if (/^(proxy-)?authorization$/i.test(header)) {
    const basic = /^\s*basic\b/i.test(value);
    const auth = basic
      ? '{ "scheme": "basic", "usernameSecret": "<name>", "passwordSecret": "<name>" }'
      : '{ "scheme": "bearer", "tokenSecret": "<name of the secret holding the token>" }';
    return `remove this header and set "auth": ${auth}`;
  }
  return `remove this header and set "auth": { "scheme": "apiKey", "header": ${JSON.stringify(header)}, "secret": "<name of the secret holding the key>" }`;
}

function scanString(path: PathSegment[], value: string, inTemplate: boolean): ConfigIssue | undefined {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof key === 'string' && isSecretNameKey(key) && !inTemplate) return secretKeyIssue(path, key, value);
  if (parent === 'headers' && typeof key === 'string' && CREDENTIAL_HEADERS.test(key)) {
    return {
      path: formatPath(path),
      message: `the ${key} header written in the file is a credential in plain text (${maskValue(value)})`,
      fix: `${headerFix(key, value)}; ${ROTATE}`,
    };
  }
  const kind = credentialKind(value, { allowUuid: inTemplate });
  if (!kind) return undefined;
  return {
    path: formatPath(path),
    message: `holds what looks like ${kind} (${maskValue(value)}); secrets never go in a tenant file`,
    fix: `store it as a secret of the tenant and name it in the destination's "auth" (a *Secret key); ${ROTATE}`,
  };
}

export function scanForSecrets(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: PathSegment[], inTemplate: boolean): void => {
    if (typeof node === 'string') {
      const issue = scanString(path, node, inTemplate);
      if (issue) issues.push(issue);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index], inTemplate));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const kind = credentialKind(key, { allowUuid: inTemplate });
        if (kind) {
          issues.push({
            path: formatPath(path),
            message: `has a key that looks like ${kind} (${maskValue(key)})`,
            fix: `remove it; ${ROTATE}`,
          });
          continue;
        }
        const entersTemplate =
          inTemplate || (key === 'template' && typeof path[path.length - 1] === 'number');
        visit(value, [...path, key], entersTemplate);
      }
    }
  };
  visit(input, [], false);
  return issues;
}
