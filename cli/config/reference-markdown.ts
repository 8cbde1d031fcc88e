/**
 * The configuration reference as Markdown, built from configSchema so it cannot drift from what
 * validation enforces. Pure (no Prettier, which Jest's CJS runtime cannot load); generate.ts
 * formats and writes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssues } from './issues';
import { PATH_PLACEHOLDERS, READ_PATH_PLACEHOLDERS } from './semantic';
import { sampleContexts } from './sample-context';
import { conditionsOf, configSchema, deref, SECRET_NAME_PATTERN, type JsonSchema } from './schema';
import { validateTenantConfig } from './validate';
import { destinationDescriptions } from './destinations';
import type { DestinationDescription } from '../../connector/destinations/describe';

const root = join(__dirname, '../..');
const examplePath = join(root, 'tenants/example.json');
const brokenPath = join(root, 'test/config/fixtures/broken-example.json');

const cell = (text: string): string => text.replace(/([|*])/g, '\\$1').replace(/\n/g, ' ');
const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function typeOf(schema: JsonSchema): string {
  const s = deref(schema);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array' && s.items) {
    const item = typeOf(s.items);
    const list = `${item.includes('|') ? `(${item})` : item}[]`;
    return s.minItems ? `${list} (at least ${s.minItems})` : list;
  }
  if (s.type === 'object' && typeof s.additionalProperties === 'object')
    return `object of ${typeOf(s.additionalProperties)}`;
  if (s.type === undefined) return 'any JSON';
  const limits: string[] = [];
  if (s.format === 'uri') limits.push('URL');
  if (s.minimum !== undefined || s.maximum !== undefined)
    limits.push(`${s.minimum ?? '…'} to ${s.maximum ?? '…'}`);
  if (s.minLength !== undefined && s.minLength > 1) limits.push(`at least ${s.minLength} chars`);
  if (s.maxLength !== undefined) limits.push(`at most ${s.maxLength} chars`);
  if (s.pattern) limits.push(`pattern \`${s.pattern}\``);
  if (s.minItems) limits.push(`at least ${s.minItems}`);
  return limits.length ? `${s.type} (${limits.join(', ')})` : String(s.type);
}

const describe = (consts: Record<string, unknown>): string =>
  Object.entries(consts)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(' with ');

function requiredText(key: string, schema: JsonSchema): string {
  if (schema.required?.includes(key)) return 'yes';
  const when = conditionsOf(schema).filter((c) => c.required.includes(key));
  return when.length ? when.map((c) => `when ${describe(c.consts)}`).join('; ') : '';
}

/** One row per value of `discriminator`: the keys it requires (sub-conditions such as grant split a row). */
function requiredByTable(schema: JsonSchema, discriminator: string): string[] {
  const conditions = conditionsOf(schema);
  const values = (schema.properties?.[discriminator]?.enum ?? []) as unknown[];
  const rows: string[] = [];
  for (const value of values) {
    const own = conditions.filter(
      (c) => Object.keys(c.consts).length === 1 && c.consts[discriminator] === value,
    );
    const base = [
      ...(schema.required ?? []).filter((k) => k !== discriminator),
      ...own.flatMap((c) => c.required),
    ];
    const subs = conditions.filter(
      (c) => Object.keys(c.consts).length > 1 && c.consts[discriminator] === value,
    );
    const line = (label: string, keys: string[]): string =>
      `| ${cell(label)} | ${keys.map(code).join(', ') || '(none)'} |`;
    if (subs.length === 0) rows.push(line(code(value), base));
    for (const sub of subs) {
      const rest = Object.fromEntries(Object.entries(sub.consts).filter(([k]) => k !== discriminator));
      rows.push(line(`${code(value)} with ${describe(rest)}`, [...base, ...sub.required]));
    }
  }
  return [`| ${discriminator} | required keys |`, '| --- | --- |', ...rows];
}

function section(
  title: string,
  schema: JsonSchema,
  out: string[],
  nested: Array<[string, JsonSchema]>,
): void {
  out.push(`## \`${title}\``, '');
  if (schema.description && title !== '(top level)') out.push(schema.description, '');
  out.push('| key | type | required | default | description |', '| --- | --- | --- | --- | --- |');
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const child = deref(raw);
    const defaultText = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    const description =
      child.description ?? (raw.$ref ? `See \`${title === '(top level)' ? '' : `${title}.`}${key}\`.` : '');
    out.push(
      `| \`${key}\` | ${cell(typeOf(child))} | ${cell(requiredText(key, schema))} | ${cell(defaultText)} | ${cell(description)} |`,
    );
    const prefix = title === '(top level)' ? '' : `${title}.`;
    if (child.type === 'object' && child.properties) nested.push([`${prefix}${key}`, child]);
    if (child.type === 'array' && child.items && deref(child.items).properties)
      nested.push([`${prefix}${key}[]`, deref(child.items)]);
  }
  out.push('');
  if (title.endsWith('auth'))
    out.push('Keys each scheme requires:', '', ...requiredByTable(schema, 'scheme'), '');
  if (title.endsWith('destinations[]'))
    out.push('Keys each type requires:', '', ...requiredByTable(schema, 'type'), '');
}

/** One section per destination type, from its definition and description: auth, limits, and the keys only it reads. */
function typeSection(d: DestinationDescription): string[] {
  const grants =
    d.grants && d.authSchemes.indexOf('oauth2') >= 0 ? ` (grants ${d.grants.map(code).join(', ')})` : '';
  const rate = d.defaultRateLimit;
  const out = [
    `### \`${d.type}\`: ${d.label}`,
    '',
    `Auth: ${d.authSchemes.map(code).join(', ')}${grants}. Default rate: ${rate.requests} requests per ${rate.intervalMs} ms, ${rate.maxConcurrent} at once. Batch: ${d.defaultBatch.maxSize} records (at most ${d.maxBatchSize}), first event waits ${d.defaultBatch.maxWaitMs} ms. Guide: [${d.docs}](${d.docs.replace(/^docs\//, '')}).`,
    '',
  ];
  const keys = Object.entries(d.fields);
  if (keys.length === 0) return out.concat('Reads no key besides the shared ones.', '');
  out.push('| key | type | required | default | description |', '| --- | --- | --- | --- | --- |');
  for (const [key, field] of keys) {
    const dflt = field.schema.default === undefined ? '' : code(field.schema.default);
    out.push(
      `| \`${key}\` | ${cell(typeOf(field.schema as JsonSchema))} | ${field.required ? 'yes' : ''} | ${cell(dflt)} | ${cell(field.schema.description)} |`,
    );
  }
  return out.concat('');
}

function readText(path: string): string {
  return readFileSync(path, 'utf8').trimEnd();
}

/** The reference as Markdown, before formatting (pure, so tests can inspect it in-process). */
export function renderReferenceMarkdown(): string {
  const out: string[] = [
    '# Tenant configuration reference',
    '',
    '<!-- Generated from the destination definitions by cli/config/generate.ts. Do not edit: run `npx tsx cli/config/generate.ts`. -->',
    '',
    `${configSchema.description ?? ''} A tenant file is \`tenants/<name>.json\`; \`twc-connector validate --tenant FILE\` checks it and \`build\` refuses a file that fails, naming the JSON path and the fix of every problem.`,
    '',
  ];
  const queue: Array<[string, JsonSchema]> = [['(top level)', configSchema]];
  while (queue.length > 0) {
    const [title, schema] = queue.shift() as [string, JsonSchema];
    section(title, schema, out, queue);
  }
  out.push(
    '## Keys by destination type',
    '',
    "Generated from each type's definition and description (`connector/destinations/<type>/definition.ts` and `describe.ts`); a key of another type is refused.",
    '',
  );
  for (const definition of Object.values(destinationDescriptions)) out.push(...typeSection(definition));
  const placeholders = (names: readonly string[]): string => names.map((n) => `\`{${n}}\``).join(', ');
  const sample = sampleContexts({
    tenantId: 'example',
    identifiers: ['customerId', 'email'],
    passType: 'loyalty',
    properties: {},
  })[0];
  out.push(
    '## Secrets',
    '',
    `Every key ending in \`Secret\` (and \`auth.secret\`) holds the NAME of a secret, read with \`getSecret\` at run time; the name matches \`${SECRET_NAME_PATTERN.source}\`. Validation refuses a file holding what looks like a secret VALUE in any string: HubSpot \`pat-…\` tokens, Klaviyo \`pk_…\` keys, JWTs (\`eyJ…\`), PEM keys, \`Bearer …\`/\`Basic …\` values, URLs with a password, UUID-shaped keys and long random strings, and credential headers (\`Authorization\`, \`X-API-KEY\`, …) in \`headers\`. Messages show at most a value's first 4 characters and its length.`,
    '',
    '## `http` paths',
    '',
    `\`path\` may use ${placeholders(PATH_PLACEHOLDERS)}; \`readPath\` (and \`path\` when it also serves the read of \`readModifyWrite\`) only ${placeholders(READ_PATH_PLACEHOLDERS)}. Values are URL-encoded.`,
    '',
    '## `http` payload template',
    '',
    'A [json-e](https://json-e.js.org) template evaluated on `{ event, events, state, fields, tenantId }`. Validation evaluates it on an install and on a bare uninstall (no registration counts, no source or UTM), so guard optional values. The install sample:',
    '',
    '```json',
    JSON.stringify(sample?.context, null, 2),
    '```',
    '',
    '## Example',
    '',
    '`tenants/example.json`:',
    '',
    '```json',
    readText(examplePath),
    '```',
    '',
    '## What a mistake looks like',
    '',
    '`test/config/fixtures/broken-example.json`:',
    '',
    '```json',
    readText(brokenPath),
    '```',
    '',
    '`twc-connector validate --tenant test/config/fixtures/broken-example.json` prints:',
    '',
    '```text',
    (() => {
      const result = validateTenantConfig(JSON.parse(readText(brokenPath)));
      return result.ok ? '(no problems)' : formatIssues(result.errors);
    })(),
    '```',
    '',
  );
  return out.join('\n');
}
