import * as z from 'zod/mini';
import { ADAPTIVE_DEFAULTS, ADAPTIVE_LIMITS } from './adaptive-defaults.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { storable } from './numbers.ts';
import type { QuestionTypeId } from './question-types/type.ts';
import { sample, seededRandom } from './random.ts';
import { DEFAULT_REMIND_HOURS } from './reminder-time.ts';
import { AREA_IDS } from './taxonomy.ts';
import { cleanText } from './text.ts';

export const MAX_QUESTIONS_PER_ASSESSMENT = 200;

// In modules of their own (no schema built at load) for the calibration, mail and reminders
// jobs; re-exported here.
export { ADAPTIVE_DEFAULTS, ADAPTIVE_LIMITS } from './adaptive-defaults.ts';
export { DEFAULT_REMIND_HOURS, reminderAt } from './reminder-time.ts';

const ITEMS_MESSAGE = (field: string) => ({
  error: `${field} is a whole number of questions from 1 to ${ADAPTIVE_LIMITS.maxItems}.`,
});
const SE_MESSAGE = {
  error: `targetStandardError is from ${ADAPTIVE_LIMITS.minStandardError} to ${ADAPTIVE_LIMITS.maxStandardError} (default ${ADAPTIVE_DEFAULTS.targetStandardError}; smaller asks more questions).`,
};

const SectionFields = /* @__PURE__ */ (() =>
  z.strictObject({
    area: z.enum(AREA_IDS, { error: `Unknown area; use one of: ${AREA_IDS.join(', ')}.` }),
    /** Questions of a fixed section (an adaptive section has minItems and maxItems instead). */
    count: z.optional(z.int().check(z.gte(1), z.lte(100))),
    difficulty: z.optional(
      z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('mixed')], {
        error: 'difficulty is 1, 2, 3 or "mixed".',
      }),
    ),
    mode: z.optional(
      z.enum(['fixed', 'adaptive'], { error: 'mode is "fixed" (the default) or "adaptive".' }),
    ),
    minItems: z.optional(
      z
        .int()
        .check(
          z.gte(1, ITEMS_MESSAGE('minItems')),
          z.lte(ADAPTIVE_LIMITS.maxItems, ITEMS_MESSAGE('minItems')),
        ),
    ),
    maxItems: z.optional(
      z
        .int()
        .check(
          z.gte(1, ITEMS_MESSAGE('maxItems')),
          z.lte(ADAPTIVE_LIMITS.maxItems, ITEMS_MESSAGE('maxItems')),
        ),
    ),
    targetStandardError: z.optional(
      z
        .number()
        .check(
          z.gte(ADAPTIVE_LIMITS.minStandardError, SE_MESSAGE),
          z.lte(ADAPTIVE_LIMITS.maxStandardError, SE_MESSAGE),
          storable(),
        ),
    ),
  }))();

/**
 * checkBlueprint's per-section rules, stated for the OpenAPI document: a fixed section has a
 * count and no stopping rule, an adaptive one a stopping rule and no count. The contract test
 * holds the server to them (tests/integration/contract.test.ts).
 */
const SECTION_KINDS = {
  oneOf: [
    {
      title: 'Fixed section',
      description: 'count questions drawn at random from the pool (mode absent or "fixed").',
      required: ['count'],
      properties: { mode: { const: 'fixed' } },
      not: {
        anyOf: [
          { required: ['minItems'] },
          { required: ['maxItems'] },
          { required: ['targetStandardError'] },
        ],
      },
    },
    {
      title: 'Adaptive section',
      description:
        'Each next item chosen from the previous answers: no count; minItems (at most maxItems), maxItems and targetStandardError set when it stops.',
      required: ['mode'],
      properties: { mode: { const: 'adaptive' } },
      not: { required: ['count'] },
    },
  ],
};

export const SectionInput = /* @__PURE__ */ (() =>
  SectionFields.check(z.meta(SECTION_KINDS as Record<string, unknown>)))();
export type SectionInput = z.infer<typeof SectionInput>;

/** The longest lead a reminder may have: a week. */
export const MAX_REMIND_HOURS = 168;

const Title = /* @__PURE__ */ (() => cleanText('name', { min: 1, max: 200 }))();
const TimeLimit = /* @__PURE__ */ (() => z.int().check(z.gte(1), z.lte(600)))();
/**
 * The blueprint's rules run even when a section fails its schema (`when`), so one 400 names an
 * overlap beside a bad title or count instead of only after they are fixed.
 */
const Sections = /* @__PURE__ */ (() =>
  z.array(SectionInput).check(
    z.minLength(1),
    z.maxLength(26),
    z.superRefine(
      (sections: unknown, ctx) => {
        if (!Array.isArray(sections)) return;
        for (const i of blueprintRules(sections))
          ctx.addIssue({ code: 'custom', message: i.message, path: i.path, input: sections });
      },
      { when: (payload) => Array.isArray(payload.value) },
    ),
  ))();
const PassingScore = /* @__PURE__ */ (() => z.number().check(z.gte(0), z.lte(100), storable()))();
const GracePeriod = /* @__PURE__ */ (() => z.int().check(z.gte(0), z.lte(300)))();
const Instructions = /* @__PURE__ */ (() =>
  cleanText('long', { min: 1, max: 2000 }).check(
    z.describe("What the candidate should prepare, in the invitation email's own words."),
  ))();
const RemindHours = /* @__PURE__ */ (() =>
  z
    .int()
    .check(
      z.gte(0),
      z.lte(MAX_REMIND_HOURS),
      z.describe(
        `Hours before an invitation expires that a reminder goes to a candidate who has not started (default ${DEFAULT_REMIND_HOURS}; 0 = no reminder).`,
      ),
    ))();

export const CreateAssessmentInput = /* @__PURE__ */ (() =>
  z.strictObject({
    title: Title,
    timeLimitMinutes: TimeLimit,
    sections: Sections,
    passingScore: z.optional(PassingScore),
    showResultToCandidate: z.optional(z.boolean()),
    gracePeriodSeconds: z.optional(GracePeriod),
    instructions: z.optional(Instructions),
    remindBeforeExpiryHours: z.optional(RemindHours),
  }))();
export type CreateAssessmentInput = z.infer<typeof CreateAssessmentInput>;

/**
 * `PATCH /v1/assessments/{id}`: every field optional, `null` removes an optional one. The
 * content fields (time limit, sections, grace period) change only while no attempt has started.
 */
export const UpdateAssessmentInput = /* @__PURE__ */ (() =>
  z.strictObject({
    title: z.optional(Title),
    instructions: z.optional(z.nullable(Instructions)),
    passingScore: z.optional(z.nullable(PassingScore)),
    showResultToCandidate: z.optional(z.boolean()),
    remindBeforeExpiryHours: z.optional(RemindHours),
    timeLimitMinutes: z.optional(TimeLimit),
    sections: z.optional(Sections),
    gracePeriodSeconds: z.optional(GracePeriod),
  }))();
export type UpdateAssessmentInput = z.infer<typeof UpdateAssessmentInput>;

/** The fields of an assessment that its attempts are built from: frozen by the first start. */
export const CONTENT_FIELDS = ['timeLimitMinutes', 'sections', 'gracePeriodSeconds'] as const;

export type SectionDifficulty = 1 | 2 | 3 | 'mixed';

/** One question of a pool: where it lives and which immutable version. */
export interface QuestionRef {
  /** Organisation owning the question (the org or `public`). */
  o: string;
  /** Question id. */
  q: string;
  /** Version. */
  v: number;
  /** Type, so the attempt knows how to validate answers without reading the question. */
  t: QuestionTypeId;
}

/** How an adaptive section stops (docs/psychometrics.md#adaptive-sections). */
export interface AdaptiveSettingsInput {
  minItems: number;
  maxItems: number;
  targetStandardError: number;
}

export interface Section {
  area: string;
  /** Questions of a fixed section; an adaptive section's `maxItems`. */
  count: number;
  difficulty: SectionDifficulty;
  pool: QuestionRef[];
  /** Absent: a fixed section (drawn at random from the pool at start). */
  mode?: 'adaptive';
  /** An adaptive section's stopping rule. */
  adaptive?: AdaptiveSettingsInput;
  /**
   * An adaptive section's reach when its pool was frozen: the lowest standard error its pool can
   * give within `maxItems` (`bestStandardError`). Absent on sections frozen before it was kept.
   */
  bestStandardError?: number;
}

/** The blueprint of a frozen section, as it was asked for (cloning an assessment). */
export function sectionInputOf(s: Section): SectionInput {
  const base = { area: s.area as SectionInput['area'], difficulty: s.difficulty };
  return s.mode === 'adaptive' && s.adaptive
    ? { ...base, mode: 'adaptive', ...s.adaptive }
    : { ...base, count: s.count };
}

/** The length and stopping rule of a section input, defaults applied (after `checkBlueprint`). */
export function sectionLength(s: SectionInput): {
  count: number;
  adaptive?: AdaptiveSettingsInput;
} {
  if (s.mode !== 'adaptive') return { count: s.count ?? 0 };
  const maxItems = s.maxItems ?? Math.max(ADAPTIVE_DEFAULTS.maxItems, s.minItems ?? 0);
  const minItems = s.minItems ?? Math.min(ADAPTIVE_DEFAULTS.minItems, maxItems);
  return {
    count: maxItems,
    adaptive: {
      minItems,
      maxItems,
      targetStandardError: s.targetStandardError ?? ADAPTIVE_DEFAULTS.targetStandardError,
    },
  };
}

/** Rules a schema cannot express: sections may not overlap, the total is bounded. */
export function checkBlueprint(input: Pick<CreateAssessmentInput, 'sections'>): void {
  const issues = blueprintIssues(input.sections);
  if (issues.length) throw new ValidationError(issues);
}

const DIFFICULTIES: readonly unknown[] = [1, 2, 3, 'mixed'];
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The blueprint's rules over sections as sent, so that a request is told of these beside what
 * its schema refuses (every invalid field in one answer): a section that is not an object, or a
 * member of the wrong type, is left to the schema and judged here only by what it shows (an
 * overlap needs a known area and difficulty; the total counts the lengths it can read).
 */
export function blueprintIssues(sections: readonly unknown[]): FieldIssue[] {
  return blueprintRules(sections).map((i) => ({
    path: i.path.reduce<string>(
      (out, k) => (typeof k === 'number' ? `${out}[${k}]` : `${out}.${k}`),
      'sections',
    ),
    message: i.message,
  }));
}

/** The rules' findings, each with its path inside the sections list. */
function blueprintRules(
  sections: readonly unknown[],
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const read = sections.map((raw) => {
    if (!isRecord(raw)) return undefined;
    const area = (AREA_IDS as readonly unknown[]).includes(raw.area) ? raw.area : undefined;
    const difficulty = raw.difficulty === undefined ? 'mixed' : raw.difficulty;
    return { s: raw, area, difficulty: DIFFICULTIES.includes(difficulty) ? difficulty : undefined };
  });
  read.forEach((r, i) => {
    if (!r) return;
    const { s } = r;
    const at = (field: string) => [i, field];
    if (s.mode === 'adaptive') {
      if (s.count !== undefined)
        issues.push({
          path: at('count'),
          message:
            'An adaptive section has no fixed count: its length is set by minItems and maxItems (and targetStandardError).',
        });
      const min = typeof s.minItems === 'number' ? s.minItems : undefined;
      const max =
        typeof s.maxItems === 'number'
          ? s.maxItems
          : Math.max(ADAPTIVE_DEFAULTS.maxItems, min ?? 0);
      if (min !== undefined && min > max)
        issues.push({
          path: at('minItems'),
          message: `minItems (${min}) is more than maxItems (${max}).`,
        });
    } else {
      if (s.count === undefined)
        issues.push({ path: at('count'), message: 'Required: the number of questions.' });
      for (const field of ['minItems', 'maxItems', 'targetStandardError'] as const)
        if (s[field] !== undefined)
          issues.push({
            path: at(field),
            message: `${field} applies to an adaptive section only: add "mode": "adaptive", or remove it.`,
          });
    }
    if (r.area === undefined || r.difficulty === undefined) return;
    const d = r.difficulty;
    read.slice(0, i).forEach((p, j) => {
      if (!p || p.area !== r.area || p.difficulty === undefined) return;
      const pd = p.difficulty;
      if (pd === d || pd === 'mixed' || d === 'mixed') {
        issues.push({
          path: [i],
          message: `Overlaps sections[${j}] (${p.area}, difficulty ${pd}): one question could be drawn twice. Merge them or use distinct difficulties.`,
        });
      }
    });
  });
  const lengthOf = (s: Record<string, unknown>) =>
    s.mode === 'adaptive'
      ? typeof s.maxItems === 'number'
        ? s.maxItems
        : Math.max(ADAPTIVE_DEFAULTS.maxItems, typeof s.minItems === 'number' ? s.minItems : 0)
      : typeof s.count === 'number'
        ? s.count
        : 0;
  const total = read.reduce((n, r) => n + (r ? lengthOf(r.s) : 0), 0);
  if (total > MAX_QUESTIONS_PER_ASSESSMENT) {
    issues.push({
      path: [],
      message: `${total} questions in all (an adaptive section counts its maxItems); an assessment has at most ${MAX_QUESTIONS_PER_ASSESSMENT}.`,
    });
  }
  return issues;
}

/** How many questions a section's frozen pool keeps: enough that two candidates rarely match. */
export function poolCap(count: number): number {
  return Math.min(200, Math.max(count * 5, 20));
}

/** The attempt's deadline: the time limit stretched by the candidate's extra-time share. */
export function deadlineOf(startedAt: Date, timeLimitMinutes: number, extraTimePercent = 0): Date {
  return new Date(
    startedAt.getTime() + Math.round(timeLimitMinutes * 60_000 * (1 + extraTimePercent / 100)),
  );
}

/** Answers are accepted until the deadline plus the grace period (network latency, clocks). */
export function dueAtOf(deadline: Date, gracePeriodSeconds: number): Date {
  return new Date(deadline.getTime() + gracePeriodSeconds * 1000);
}

/**
 * Each fixed section's questions drawn at random from its pool, seeded by the attempt id, in
 * section order. Adaptive sections draw nothing here: their items are chosen one at a time.
 */
export function drawQuestions(sections: readonly Section[], seed: string): QuestionRef[] {
  return sections.flatMap((s, i) =>
    s.mode === 'adaptive' ? [] : sample(s.pool, s.count, seededRandom(`${seed}#section#${i}`)),
  );
}
