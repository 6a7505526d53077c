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
