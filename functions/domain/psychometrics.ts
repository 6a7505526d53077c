/**
 * Ability estimation under the two-parameter logistic (2PL) model: the probability that a
 * candidate of ability theta answers an item of discrimination `a` and difficulty `b` is
 * P(theta) = 1 / (1 + e^(-a (theta - b))); calibrated items with partial scores follow the
 * generalized partial credit model (see `irt-model.ts`). Pure numerics, no I/O.
 */

import * as z from 'zod/mini';
import { type ItemModel, itemInformation, logLikelihood } from './irt-model.ts';
import type { QuestionContent } from './question-types/type.ts';
import { once } from './z.ts';

/**
 * An item as the model sees it with the candidate's score in [0,1]: either 2PL parameters
 * `a` and `b` (an uncalibrated item: a partial score counts as the fractional response
 * P^s (1-P)^(1-s)), or a calibrated {@link ItemModel} with its categories (2PL or GPCM).
 */
export type ScoredItem = Scored2plItem | ScoredCalibratedItem;

/** An uncalibrated (or label-prior) 2PL item and its score. */
export interface Scored2plItem {
  a: number;
  b: number;
  score: number;
}

/** A calibrated item (2PL or GPCM, with its score categories) and its score. */
export type ScoredCalibratedItem = ItemModel & { categories: readonly number[]; score: number };

export interface Ability {
  theta: number;
  standardError: number;
}

export const LEVELS = [
  'foundational',
  'intermediate',
  'advanced',
  'expert',
  'insufficient-evidence',
] as const;
export type Level = (typeof LEVELS)[number];

// Built on first use (see domain/z.ts): only the routes that answer with a profile build them.
export const AbilitySchema = /* @__PURE__ */ once(() =>
  z.object({ theta: z.number(), standardError: z.number() }),
);
export const LevelSchema = /* @__PURE__ */ once(() => z.enum(LEVELS));

/** The parts of a question that calibrate it. */
export type ItemCalibration = Pick<
  QuestionContent,
  'difficulty' | 'discrimination' | 'difficultyParam'
>;

/**
 * 2PL parameters of a question: its calibrated `discrimination` and `difficultyParam` when
 * set, otherwise a = 1 and b = -1, 0, +1 for difficulty 1, 2, 3 (an easy item is answered
 * by a candidate one standard deviation below average half of the time).
 */
export function itemParams(q: ItemCalibration): { a: number; b: number } {
  return {
    a: q.discrimination ?? 1,
    b: q.difficultyParam ?? q.difficulty - 2,
  };
}

/** Parameters a calibration estimated for one question version (see `calibration.ts`). */
export interface CalibratedParameters {
  a: number;
  steps: readonly number[];
  categories: readonly number[];
}

/**
 * The model of a question version: its calibrated parameters when the calibration job has
 * estimated them, otherwise the 2PL of {@link itemParams} (difficulty-label priors).
 */
export function itemModel(q: ItemCalibration, calibrated?: CalibratedParameters): ItemModel {
  if (calibrated)
    return { a: calibrated.a, steps: calibrated.steps, categories: calibrated.categories };
  const { a, b } = itemParams(q);
  return { a, steps: [b] };
}

// 121 points over [-4, 4] (step 1/15): the prior mass outside is 6e-5 and the EAP moves by
// less than 1e-4 against a grid ten times finer.
const GRID_POINTS = 121;
const GRID_MIN = -4;
const GRID_MAX = 4;
const GRID = Array.from(
  { length: GRID_POINTS },
  (_, i) => GRID_MIN + ((GRID_MAX - GRID_MIN) * i) / (GRID_POINTS - 1),
);
// log of the standard-normal prior up to a constant, with trapezoid end weights folded in.
const LOG_PRIOR = GRID.map(
  (t, i) => -(t * t) / 2 + (i === 0 || i === GRID_POINTS - 1 ? Math.log(0.5) : 0),
);

const toModel = (it: ScoredItem): ItemModel =>
  'b' in it ? { a: it.a, steps: [it.b] } : { a: it.a, steps: it.steps, categories: it.categories };

/** Lexicographic order of number lists (shorter first on a common prefix). */
function compareLists(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]! - y[i]!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Expected-a-posteriori ability and its posterior standard deviation (the standard error),
 * with a standard-normal prior and trapezoid quadrature over theta in [-4, 4]. Scores are
 * partial credit in [0,1]: an uncalibrated item's likelihood is the fractional response
 * P^s (1-P)^(1-s), a calibrated item's the probability of the score's category. No items
 * gives the prior: theta 0, standard error about 1.
 *
 * The result does not depend on item order: items are summed in a canonical order, so
 * floating-point rounding cannot tell two orders apart either.
 */
export function eap(items: readonly ScoredItem[]): Ability {
  const sorted = items
    .map((it) => ({ model: toModel(it), s: it.score }))
    .sort(
      (x, y) =>
        x.model.a - y.model.a ||
        compareLists(x.model.steps, y.model.steps) ||
        compareLists(x.model.categories ?? [], y.model.categories ?? []) ||
        x.s - y.s,
    );
  const logPost = GRID.map((t, i) => {
    let ll = LOG_PRIOR[i]!;
    for (const { model, s } of sorted) ll += logLikelihood(model, s, t);
    return ll;
  });
  // Normalise in log space first: a long test's likelihood underflows a double.
  const max = Math.max(...logPost);
  let mass = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < GRID_POINTS; i++) {
    const w = Math.exp(logPost[i]! - max);
    const t = GRID[i]!;
    mass += w;
    first += w * t;
    second += w * t * t;
  }
  const theta = first / mass;
  const variance = Math.max(0, second / mass - theta * theta);
  return { theta, standardError: Math.sqrt(variance) };
}

/**
 * The lowest standard error an adaptive section can reach within `maxItems` items of this pool,
 * at best: 1 / sqrt(1 + the sum of the `maxItems` largest peak informations), the posterior
 * standard deviation of a candidate who met every item at its most informative ability (the
 * standard-normal prior counts 1). No candidate does better: 20 uncalibrated items (a = 1, peak
 * 0.25 each) give 0.408, and the EAP of 2,000 random response patterns to 20 such items at
 * their peak was never below 0.415. Above the section's `targetStandardError`, every candidate
 * answers `maxItems` items (docs/psychometrics.md#when-the-target-cannot-be-reached).
 */
export function bestStandardError(models: readonly ItemModel[], maxItems: number): number {
  const peaks = models.map(peakInformation);
  peaks.sort((x, y) => y - x);
  let information = 1;
  for (const p of peaks.slice(0, maxItems)) information += p;
  return 1 / Math.sqrt(information);
}

/**
 * An item's largest Fisher information over ability: a^2/4 for a 2PL item (at theta = b); a
 * GPCM item's found on the grid, then narrowed by ternary search around the grid's best point.
 */
function peakInformation(m: ItemModel): number {
  if (m.steps.length === 1) return (m.a * m.a) / 4;
  let best = 0;
  let peak = itemInformation(m, GRID[0]!);
  for (let i = 1; i < GRID_POINTS; i++) {
    const info = itemInformation(m, GRID[i]!);
    if (info > peak) [best, peak] = [i, info];
  }
  let lo = GRID[Math.max(0, best - 1)]!;
  let hi = GRID[Math.min(GRID_POINTS - 1, best + 1)]!;
  for (let k = 0; k < 40; k++) {
    const x = lo + (hi - lo) / 3;
    const y = hi - (hi - lo) / 3;
    if (itemInformation(m, x) < itemInformation(m, y)) lo = x;
    else hi = y;
  }
  return Math.max(peak, itemInformation(m, (lo + hi) / 2));
}

/** Questions an area needs before it gets a level. */
export const MIN_ITEMS_FOR_LEVEL = 3;
/**
 * The largest standard error that still gets a level. Three uncalibrated questions (a = 1) give
 * 0.78-0.84 whatever their difficulties and scores, so this bound never splits areas with the
 * same number of uncalibrated questions (0.8 did: it depended on the difficulty mix); it only
 * withholds a level when calibrated questions turned out to tell candidates apart poorly.
 */
export const MAX_STANDARD_ERROR_FOR_LEVEL = 0.85;

/** The theta bands of the levels: [level, lower bound inclusive]. */
export const LEVEL_BANDS: readonly (readonly [Exclude<Level, 'insufficient-evidence'>, number])[] =
  [
    ['foundational', Number.NEGATIVE_INFINITY],
    ['intermediate', -0.5],
    ['advanced', 0.5],
    ['expert', 1.5],
  ];

/**
 * The level an ability estimate supports. Fewer than {@link MIN_ITEMS_FOR_LEVEL} items or a
 * standard error above {@link MAX_STANDARD_ERROR_FOR_LEVEL} (the prior's is 1: the items have
 * barely moved it) is `insufficient-evidence`; otherwise the bands of {@link LEVEL_BANDS}, one
 * standard deviation wide around the average candidate.
 */
export function levelOf(theta: number, standardError: number, items: number): Level {
  if (items < MIN_ITEMS_FOR_LEVEL || standardError > MAX_STANDARD_ERROR_FOR_LEVEL)
    return 'insufficient-evidence';
  let level: Level = 'foundational';
  for (const [name, from] of LEVEL_BANDS) if (theta >= from) level = name;
  return level;
}
