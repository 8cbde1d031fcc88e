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

/** The character code of the hex digit of n at bits shift..shift+3. */
function hexDigit(n: number, shift: number): number {
  const d = (n >>> shift) & 15;
  return d < 10 ? 48 + d : 87 + d;
}

export function fingerprint(text: string): string {
  const hashes = [fnv1a(text, 0x811c9dc5), fnv1a(text, 0x01000193 ^ 0x5bd1e995)];
  const codes: number[] = [];
  for (const hash of hashes) for (let shift = 28; shift >= 0; shift -= 4) codes.push(hexDigit(hash, shift));
  // Made as one string: two joined halves stay a two-part string in V8 (3 objects, 80 bytes instead
  // of 32), and every queued event keeps its key.
  return String.fromCharCode.apply(null, codes);
}
