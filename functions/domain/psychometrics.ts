/**
 * Ability estimation under the two-parameter logistic (2PL) model: the probability that a
 * candidate of ability theta answers an item of discrimination `a` and difficulty `b` is
 * P(theta) = 1 / (1 + e^(-a (theta - b))). Pure numerics, no I/O.
 */

import * as z from 'zod/mini';
import type { QuestionContent } from './question-types/type.ts';

/** An item as the model sees it: 2PL parameters and the candidate's score in [0,1]. */
export interface ScoredItem {
  a: number;
  b: number;
  score: number;
}

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

export const AbilitySchema = z.object({ theta: z.number(), standardError: z.number() });
export const LevelSchema = z.enum(LEVELS);

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

/** log(1 / (1 + e^-z)) without overflow for large |z|. */
function logSigmoid(zv: number): number {
  return zv >= 0 ? -Math.log1p(Math.exp(-zv)) : zv - Math.log1p(Math.exp(zv));
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Expected-a-posteriori ability and its posterior standard deviation (the standard error),
 * with a standard-normal prior and trapezoid quadrature over theta in [-4, 4]. Scores are
 * partial credit in [0,1] with the fractional-response likelihood P^s (1-P)^(1-s). No items
 * gives the prior: theta 0, standard error about 1.
 *
 * The result does not depend on item order: items are summed in a canonical order, so
 * floating-point rounding cannot tell two orders apart either.
 */
export function eap(items: readonly ScoredItem[]): Ability {
  const sorted = items
    .map((it) => ({ a: it.a, b: it.b, s: clamp01(it.score) }))
    .sort((x, y) => x.a - y.a || x.b - y.b || x.s - y.s);
  const logPost = GRID.map((t, i) => {
    let ll = LOG_PRIOR[i]!;
    for (const { a, b, s } of sorted) {
      const zv = a * (t - b);
      if (s > 0) ll += s * logSigmoid(zv);
      if (s < 1) ll += (1 - s) * logSigmoid(-zv);
    }
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
 * The level an ability estimate supports. Fewer than 3 items or a standard error above 0.8
 * (the prior's is 1: the items have barely moved it) is `insufficient-evidence`; otherwise
 * the bands are one standard deviation wide around the average candidate.
 */
export function levelOf(theta: number, standardError: number, items: number): Level {
  if (items < 3 || standardError > 0.8) return 'insufficient-evidence';
  if (theta < -0.5) return 'foundational';
  if (theta < 0.5) return 'intermediate';
  if (theta < 1.5) return 'advanced';
  return 'expert';
}
