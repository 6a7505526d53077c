/**
 * The skill profile of a graded attempt: scores per area and per kind, an ability estimate
 * and level per area, and the strongest and weakest areas with what to do next. Pure.
 */

import * as z from 'zod/mini';
import type { GradedQuestion } from './grading.ts';
import { expectedScore, type ItemModel } from './irt-model.ts';
import {
  AbilitySchema,
  type CalibratedParameters,
  eap,
  type ItemCalibration,
  itemModel,
  LEVEL_BANDS,
  type Level,
  LevelSchema,
  levelOf,
  MAX_STANDARD_ERROR_FOR_LEVEL,
  MIN_ITEMS_FOR_LEVEL,
  type ScoredItem,
} from './psychometrics.ts';
import { AREA_DEVELOPMENT, AREAS, type AreaId, type AreaKind, findArea } from './taxonomy.ts';
import { once } from './z.ts';

/**
 * One graded question with the calibration of the version the candidate was given: its
 * difficulty label (the prior), and its calibrated parameters when the attempt froze some.
 */
export type ProfileItem = Pick<GradedQuestion, 'questionId' | 'area' | 'score'> &
  ItemCalibration & { calibrated?: CalibratedParameters };

export const STOP_REASONS = [
  'target-standard-error',
  'max-items',
  'pool-exhausted',
  'time-up',
  'submitted',
] as const;
/**
 * Why an adaptive section ended: its target standard error reached (after at least minItems),
 * maxItems answered, no item left, the time ran out, or the candidate submitted before any of
 * these.
 */
export type SectionStopReason = (typeof STOP_REASONS)[number];

/** An adaptive section of an area, as its profile needs it. */
export interface AdaptiveAreaInput {
  area: string;
  /** The models of the section's whole pool: the area score is the expected score on it. */
  pool: readonly ItemModel[];
  minItems: number;
  maxItems: number;
  targetStandardError: number;
  stopReason: SectionStopReason;
}

export interface ProfileInput {
  items: readonly ProfileItem[];
  /** Adaptive sections, by area (at most one per area). */
  adaptive?: readonly AdaptiveAreaInput[];
  passingScore?: number;
}

export const AdaptiveAreaSchema = /* @__PURE__ */ once(() =>
  z.object({
    stopReason: z.enum(STOP_REASONS),
    itemsUsed: z.int(),
    minItems: z.int(),
    maxItems: z.int(),
    standardError: z.number(),
    targetStandardError: z.number(),
    /**
     * Questions short of minItems the candidate did not reach (left by submitting or running
     * out of time), each scored 0 in the area and overall scores. Absent in results graded
     * before they counted, whose scores did not include them.
     */
    unreached: z.optional(z.int()),
  }),
);

export const AreaProfileSchema = /* @__PURE__ */ once(() =>
  z.object({
    area: z.string(),
    kind: z.enum(['technical', 'soft']),
    score: z.number(),
    items: z.int(),
    correct: z.int(),
    level: LevelSchema(),
    ability: AbilitySchema(),
    /** Present for an area measured by an adaptive section: items used, final SE, why it stopped. */
    adaptive: z.optional(AdaptiveAreaSchema()),
    /**
     * How many of the area's questions the estimate weighed by calibrated parameters instead of
     * their difficulty label; absent when none (and in results graded before it was recorded).
     */
    calibrated: z.optional(z.int()),
  }),
);
export type AreaProfile = z.infer<ReturnType<typeof AreaProfileSchema>>;

export const DevelopmentSchema = /* @__PURE__ */ once(() =>
  z.object({
    area: z.string(),
    name: z.string(),
    suggestion: z.string(),
  }),
);
export type Development = z.infer<ReturnType<typeof DevelopmentSchema>>;

export interface SkillProfile {
  /** 0-100: the mean item score, so each section weighs by its size. */
  score: number;
  passed?: boolean;
  technical: { score: number } | null;
  soft: { score: number } | null;
  areas: AreaProfile[];
  /** Up to two areas at advanced or expert, strongest first. */
  strengths: Development[];
  /** Up to two areas at foundational, weakest first. */
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
  const text = known ? AREA_DEVELOPMENT[known.id as AreaId]?.[which] : undefined;
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

/** An item and its score as the EAP sees it: calibrated (GPCM/2PL) or its label prior. */
export function scoredItem(it: ProfileItem): ScoredItem {
  const model = itemModel(it, it.calibrated);
  return model.categories
    ? { a: model.a, steps: model.steps, categories: model.categories, score: it.score }
    : { a: model.a, b: model.steps[0]!, score: it.score };
}

/** Levels that make an area a strength, and the one that makes it a gap. */
export const STRENGTH_LEVELS: readonly Level[] = ['advanced', 'expert'];
export const GAP_LEVELS: readonly Level[] = ['foundational'];
/** Strengths and gaps listed at most. */
export const MAX_LISTED = 2;

/**
 * Strengths and gaps follow from the levels, so that the same level is always read the same
 * way: a strength is an area at `advanced` or `expert`, a gap an area at `foundational`; an
 * `intermediate` area is neither (its estimate does not rule out the average) and an area with
 * `insufficient-evidence` is neither. At most two of each, strongest (weakest) first; ties keep
 * taxonomy order (the sort is stable).
 */
export function strengthsAndGaps(
  areas: readonly Pick<AreaProfile, 'area' | 'level' | 'ability'>[],
) {
  const strengths = areas
    .filter((a) => STRENGTH_LEVELS.includes(a.level))
    .sort((x, y) => y.ability.theta - x.ability.theta)
    .slice(0, MAX_LISTED)
    .map((a) => development(a.area, 'strength'));
  const gaps = areas
    .filter((a) => GAP_LEVELS.includes(a.level))
    .sort((x, y) => x.ability.theta - y.ability.theta)
    .slice(0, MAX_LISTED)
    .map((a) => development(a.area, 'gap'));
  return { strengths, gaps };
}

/**
 * A stored profile under today's rule: each area's level recomputed from its stored ability and
 * item count, and strengths and gaps from those levels. Results are written once; the rule that
 * reads them is applied when they are read, so two reports never apply different rules.
 */
export function currentProfile<P extends Pick<SkillProfile, 'areas' | 'strengths' | 'gaps'>>(
  profile: P,
): P {
  const areas = profile.areas.map((a) => ({
    ...a,
    level: levelOf(a.ability.theta, a.ability.standardError, a.items),
  }));
  return { ...profile, areas, ...strengthsAndGaps(areas) };
}

const fmt = (x: number, digits = 2) => (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits);

/** The band of a level as a person reads it: "−0.5 ≤ θ < 0.5". */
export function levelBand(level: Exclude<Level, 'insufficient-evidence'>): string {
  const i = LEVEL_BANDS.findIndex(([name]) => name === level);
  const from = LEVEL_BANDS[i]![1];
  const to = LEVEL_BANDS[i + 1]?.[1];
  if (from === Number.NEGATIVE_INFINITY) return `θ < ${fmt(to!, 1)}`;
  return to === undefined ? `θ ≥ ${fmt(from, 1)}` : `${fmt(from, 1)} ≤ θ < ${fmt(to, 1)}`;
}

const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  foundational: 'Foundational',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
  expert: 'Expert',
  'insufficient-evidence': 'Insufficient evidence',
};

/** A level's name as a report shows it. */
export const levelName = (level: Level) => LEVEL_NAMES[level];

/**
 * The rule that produced an area's level, stated with the evidence it used: the number of
 * questions, their difficulties when known, the ability estimate and its standard error, and
 * the band (or the evidence threshold it missed). Also says whether the level makes the area a
 * strength or a gap, and why an intermediate one is neither. `answered`, when given and fewer
 * than the questions, is stated too: unanswered questions count as wrong, and a level from a
 * section the candidate never reached must say that it rests on no answer.
 */
export function levelRule(
  a: Pick<AreaProfile, 'level' | 'items' | 'ability' | 'score' | 'calibrated'>,
  difficulties?: readonly number[],
  answered?: number,
): string {
  const q = `${a.items} question${a.items === 1 ? '' : 's'}`;
  const { theta, standardError: se } = a.ability;
  if (a.level === 'insufficient-evidence') {
    if (a.items < MIN_ITEMS_FOR_LEVEL)
      return `Insufficient evidence: ${q} in this area; a level needs at least ${MIN_ITEMS_FOR_LEVEL}, so its score (${a.score}) is not turned into a level, a strength or a gap. It says the test asked too little here, not that the candidate did badly or well.`;
    return `Insufficient evidence: the ability estimate from ${q} has a standard error of ${fmt(se)}, above ${MAX_STANDARD_ERROR_FOR_LEVEL} (their calibration says they separate candidates poorly). Neither a strength nor a gap.`;
  }
  const mix = difficulties?.length
    ? ` of difficulty ${[...difficulties].sort((x, y) => x - y).join(', ')}`
    : '';
  const unanswered =
    answered !== undefined && answered < a.items
      ? ` (${answered === 0 ? 'none' : answered} of them answered; an unanswered question counts as wrong)`
      : '';
  const band = levelBand(a.level);
  const reading = STRENGTH_LEVELS.includes(a.level)
    ? 'A strength (advanced or expert).'
    : GAP_LEVELS.includes(a.level)
      ? 'A gap (foundational).'
      : 'Neither a strength nor a gap: the estimate does not rule out an average candidate.';
  // The difficulty labels listed above are not what a calibrated question was weighed by.
  const weighing = a.calibrated
    ? `θ weighs each answer by how hard and how telling its question is: ${
        a.calibrated === a.items
          ? `all ${q} are weighed by parameters calibrated from candidates' responses`
          : `${a.calibrated} of the ${q} ${a.calibrated === 1 ? 'is' : 'are'} weighed by parameters calibrated from candidates' responses, the others by their difficulty label`
      }.`
    : "θ weighs each answer by its question's difficulty, so the same score from harder questions gives a higher θ.";
  return `${levelName(a.level)}: ability θ = ${fmt(theta)} (standard error ${fmt(se)}) from ${q}${mix}${unanswered}; ${levelName(a.level).toLowerCase()} is ${band}. ${weighing} ${reading}`;
}

/**
 * The skill profile of graded questions. Areas come in taxonomy order, each with its score
 * (0-100), items, fully correct items, EAP ability (calibrated parameters where the attempt
 * has them, difficulty-label priors otherwise) and level. A fixed area's score is its mean
 * item score; an adaptive area's is the expected score on its section's whole pool at its EAP
 * (its candidates see items of different difficulty, so their raw means are not comparable)
 * for each item used, and 0 for each item short of the section's minItems the candidate did
 * not reach (0 when no item was answered). The overall score is the mean over items, an
 * adaptive area counting once per item used or per minItems, whichever is more, so a test
 * without adaptive sections scores its mean item score. Strengths and gaps follow from the levels ({@link strengthsAndGaps}). The
 * result does not depend on item order.
 */
export function buildProfile(input: ProfileInput): SkillProfile {
  const byArea = new Map<string, ProfileItem[]>();
  for (const item of input.items) byArea.set(item.area, [...(byArea.get(item.area) ?? []), item]);
  const adaptiveOf = new Map((input.adaptive ?? []).map((a) => [a.area, a]));
  for (const a of adaptiveOf.keys()) if (!byArea.has(a)) byArea.set(a, []);
  /** Per area, the item scores its overall and kind scores count. */
  const counted = new Map<string, number[]>();

  const areas: AreaProfile[] = [...byArea.keys()].sort(byTaxonomy).map((area) => {
    const items = byArea.get(area)!;
    const estimate = eap(items.map(scoredItem));
    const ability = {
      theta: round3(estimate.theta),
      standardError: round3(estimate.standardError),
    };
    const kind: AreaKind = findArea(area)?.kind ?? 'technical';
    const calibrated = items.filter((it) => it.calibrated).length;
    const section = adaptiveOf.get(area);
    let score = pct(items.map((it) => it.score));
    let unreached = 0;
    counted.set(
      area,
      items.map((it) => it.score),
    );
    if (section) {
      const pool = section.pool;
      const expected =
        items.length && pool.length
          ? pool.reduce((sum, m) => sum + expectedScore(m, estimate.theta), 0) / pool.length
          : 0;
      // The section owed the candidate at least minItems questions: those not reached (the
      // candidate submitted or ran out of time first) count 0, as unanswered fixed questions
      // do. Without this, leaving an adaptive section untouched dropped it from the overall
      // score (two fixed questions right and twelve adaptive ones skipped scored 100), and
      // one wrong answer scored the area at the prior's expected score (41 of 100).
      // Only the candidate's leaving counts so: a section the server ended early (its pool
      // ran out, which a pool of at least maxItems prevents) owes nothing.
      const left = section.stopReason === 'submitted' || section.stopReason === 'time-up';
      unreached = left ? Math.max(0, section.minItems - items.length) : 0;
      const slots = [...items.map(() => expected), ...Array.from({ length: unreached }, () => 0)];
      score = pct(slots);
      counted.set(area, slots);
    }
    return {
      area,
      kind,
      score,
      items: items.length,
      correct: items.filter((it) => it.score === 1).length,
      level: levelOf(ability.theta, ability.standardError, items.length),
      ability,
      ...(calibrated ? { calibrated } : {}),
      ...(section
        ? {
            adaptive: {
              stopReason: section.stopReason,
              itemsUsed: items.length,
              minItems: section.minItems,
              maxItems: section.maxItems,
              standardError: ability.standardError,
              targetStandardError: section.targetStandardError,
              unreached,
            },
          }
        : {}),
    };
  });

  const kindScore = (kind: AreaKind) => {
    const scores = [...counted]
      .filter(([area]) => (findArea(area)?.kind ?? 'technical') === kind)
      .flatMap(([, xs]) => xs);
    return scores.length ? { score: pct(scores) } : null;
  };

  const { strengths, gaps } = strengthsAndGaps(areas);
  const score = pct([...counted.values()].flat());
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
  contents: readonly (ItemCalibration & { id: string; calibrated?: CalibratedParameters })[],
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
      ...(c.calibrated ? { calibrated: c.calibrated } : {}),
    };
  });
}
