import * as z from 'zod/mini';
import { MAX_EVENTS_PER_BATCH, PAGE_EVENT_TYPES } from '../../domain/integrity.ts';
import { LOCALES } from '../../domain/locales.ts';
import { LevelSchema } from '../../domain/psychometrics.ts';
import { AnswerSchema, CandidateQuestionSchema } from '../../domain/question.ts';
import { notReserved } from '../../domain/reserved.ts';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { cleanText } from '../../domain/text.ts';
import { once } from '../../domain/z.ts';

/*
 * Each schema is built on its first use (`once`, see domain/z.ts): a cold start builds only its
 * own route's (a start: its body and the attempt view), not the other six routes'. The route
 * table (routes/candidate.ts) reads them through getters.
 */

export const StartAttemptBody = /* @__PURE__ */ once(() =>
  z.strictObject({
    invitationToken: cleanText('line', { min: 1, max: 200 }),
  }),
);

/** The candidate view of a question: one branch per question type (see domain/question.ts). */
export const CandidateQuestion = CandidateQuestionSchema;

const STOP_REASONS = ['target-standard-error', 'max-items', 'pool-exhausted', 'time-up'] as const;

/** A section of the attempt: its questions so far; an adaptive one with its progress. */
export const AttemptSection = /* @__PURE__ */ once(() =>
  z.object({
    index: z.int(),
    area: z.enum(AREA_IDS),
    mode: z.enum(['fixed', 'adaptive']),
    /** The section's questions by handle (an adaptive section's as shown so far, the current one last). */
    questionIds: z.array(z.string()),
    minItems: z.optional(z.int()),
    maxItems: z.optional(z.int()),
    answered: z.optional(z.int()),
    itemsLeftAtMost: z.optional(
      z
        .int()
        .check(z.describe('An adaptive section: at most this many more items (0 once it ended).')),
    ),
    current: z.optional(
      z.nullable(
        z
          .string()
          .check(
            z.describe(
              'An adaptive section: the handle of the question waiting for an answer (null: none).',
            ),
          ),
      ),
    ),
    complete: z.optional(z.nullable(z.object({ reason: z.enum(STOP_REASONS) }))),
  }),
);

export const AttemptView = /* @__PURE__ */ once(() =>
  z
    .object({
      attemptId: z.string(),
      attemptToken: z.optional(z.string()),
      status: z.enum(['active', 'submitted', 'expired']),
      /** An employer's preview (never counted anywhere). */
      preview: z.optional(z.boolean()),
      startedAt: z.string(),
      deadline: z
        .string()
        .check(
          z.describe('The current deadline: an employer may extend it while the attempt runs.'),
        ),
      gracePeriodSeconds: z.int(),
      serverTime: z.string(),
      assessment: z.object({ title: z.string(), timeLimitMinutes: z.int() }),
      questions: z.array(CandidateQuestion()),
      answers: z.record(z.string(), AnswerSchema()),
      /** Each saved answer's revision (for If-Match) and the server time it was saved. */
      revisions: z.record(z.string(), z.object({ revision: z.int(), savedAt: z.string() })),
      sections: z.optional(z.array(AttemptSection())),
    })
    .register(z.globalRegistry, {
      id: 'Attempt',
      description:
        "An attempt as its candidate sees it: never keys, weights, explanations or scores, and never a bank's question or option ids: `questionId` is the question's opaque handle in this attempt (`q1`, `q2`...; an adaptive section's items get the next handles of its slots as they are reached), an option's `id` its handle (`o1` is shown first), and `answers`/`revisions` are keyed by question handle, answers naming options by handle. `questions` lists every fixed section's questions and each adaptive section's items as shown so far (the one waiting for an answer last); `sections` says which sections are adaptive, which item is current and at most how many are left.",
    }),
);

export const SaveAnswerBody = /* @__PURE__ */ once(() =>
  z.strictObject({ answer: AnswerSchema() }),
);

export const Saved = /* @__PURE__ */ once(() =>
  z.object({
    savedAt: z.string(),
    serverTime: z.string(),
    deadline: z.string(),
    /** The answer's revision: 1 for the first save of the question, +1 per later save. */
    revision: z.int(),
    /** A save in an adaptive section: the section's progress. */
    section: z.optional(AttemptSection()),
    /** A save in an adaptive section: the next item, chosen from the answers so far. */
    next: z.optional(CandidateQuestion()),
    /** A save in an adaptive section that ended it: why, and how many items it used. */
    sectionComplete: z.optional(z.object({ reason: z.enum(STOP_REASONS), items: z.int() })),
  }),
);

export const CandidateResult = /* @__PURE__ */ once(() =>
  z
    .object({
      score: z.number(),
      passed: z.optional(z.boolean()),
      technical: z.nullable(z.object({ score: z.number() })),
      soft: z.nullable(z.object({ score: z.number() })),
      areas: z.array(
        z.object({
          area: z.enum(AREA_IDS),
          kind: z.enum(['technical', 'soft']),
          score: z.number(),
          items: z.int(),
          level: LevelSchema(),
        }),
      ),
      strengths: z.array(z.enum(AREA_IDS)),
      gaps: z.array(z.enum(AREA_IDS)),
      development: z.array(
        z.object({
          area: z.enum(AREA_IDS),
          kind: z.enum(['strength', 'gap']),
          name: z.string(),
          suggestion: z.string(),
        }),
      ),
    })
    .register(z.globalRegistry, {
      id: 'CandidateResult',
      description:
        "A candidate's own skill profile: scores and levels per area, no keys, no per-question detail.",
    }),
);

export const SubmitResult = /* @__PURE__ */ once(() =>
  z.object({
    status: z.enum(['submitted', 'expired']),
    result: z.optional(CandidateResult()),
  }),
);

export const InspectInvitationBody = StartAttemptBody;

export const InvitationPreview = /* @__PURE__ */ once(() =>
  z
    .object({
      status: z.enum(['pending', 'started']),
      organisation: z.object({ name: z.string() }),
      candidate: z.object({ name: z.optional(z.string()) }),
      assessment: z.object({
        title: z.string(),
        timeLimitMinutes: z.int(),
        extraTimePercent: z.int(),
        timeAllowedSeconds: z
          .int()
          .check(z.describe('The time limit with this candidate’s extra time, in seconds.')),
        questionCount: z.int(),
        showResultToCandidate: z.boolean(),
        sections: z.array(
          z.object({
            area: z.enum(AREA_IDS),
            name: z.string(),
            kind: z.enum(['technical', 'soft']),
            count: z.int(),
            /** An adaptive section: items adapt to the answers, at least minItems, at most maxItems (count). */
            mode: z.optional(z.literal('adaptive')),
            minItems: z.optional(z.int()),
            maxItems: z.optional(z.int()),
          }),
        ),
      }),
      expiresAt: z.string(),
      locale: z.enum(LOCALES),
      startedAt: z.optional(z.string()),
      deadline: z.optional(z.string()),
      serverTime: z.string(),
    })
    .register(z.globalRegistry, {
      id: 'InvitationPreview',
      description:
        'What a candidate sees before starting: read without starting or changing anything. `startedAt` and `deadline` once the attempt has started.',
    }),
);

export const PageEventsBody = /* @__PURE__ */ once(() =>
  z.strictObject({
    events: z
      .array(
        z.strictObject({
          type: z.enum(PAGE_EVENT_TYPES),
          ageMs: z.int().check(z.gte(0), z.lte(3_600_000)),
          questionId: z.optional(
            cleanText('line', { min: 1, max: 64 }).check(notReserved('Question ids')),
          ),
          chars: z.optional(z.int().check(z.gte(0), z.lte(1_000_000))),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_BATCH)),
    batchId: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[A-Za-z0-9_-]{16,64}$/,
            'A batch id is 16-64 letters, digits, "-" or "_": one random value per batch, sent again unchanged when the batch is retried.',
          ),
        ),
    ),
  }),
);

export const PageEventsRecorded = /* @__PURE__ */ once(() =>
  z.object({ recorded: z.int(), serverTime: z.string() }),
);
