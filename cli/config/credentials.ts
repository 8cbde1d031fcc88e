/**
 * Recognizes credential VALUES (tokens, keys, passwords-in-URLs) so a tenant file that holds one is
 * refused: a tenant file is committed, reviewed and inlined into the uploaded bundle, so a secret
 * written there has leaked. Known vendor shapes are matched exactly; anything else long and random
 * is caught by an entropy test tuned to leave ordinary names ("hubspot-private-app-token") alone.
 */

interface Shape {
  label: string;
  pattern: RegExp;
}

const SHAPES: readonly Shape[] = [
  { label: 'a PEM key or certificate', pattern: /-----BEGIN[A-Z ]*-----/ },
  { label: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}/ },
  { label: 'a HubSpot private app token', pattern: /\bpat-[a-z]{2}\d+-[0-9a-f-]{8,}/i },
  { label: 'a Klaviyo private API key', pattern: /\bpk_[A-Za-z0-9]{20,}/ },
  { label: 'a Stripe-style secret key', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}/ },
  { label: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { label: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { label: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { label: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { label: 'a Salesforce access token', pattern: /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/ },
];

/** "Bearer xyz..." and friends: an Authorization header value with its credential. */
const AUTH_VALUE = /\b(?:Bearer|Basic|Token|Klaviyo-API-Key)\s+([A-Za-z0-9._~+/=-]{8,})/gi;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entropyBitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function charClass(ch: string): number {
  if (ch >= 'a' && ch <= 'z') return 0;
  if (ch >= 'A' && ch <= 'Z') return 1;
  if (ch >= '0' && ch <= '9') return 2;
  return 3;
}

/**
 * Random tokens switch between lower case, upper case and digits about every other character;
 * names switch only at word boundaries. With enough distinct characters, that tells them apart.
 */
function looksRandom(run: string): boolean {
  if (run.length < 32) return false;
  if (/^[0-9a-f]+$/i.test(run) && /\d/.test(run) && /[a-f]/i.test(run)) return true;
  const digits = run.replace(/\D/g, '').length;
  if (digits < 2 || !/[A-Za-z]/.test(run)) return false;
  let switches = 0;
  for (let i = 1; i < run.length; i++) {
    if (charClass(run[i] as string) !== charClass(run[i - 1] as string)) switches++;
  }
  return switches / (run.length - 1) >= 0.3 && entropyBitsPerChar(run) >= 3.5;
}

export interface CredentialOptions {
  /** Payload templates may carry public UUIDs (app ids); elsewhere a UUID is an API key shape. */
  allowUuid?: boolean;
}

/** What kind of credential `value` looks like, or undefined when it looks like ordinary text. */
export function credentialKind(value: string, options: CredentialOptions = {}): string | undefined {
  for (const shape of SHAPES) if (shape.pattern.test(value)) return shape.label;
  for (const match of value.matchAll(AUTH_VALUE)) {
    const token = match[1] as string;
    if (token.length >= 20 || /[\d=._~+/-]/.test(token))
      return 'an Authorization header value with its credential';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*:[^/?#\s]*@/i.test(value)) return 'a URL with a password in it';
  for (const run of value.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
    if (UUID.test(run) && options.allowUuid) continue;
    if (UUID.test(run)) return 'a UUID-shaped API key';
    if (looksRandom(run)) return 'a long random string (an API key or token)';
  }
  if (!options.allowUuid && UUID.test(value.trim())) return 'a UUID-shaped API key';
  return undefined;
}

/** Enough to recognize which value is meant, never enough to use it: first characters and length. */
export function maskValue(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return `"${value.slice(0, shown)}…" (${value.length} chars)`;
}

/**
 * Last line of defence for text built from a tenant file (json-e messages quote expressions):
 * any credential-looking word is replaced by its mask.
 */
export function redactCredentials(text: string): string {
  return text.replace(/[^\s"'`]+/g, (word) => (credentialKind(word) ? maskValue(word) : word));
}
