import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

/** Random bytes drawn 256 at a time; each is used once. */
const pool = new Uint8Array(256);
let next = pool.length;

/** ulid's PRNG contract: a number in [0, 1), here one random byte / 256 as ulid's own. */
function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

/**
 * A ULID (time-ordered, 80 random bits) from Node's CSPRNG. ulid's default reads Web Crypto's
 * `getRandomValues` one byte per character, and the first call loads Web Crypto's modules: about
 * 1 ms of CPU in a cold start's first request that `node:crypto` (loaded anyway) does not cost.
 *
 * @param time the timestamp part (ms since the epoch); now by default
 */
export function newUlid(time?: number): string {
  return ulid(time, randomByte);
}
