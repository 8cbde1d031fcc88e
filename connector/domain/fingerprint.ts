/**
 * A short, stable, non-cryptographic fingerprint of a string (two FNV-1a 32-bit hashes with
 * different seeds, hex). Used for idempotency keys; it must not depend on host crypto, which the
 * platform's engine does not have.
 */
/** 32-bit multiply without Math.imul (not guaranteed on the platform's engine). */
function mul32(a: number, b: number): number {
  const low = (a & 0xffff) * b;
  const high = (((a >>> 16) * b) & 0xffff) << 16;
  return (low + high) >>> 0;
}

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = mul32(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hex8(n: number): string {
  const s = n.toString(16);
  return '00000000'.slice(s.length) + s;
}

export function fingerprint(text: string): string {
  return hex8(fnv1a(text, 0x811c9dc5)) + hex8(fnv1a(text, 0x01000193 ^ 0x5bd1e995));
}
