/**
 * Simulated candidates and item pools for the adaptive benchmark and the calibration tests:
 * seeded, so every run with the same seed produces the same data. Pure.
 */

import type { PoolItem } from './adaptive.ts';
import type { ResponseRecord } from './calibration.ts';
import { categoryProbabilities, type ItemModel } from './irt-model.ts';
import { seededRandom } from './random.ts';

/** A standard normal deviate (Box-Muller) from a uniform generator. */
export function normalDeviate(random: () => number): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A generator of (seeded) standard normal deviates. */
export function normalGenerator(seed: string): () => number {
  const random = seededRandom(seed);
  return () => normalDeviate(random);
}

/**
 * The mix of question types in a synthetic pool, close to the shipped bank's (about 48%
 * single choice, 15% multiple answers, 9% order, 5% numeric, 23% situational judgement).
 * Multiple answers, order and situational judgement give partial scores (GPCM items with 2,
 * 3 and 2 steps); the others are right or wrong (2PL).
 */
const TYPE_MIX: readonly { type: string; share: number; steps: number }[] = [
  { type: 'single', share: 0.48, steps: 1 },
  { type: 'multi', share: 0.15, steps: 2 },
  { type: 'order', share: 0.09, steps: 3 },
  { type: 'numeric', share: 0.05, steps: 1 },
  { type: 'sjt', share: 0.23, steps: 2 },
];

/** Score levels of each category for K steps (the lower bounds used by `scoreCategory`). */
const CATEGORY_SCORES: Readonly<Record<number, readonly number[]>> = {
  1: [0, 1],
  2: [0, 0.5, 1],
  3: [0, 0.5, 0.75, 1],
};

export interface SyntheticPoolOptions {
  /** log a ~ N(mean, sd); default N(0.1, 0.3): a median 1.1, 90% within 0.67-1.8. */
  logA?: { mean: number; sd: number };
  /** Item locations ~ N(mean, sd); default N(0, 1). */
  location?: { mean: number; sd: number };
  /** Whether partial-credit types get GPCM items (default true; false: every item 2PL). */
  partialCredit?: boolean;
  /** Tags per area (default 6); each item carries one or two. */
  tags?: number;
}

/**
 * A calibrated pool of `size` items for one area: types in the bank's proportions (largest
 * remainder), a and locations drawn as the options say, GPCM steps spread around the
 * location (ordered offsets of about +-0.6 to +-1), one or two tags per item.
 */
export function syntheticPool(
  size: number,
  seed: string,
  options: SyntheticPoolOptions = {},
): PoolItem[] {
  const random = seededRandom(`pool:${seed}`);
  const normal = () => normalDeviate(random);
  const logA = options.logA ?? { mean: 0.1, sd: 0.3 };
  const location = options.location ?? { mean: 0, sd: 1 };
  const tagCount = options.tags ?? 6;
  // Types by largest remainder, so a pool of 26 gets 12-13 single-choice items, not 26 x 0.48.
  const exact = TYPE_MIX.map((t) => t.share * size);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((x, y) => y.r - x.r);
  for (let i = 0; counts.reduce((s, c) => s + c, 0) < size; i++) counts[order[i]!.i]! += 1;
  const types = TYPE_MIX.flatMap((t, i) => Array.from({ length: counts[i]! }, () => t));
  return types.map((t, i) => {
    const a = Math.exp(logA.mean + logA.sd * normal());
    const b = location.mean + location.sd * normal();
    const k = options.partialCredit === false ? 1 : t.steps;
    const offsets = Array.from({ length: k }, () => normal() * 0.8).sort((x, y) => x - y);
    const centre = offsets.reduce((s, x) => s + x, 0) / k;
    const steps = offsets.map((x) => b + x - centre);
    const first = Math.floor(random() * tagCount);
    const tags =
      random() < 0.3
        ? [`tag-${first}`, `tag-${(first + 1 + Math.floor(random() * (tagCount - 1))) % tagCount}`]
        : [`tag-${first}`];
    return {
      key: `item-${String(i + 1).padStart(3, '0')}`,
      type: t.type,
      tags,
      model: { a, steps, categories: CATEGORY_SCORES[k]! },
    };
  });
}

/** A score drawn from the item's model at theta: the score level of the drawn category. */
export function simulateScore(model: ItemModel, theta: number, random: () => number): number {
  const p = categoryProbabilities(model.a, model.steps, theta);
  const categories = model.categories ?? [0, 1];
  let u = random();
  for (let c = 0; c < p.length; c++) {
    u -= p[c]!;
    if (u < 0) return categories[c]!;
  }
  return categories[p.length - 1]!;
}

/**
 * Simulated response records: every candidate answers `formSize` items drawn at random from
 * the pool (all of them when `formSize` is absent: a complete design).
 */
export function simulateRecords(
  pool: readonly PoolItem[],
  thetas: readonly number[],
  seed: string,
  formSize?: number,
): ResponseRecord[] {
  const random = seededRandom(`responses:${seed}`);
  return thetas.map((theta) => {
    let items: readonly PoolItem[] = pool;
    if (formSize !== undefined && formSize < pool.length) {
      const copy = [...pool];
      for (let i = 0; i < formSize; i++) {
        const j = i + Math.floor(random() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      items = copy.slice(0, formSize);
    }
    return {
      responses: items.map((it) => ({
        item: it.key,
        score: simulateScore(it.model, theta, random),
      })),
    };
  });
}
