/**
 * Schemas of the employer-attempts function's routes (`routes/employer-attempts.ts`): results,
 * reports, previews and more time. Apart from `assessments.ts` so that the employer function,
 * whose routes read none of them, does not build them at load.
 */
import * as z from 'zod/mini';
import { IntegritySignalSchema } from '../../domain/integrity.ts';
import { AreaProfileSchema } from '../../domain/profile.ts';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { once } from '../../domain/z.ts';
import { Candidate } from './candidate-details.ts';
import { AttemptView } from './candidates.ts';

const AreaScores = /* @__PURE__ */ once(() => z.record(z.string(), z.number()));

export const ResultRow = /* @__PURE__ */ once(() =>
  z.object({
    attemptId: z.string(),
    candidate: Candidate(),
    status: z.enum(['submitted', 'expired']),
    score: z.number(),
    percentile: z.optional(z.number()),
    passed: z.optional(z.boolean()),
    completedAt: z.string(),
    areas: AreaScores(),
  }),
);

export const ResultPage = /* @__PURE__ */ once(() =>
  z.object({
    items: z.array(ResultRow()),
    nextCursor: z.nullable(z.string()),
  }),
);

export const Development = /* @__PURE__ */ once(() =>
  z.object({
    area: z.enum(AREA_IDS),
    kind: z.enum(['strength', 'gap']),
    name: z.string(),
    suggestion: z.string(),
  }),
);

export const ExtensionView = /* @__PURE__ */ once(() =>
  z.object({
    minutes: z.int(),
    reason: z.optional(z.string()),
    by: z.string(),
    at: z.string(),
    from: z.string(),
    to: z.string(),
  }),
);

export const ExtendAttemptBody = /* @__PURE__ */ once(() =>
  z
    .strictObject({
      minutes: z
        .int()
        .check(z.gte(1, 'Give 1 to 600 minutes.'), z.lte(600, 'Give 1 to 600 minutes.')),
      reason: z
        .string()
        .check(
          z.trim(),
          z.minLength(1, 'Say why (it is kept with the attempt and shown in the report).'),
          z.maxLength(500),
        ),
    })
    .register(z.globalRegistry, {
      id: 'ExtendAttempt',
      description:
        'More time for a running attempt: minutes added to its current deadline, and why (audited).',
    }),
);

export const AttemptExtended = /* @__PURE__ */ once(() =>
  z.object({
    attemptId: z.string(),
    status: z.literal('active'),
    deadline: z.string(),
    previousDeadline: z.string(),
    extension: ExtensionView(),
    extensionCount: z.int(),
  }),
);

export const PreviewStarted = /* @__PURE__ */ once(() =>
  z
    .extend(AttemptView(), {
      preview: z.literal(true),
      takeUrl: z
        .string()
        .check(
          z.describe(
            'Where the candidate app opens this preview: the attempt token is in the fragment, which the browser never sends to a server.',
          ),
        ),
    })
    .register(z.globalRegistry, {
      id: 'PreviewStarted',
      description:
        "A preview attempt of your assessment, as a candidate's start returns it; never counted in results, norms, item statistics or events.",
    }),
);

export const Report = /* @__PURE__ */ once(() =>
  z
    .object({
      attemptId: z.string(),
      status: z.enum(['active', 'submitted', 'expired']),
      candidate: Candidate(),
      assessment: z.object({ assessmentId: z.string(), title: z.string() }),
      startedAt: z.string(),
      completedAt: z.optional(z.string()),
      secondsUsed: z.optional(z.int()),
      score: z.optional(z.number()),
      passed: z.optional(z.boolean()),
      percentile: z.optional(z.number()),
      technical: z.optional(z.nullable(z.object({ score: z.number() }))),
      soft: z.optional(z.nullable(z.object({ score: z.number() }))),
      areas: z.array(
        z.extend(AreaProfileSchema(), {
          name: z.optional(z.string()),
          answered: z.optional(z.int()),
          levelRule: z.optional(
            z
              .string()
              .check(
                z.describe(
                  'The rule that produced the level, with the evidence it used (docs/scoring.md#levels).',
                ),
              ),
          ),
          adaptiveSummary: z.optional(
            z
              .string()
              .check(
                z.describe(
                  'An adaptive area in words: questions used and their range, why the section ended, its standard error against the target, what its score means, and the question shown and not answered (as the printable report says it).',
                ),
              ),
          ),
        }),
      ),
      strengths: z.array(z.enum(AREA_IDS)),
      gaps: z.array(z.enum(AREA_IDS)),
      development: z.array(Development()),
      integrity: z.object({ signals: z.array(IntegritySignalSchema()) }),
      extensions: z.optional(z.array(ExtensionView())),
      questions: z.array(
        z.object({
          questionId: z.string(),
          version: z.int(),
          area: z.string(),
          score: z.number(),
          secondsSpent: z.int(),
          areaName: z.optional(z.string()),
          type: z.optional(z.string()),
          difficulty: z.optional(z.int()),
          outcome: z.optional(
            z
              .enum(['correct', 'partial', 'wrong', 'unanswered', 'unanswered-or-wrong'])
              .check(
                z.describe(
                  '`unanswered` (no answer saved) is told apart from `wrong` (both score 0); `unanswered-or-wrong` only for results graded before answers were recorded.',
                ),
              ),
          ),
          answered: z.optional(z.boolean()),
          shownNotAnswered: z.optional(
            z
              .literal(true)
              .check(
                z.describe(
                  'An adaptive item the candidate was shown and had not answered when the attempt ended: listed after its area’s questions, not graded (score 0 is not in the area’s score; unreached questions are, see `areas[].adaptive.unreached`).',
                ),
              ),
          ),
          answer: z.optional(
            z
              .string()
              .check(
                z.describe(
                  "The candidate's saved answer as a person reads it (option ids with their texts, the number or the text given); absent when unanswered or erased.",
                ),
              ),
          ),
          prompt: z.optional(z.string().check(z.describe('Markdown.'))),
          correctAnswer: z.optional(z.string().check(z.describe('The key as a person reads it.'))),
          explanation: z.optional(z.string().check(z.describe('Markdown.'))),
        }),
      ),
      deadline: z.optional(
        z
          .string()
          .check(z.describe('The deadline the attempt ended with (or has), with extensions.')),
      ),
      preview: z.optional(z.boolean()),
      erasedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, {
      id: 'Report',
      description:
        "An attempt's skill profile with per-question detail and integrity evidence (employers only). See docs/scoring.md.",
    }),
);
