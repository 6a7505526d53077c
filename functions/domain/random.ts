import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random generator (sfc32 keyed by SHA-256 of the seed): the same attempt id
 * always yields the same draw and option order, so a resume (or a rebuilt draw) sees the same
 * test. An attempt id is public, so anyone can recompute these numbers: shuffle only what
 * reveals nothing in its starting order (see `shuffleOptions`).
 */
export function seededRandom(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export { sample, shuffle } from './shuffle.ts';
