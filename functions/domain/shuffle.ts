/**
 * Shuffling with a given source of numbers, without Node built-ins: the question types use it,
 * and the candidate web app type-checks the domain it imports for the browser.
 */

/** A shuffled copy (Fisher-Yates). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `n` distinct items drawn at random. */
export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  return shuffle(items, random).slice(0, n);
}

const TWO_32 = 0x1_0000_0000;
const ENCODER = new TextEncoder();

/**
 * A stable fingerprint of a text as 16 hex digits (FNV-1a, 64 bits over its UTF-8): for
 * orders and ids that must depend on content alone. Not a secret and not for integrity.
 * The 64-bit state is two 32-bit halves in plain numbers (BigInt arithmetic was a fifth of a
 * start's own CPU): the prime is 2^40 + 0x1b3, so a product is the halves times 0x1b3 (exact
 * below 2^53) plus the low half shifted 40 bits into the high one.
 */
export function fingerprint(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  // An indexed loop: a start runs this cold (interpreted), where iterating the bytes with
  // for...of took about 1.7 times as long (60 option texts: 2.0 -> 1.2 ms in a fresh process).
  const bytes = ENCODER.encode(text);
  for (let i = 0; i < bytes.length; i++) {
    const x = (lo ^ bytes[i]!) >>> 0;
    const low = x * 0x1b3;
    lo = low % TWO_32;
    hi = (hi * 0x1b3 + Math.floor(low / TWO_32) + ((x << 8) >>> 0)) % TWO_32;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
