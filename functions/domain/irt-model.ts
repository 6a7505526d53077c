/**
 * The item response models Assay uses, as pure numerics: the two-parameter logistic model
 * (2PL) for items scored right or wrong, and Muraki's (1992) generalized partial credit model
 * (GPCM) for items with partial scores. A 2PL item is the GPCM with one step, so one code path
 * serves both. The logistic metric throughout (no D = 1.7 scaling), as in the rest of Assay.
 *
 * GPCM: for an item with discrimination `a` and step difficulties b_1..b_K, the probability
 * of category k (0..K) at ability theta is
 *
 *   P_k(theta) = exp(sum_{v<=k} a (theta - b_v)) / sum_{c=0..K} exp(sum_{v<=c} a (theta - b_v))
 *
 * With K = 1 this is the 2PL: P_1 = 1 / (1 + exp(-a (theta - b_1))).
 */

/**
 * An item as a model sees it.
 *
 * - With `categories`: a calibrated item. `steps` are the GPCM step difficulties b_1..b_K and
 *   `categories` the K + 1 lower score bounds of its categories (ascending, the first 0): a
 *   score maps to a category with {@link scoreCategory}. One step and categories [0, 1] is a
 *   2PL item.
 * - Without `categories`: an uncalibrated item with parameters from its difficulty label; one
 *   step (its b), and a partial score s counts as the fractional response P^s (1-P)^(1-s).
 */
export interface ItemModel {
  a: number;
  steps: readonly number[];
  categories?: readonly number[];
}

/**
 * Scores are read on a grid of quarter steps before they are mapped to a category: 0, 0.25,
 * 0.5, 0.75, 1. Finer partial credit (an order question's 5/6) rounds to the nearest quarter.
 */
export const SCORE_GRID_STEPS = 4;

/** A score in [0,1] rounded to the score grid (NaN and out-of-range values clamped). */
export function gridScore(score: number): number {
  const s = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return Math.round(s * SCORE_GRID_STEPS) / SCORE_GRID_STEPS;
}

/**
 * The category (0..K) of a score for an item whose categories start at the given lower
 * bounds: the number of bounds after the first that the grid-rounded score reaches. A score
 * between two bounds belongs to the lower category (sparse score levels were merged downwards
 * when the item was calibrated).
 */
export function scoreCategory(score: number, categories: readonly number[]): number {
  const s = gridScore(score);
  let k = 0;
  for (let c = 1; c < categories.length; c++) if (s >= categories[c]! - 1e-9) k = c;
  return k;
}

/**
 * Category probabilities P_0..P_K at theta, written into `out` (length K + 1) and returned.
 * Computed from the cumulative logits minus their maximum, so no exponent overflows.
 */
export function categoryProbabilities(
  a: number,
  steps: ArrayLike<number>,
  theta: number,
  out: Float64Array = new Float64Array(steps.length + 1),
): Float64Array {
  const k = steps.length;
  let z = 0;
  let max = 0;
  out[0] = 0;
  for (let v = 0; v < k; v++) {
    z += a * (theta - steps[v]!);
    out[v + 1] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c <= k; c++) {
    const e = Math.exp(out[c]! - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c <= k; c++) out[c] = out[c]! / sum;
  return out;
}

/** log(1 / (1 + e^-z)) without overflow for large |z|. */
export function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * log-likelihood of one scored response at theta: the GPCM category probability for a
 * calibrated item, the fractional 2PL response for an uncalibrated one.
 */
export function logLikelihood(item: ItemModel, score: number, theta: number): number {
  if (!item.categories) {
    const z = item.a * (theta - item.steps[0]!);
    const s = clamp01(score);
    let ll = 0;
    if (s > 0) ll += s * logSigmoid(z);
    if (s < 1) ll += (1 - s) * logSigmoid(-z);
    return ll;
  }
  const k = scoreCategory(score, item.categories);
  // log P_k = z_k - log sum_c exp(z_c), with the largest z taken out; two passes over the
  // steps rather than an array, since this runs for every item at every grid point.
  const { a, steps } = item;
  let z = 0;
  let zk = 0;
  let max = 0;
  for (let v = 0; v < steps.length; v++) {
    z += a * (theta - steps[v]!);
    if (v + 1 === k) zk = z;
    if (z > max) max = z;
  }
  let sum = Math.exp(-max);
  z = 0;
  for (let v = 0; v < steps.length; v++) {
    z += a * (theta - steps[v]!);
    sum += Math.exp(z - max);
  }
  return zk - max - Math.log(sum);
}

/**
 * Fisher information of an item at theta: a^2 times the variance of the category index under
 * the model (Muraki 1993, eq. 10); for a 2PL item this is a^2 P (1 - P).
 */
export function itemInformation(item: ItemModel, theta: number): number {
  if (item.steps.length === 1) {
    const p = 1 / (1 + Math.exp(-item.a * (theta - item.steps[0]!)));
    return item.a * item.a * p * (1 - p);
  }
  const p = categoryProbabilities(item.a, item.steps, theta);
  let mean = 0;
  let second = 0;
  for (let c = 0; c < p.length; c++) {
    mean += c * p[c]!;
    second += c * c * p[c]!;
  }
  return item.a * item.a * (second - mean * mean);
}

/**
 * The expected score in [0,1] of an item at theta: a calibrated item's category lower bounds
 * weighted by their probabilities, an uncalibrated item's P(theta) (its fractional response's
 * mean). Used for an adaptive area's score: the expected score on its whole pool.
 */
export function expectedScore(item: ItemModel, theta: number): number {
  if (!item.categories) return 1 / (1 + Math.exp(-item.a * (theta - item.steps[0]!)));
  const p = categoryProbabilities(item.a, item.steps, theta);
  let e = 0;
  for (let c = 0; c < p.length; c++) e += p[c]! * (item.categories[c] ?? 0);
  return e;
}

/**
 * The location of an item on the theta scale: its b for a 2PL item, the mean of its step
 * difficulties for a GPCM item (where its expected score is half its maximum when steps are
 * symmetric).
 */
export function itemLocation(item: { steps: ArrayLike<number> }): number {
  let sum = 0;
  for (let v = 0; v < item.steps.length; v++) sum += item.steps[v]!;
  return sum / item.steps.length;
}

/** Nodes and weights of a discretised standard normal: `points` equally spaced over [min, max]. */
export interface Quadrature {
  nodes: Float64Array;
  weights: Float64Array;
}

/**
 * The standard-normal density on `points` equally spaced nodes over [min, max], weights
 * normalised to sum to 1 (the rectangular rule Bock & Aitkin 1981 use, and mirt's default of
 * 61 points over [-6, 6]).
 */
export function normalQuadrature(points = 61, min = -6, max = 6): Quadrature {
  const nodes = new Float64Array(points);
  const weights = new Float64Array(points);
  let sum = 0;
  for (let q = 0; q < points; q++) {
    const x = min + ((max - min) * q) / (points - 1);
    nodes[q] = x;
    weights[q] = Math.exp((-x * x) / 2);
    sum += weights[q]!;
  }
  for (let q = 0; q < points; q++) weights[q] = weights[q]! / sum;
  return { nodes, weights };
}
