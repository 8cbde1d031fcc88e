/**
 * Deterministic "randomness" for fault injection. Draws are a hash of (seed, salt, text) rather than
 * a stream, so a request's fate depends on what it is (e.g. the 3rd PUT to /customers/c-1), not on
 * the order in which concurrent requests happened to arrive: the same run faults the same requests.
 */

/** FNV-1a over UTF-16 code units: small, stable, good enough to spread keys. */
function fnv1a(text: string, start: number): number {
  let h = start >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Final avalanche so that nearby inputs (seed 1 vs 2, occurrence 3 vs 4) give unrelated draws. */
function avalanche(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by its inputs. */
export function seededUnit(seed: number, salt: string, text: string): number {
  const start = avalanche((0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0);
  return avalanche(fnv1a(`${salt}\u0000${text}`, start)) / 0x100000000;
}
