/**
 * The skill profile of a graded attempt: scores per area and per kind, an ability estimate
 * and level per area, and the strongest and weakest areas with what to do next. Pure.
 */

import * as z from 'zod/mini';
import type { GradedQuestion } from './grading.ts';
import {
  AbilitySchema,
  eap,
  type ItemCalibration,
  itemParams,
  LevelSchema,
  levelOf,
} from './psychometrics.ts';
import { AREAS, type AreaKind, findArea } from './taxonomy.ts';

/** One graded question with the calibration of the version the candidate was given. */
export type ProfileItem = Pick<GradedQuestion, 'questionId' | 'area' | 'score'> & ItemCalibration;

export interface ProfileInput {
  items: readonly ProfileItem[];
  passingScore?: number;
}

export const AreaProfileSchema = z.object({
  area: z.string(),
  kind: z.enum(['technical', 'soft']),
  score: z.number(),
  items: z.int(),
  correct: z.int(),
  level: LevelSchema,
  ability: AbilitySchema,
});
export type AreaProfile = z.infer<typeof AreaProfileSchema>;

export const DevelopmentSchema = z.object({
  area: z.string(),
  name: z.string(),
  suggestion: z.string(),
});
export type Development = z.infer<typeof DevelopmentSchema>;

export interface SkillProfile {
  /** 0-100: the mean item score, so each section weighs by its size. */
  score: number;
  passed?: boolean;
  technical: { score: number } | null;
  soft: { score: number } | null;
  areas: AreaProfile[];
  /** Up to two areas, strongest first, with theta >= 0 and enough evidence. */
  strengths: Development[];
  /** Up to two areas, weakest first, with theta < 0 and enough evidence. */
  gaps: Development[];
}

// Summed in sorted order so that floating-point rounding cannot depend on question order.
const pct = (xs: readonly number[]) =>
  xs.length
    ? Math.round(([...xs].sort((a, b) => a - b).reduce((a, b) => a + b, 0) / xs.length) * 1000) / 10
    : 0;

// Reports show three decimals; `+ 0` turns -0 into 0. Levels, strengths and gaps are decided
// on the rounded values so that they agree with what the report shows.
const round3 = (x: number) => Math.round(x * 1000) / 1000 + 0;

const TAXONOMY_ORDER = new Map<string, number>(AREAS.map((a, i) => [a.id, i]));

function byTaxonomy(x: string, y: string): number {
  const ix = TAXONOMY_ORDER.get(x) ?? Number.MAX_SAFE_INTEGER;
  const iy = TAXONOMY_ORDER.get(y) ?? Number.MAX_SAFE_INTEGER;
  return ix - iy || (x < y ? -1 : x > y ? 1 : 0);
}

function development(area: string, which: 'gap' | 'strength'): Development {
  const known = findArea(area);
  const text = known?.development[which];
  return {
    area,
    name: known?.name ?? area,
    suggestion:
      text ??
      (which === 'gap'
        ? 'Work through this area’s questions again with their explanations.'
        : 'Build on this area by reviewing and teaching it.'),
  };
}

/**
 * The skill profile of graded questions. Areas come in taxonomy order, each with its score
 * (0-100), items, fully correct items, EAP ability under the 2PL model and level. The
 * overall score is the mean item score, so every item counts once. Strengths are the two
 * highest-theta areas with theta >= 0 and gaps the two lowest with theta < 0, both only
 * among areas with enough evidence for a level. The result does not depend on item order.
 */
export function buildProfile(input: ProfileInput): SkillProfile {
  const byArea = new Map<string, ProfileItem[]>();
  for (const item of input.items) byArea.set(item.area, [...(byArea.get(item.area) ?? []), item]);

  const areas: AreaProfile[] = [...byArea.keys()].sort(byTaxonomy).map((area) => {
    const items = byArea.get(area)!;
    const estimate = eap(items.map((it) => ({ ...itemParams(it), score: it.score })));
    const ability = {
      theta: round3(estimate.theta),
      standardError: round3(estimate.standardError),
    };
    const kind: AreaKind = findArea(area)?.kind ?? 'technical';
    return {
      area,
      kind,
      score: pct(items.map((it) => it.score)),
      items: items.length,
      correct: items.filter((it) => it.score === 1).length,
      level: levelOf(ability.theta, ability.standardError, items.length),
      ability,
    };
  });

  const kindScore = (kind: AreaKind) => {
    const scores = input.items
      .filter((it) => (findArea(it.area)?.kind ?? 'technical') === kind)
      .map((it) => it.score);
    return scores.length ? { score: pct(scores) } : null;
  };

  // Ties keep taxonomy order (the sort is stable), so equal areas rank the same every time.
  const evidenced = areas.filter((a) => a.level !== 'insufficient-evidence');
  const strengths = evidenced
    .filter((a) => a.ability.theta >= 0)
    .sort((x, y) => y.ability.theta - x.ability.theta)
    .slice(0, 2)
    .map((a) => development(a.area, 'strength'));
  const gaps = evidenced
    .filter((a) => a.ability.theta < 0)
    .sort((x, y) => x.ability.theta - y.ability.theta)
    .slice(0, 2)
    .map((a) => development(a.area, 'gap'));

  const score = pct(input.items.map((it) => it.score));
  return {
    score,
    ...(input.passingScore !== undefined ? { passed: score >= input.passingScore } : {}),
    technical: kindScore('technical'),
    soft: kindScore('soft'),
    areas,
    strengths,
    gaps,
  };
}

/**
 * Join graded questions with the calibration of the question versions they were graded
 * against, for {@link buildProfile}. Throws when a graded question has no content: that is
 * a bug in the caller, not a candidate's mistake.
 */
export function profileItems(
  graded: readonly GradedQuestion[],
  contents: readonly (ItemCalibration & { id: string })[],
): ProfileItem[] {
  const byId = new Map(contents.map((c) => [c.id, c]));
  return graded.map((g) => {
    const c = byId.get(g.questionId);
    if (!c) throw new Error(`No content for graded question ${g.questionId}.`);
    return {
      questionId: g.questionId,
      area: g.area,
      score: g.score,
      difficulty: c.difficulty,
      ...(c.discrimination !== undefined ? { discrimination: c.discrimination } : {}),
      ...(c.difficultyParam !== undefined ? { difficultyParam: c.difficultyParam } : {}),
    };
  });
}
