/**
 * validateTenantConfig: the one gate a tenant file passes before build, replay or any CLI command.
 * JSON Schema (from the manifest) first, then what the schema cannot say: secret values, unique
 * ids, path placeholders, header names, and the json-e payload template evaluated on samples.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { issuesFromAjv } from './ajv-issues';
import { redactCredentials } from './credentials';
import { tidyIssues, type ConfigIssue } from './issues';
import { ROOT_PATH } from './paths';
import { configSchema } from './schema';
import { scanForSecrets } from './secret-scan';
import { semanticIssues } from './semantic';
import { templateIssues } from './template-check';
import { urlPolicyIssues } from './url-policy';

export type { ConfigIssue } from './issues';
export type ValidationResult = { ok: true; config: TenantConfig } | { ok: false; errors: ConfigIssue[] };

let compiled: ValidateFunction | undefined;

/** Compiled on first use and kept: compiling costs far more than validating. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // strictRequired is off because `then: { required }` names keys declared beside the `if`, not in it.
    const ajv = new Ajv({
      allErrors: true,
      useDefaults: true,
      strict: true,
      strictRequired: false,
      verbose: true,
    });
    addFormats(ajv);
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}

/** A JSON-only deep copy: defaults are written into it, never into the caller's object. */
function copyJson(input: unknown): unknown {
  return input === undefined ? undefined : JSON.parse(JSON.stringify(input));
}

export function validateTenantConfig(input: unknown): ValidationResult {
  let copy: unknown;
  try {
    copy = copyJson(input);
  } catch {
    const issue = {
      path: ROOT_PATH,
      message: 'is not plain JSON data',
      fix: 'pass the parsed contents of a tenant .json file',
    };
    return { ok: false, errors: [issue] };
  }
  const validate = schemaValidator();
  const schemaIssues = validate(copy) ? [] : issuesFromAjv(validate.errors ?? [], copy);
  const secretIssues = scanForSecrets(input);
  const ruleIssues = semanticIssues(input);
  // A refused secret is the real problem at its path (its length or pattern errors are noise), and
  // a misnamed auth key explains the "required" error of the key it should have been.
  const secretPaths = new Set(secretIssues.map((issue) => issue.path));
  const covered = new Set([
    ...secretPaths,
    ...ruleIssues.flatMap((issue) => (issue.supersedes ? [issue.supersedes] : [])),
  ]);
  const issues = [
    ...schemaIssues.filter((issue) => !covered.has(issue.path)),
    ...secretIssues,
    ...ruleIssues.filter((issue) => !secretPaths.has(issue.path)),
    ...templateIssues(copy),
    ...urlPolicyIssues(input),
  ].map((issue) => ({
    path: redactCredentials(issue.path),
    message: redactCredentials(issue.message),
    fix: redactCredentials(issue.fix),
  }));
  if (issues.length > 0) return { ok: false, errors: tidyIssues(issues) };
  return { ok: true, config: copy as TenantConfig };
}
