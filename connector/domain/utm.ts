/**
 * UTM parameters from a registration origin URL. Written by hand because the platform's engine has
 * no URL or URLSearchParams; tolerant of relative origins and bad percent-encoding.
 */
import type { Utm } from './types';

const UTM_KEYS: Record<string, keyof Utm> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'campaign',
  utm_term: 'term',
  utm_content: 'content',
};

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

export function parseUtm(origin: string): Utm {
  const utm: Utm = {};
  const q = origin.indexOf('?');
  if (q < 0) return utm;
  const hash = origin.indexOf('#', q);
  const query = origin.slice(q + 1, hash < 0 ? undefined : hash);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    const field = Object.prototype.hasOwnProperty.call(UTM_KEYS, name) ? UTM_KEYS[name] : undefined;
    if (!field || utm[field] !== undefined) continue;
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1)).slice(0, 200);
    if (value !== '') utm[field] = value;
  }
  return utm;
}
