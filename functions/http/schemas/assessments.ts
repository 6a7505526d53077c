import * as z from 'zod/mini';
import {
  CreateAssessmentInput,
  MAX_REMIND_HOURS,
  UpdateAssessmentInput,
} from '../../domain/assessment.ts';
import { IntegritySignalSchema } from '../../domain/integrity.ts';
import { LOCALES } from '../../domain/locales.ts';
import { AreaProfileSchema } from '../../domain/profile.ts';
import { notReserved } from '../../domain/reserved.ts';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { cleanText } from '../../domain/text.ts';
import { AttemptView } from './candidates.ts';

export {
  AnswerParams,
  AssessmentParams,
  AttemptParams,
  InvitationParams,
  PageQuery,
} from './common.ts';

export const CreateAssessmentBody = CreateAssessmentInput.register(z.globalRegistry, {
  id: 'CreateAssessment',
  description:
    'A blueprint: sections over areas with counts and difficulty, the time limit and scoring options. A section with "mode": "adaptive" has no count: the server chooses each next item from the previous answers (maximum information at the current ability estimate), stopping once the standard error is at most targetStandardError (default 0.4) after at least minItems (default 5), or at maxItems (default 20), or when time runs out. Fixed and adaptive sections mix. Sections may not overlap (two sections of one area with the same difficulty, or one of them mixed: 400 naming the later section), and an assessment has at most 200 questions in all, an adaptive section counting its maxItems (400 naming `sections`).',
});

export const UpdateAssessmentBody = UpdateAssessmentInput.register(z.globalRegistry, {
  id: 'UpdateAssessment',
  description:
    'The fields to change; null removes instructions or passingScore. timeLimitMinutes, sections and gracePeriodSeconds change only while no attempt has started (409 after). New sections follow the blueprint rules: no overlapping sections, at most 200 questions in all (400 otherwise).',
});

export const CloneAssessmentBody = z.strictObject({
  title: z.optional(cleanText('name', { min: 1, max: 200 })),
});

const Difficulty = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('mixed')]);

export const AssessmentView = z
  .object({
    assessmentId: z.string(),
    title: z.string(),
    timeLimitMinutes: z.int(),
    gracePeriodSeconds: z.int(),
    passingScore: z.optional(z.number()),
    showResultToCandidate: z.boolean(),
    sections: z.array(
      z.object({
        area: z.enum(AREA_IDS),
        count: z.int(),
        difficulty: Difficulty,
        questionPool: z.int(),
        /** Adaptive sections only: the mode and the stopping rule (count is maxItems). */
        mode: z.optional(z.literal('adaptive')),
        minItems: z.optional(z.int()),
        maxItems: z.optional(z.int()),
        targetStandardError: z.optional(z.number()),
      }),
    ),
    questionCount: z.int(),
    instructions: z.optional(z.string()),
    remindBeforeExpiryHours: z.int().check(z.gte(0), z.lte(MAX_REMIND_HOURS)),
    contentEditable: z
      .boolean()
      .check(
        z.describe(
          'Whether timeLimitMinutes, sections and gracePeriodSeconds may still change: false once an attempt has started.',
        ),
      ),
    contentLockedAt: z.optional(z.string()),
    archivedAt: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Assessment' });

export const AssessmentPage = z.object({
  items: z.array(AssessmentView),
  nextCursor: z.nullable(z.string()),
});

export const CandidateInput = z.strictObject({
  name: z.optional(cleanText('name', { min: 1, max: 200 })),
  email: z.optional(z.email().check(z.maxLength(254))),
  externalId: z.optional(
    cleanText('line', { min: 1, max: 200 }).check(notReserved('External ids')),
  ),
  extraTimePercent: z.optional(z.int().check(z.gte(0), z.lte(200))),
  locale: z.optional(
    z.enum(LOCALES).check(z.describe('Language of the candidate app’s texts (default en).')),
  ),
});

const ExpiresAt = z.iso.datetime({
  offset: true,
  error: 'expiresAt is an ISO-8601 date-time, e.g. 2026-12-31T23:59:00Z.',
});

export const CreateInvitationsBody = z.strictObject({
  candidates: z.array(CandidateInput).check(z.minLength(1), z.maxLength(500)),
  expiresAt: ExpiresAt,
  send: z.optional(
    z
      .boolean()
      .check(
        z.describe(
          'Email each candidate who has an email address their link, in their locale (from the outbox: see delivery in the invitations list). Default false.',
        ),
      ),
  ),
});

export const ResendInvitationBody = z.strictObject({
  expiresAt: z.optional(ExpiresAt),
});

const Candidate = z.object({
  name: z.optional(z.string()),
  email: z.optional(z.string()),
  externalId: z.optional(z.string()),
  locale: z.optional(z.enum(LOCALES)),
});

const MailStatus = z.enum(['queued', 'sent', 'delivered', 'bounced', 'complained', 'failed']);

export const InvitationView = z
  .object({
    invitationId: z.string(),
    assessmentId: z.string(),
    status: z.enum(['pending', 'started', 'completed', 'expired', 'revoked', 'undeliverable']),
    expiresAt: z.string(),
    candidate: Candidate,
    extraTimePercent: z.int(),
    createdAt: z.string(),
    attemptId: z.optional(z.string()),
    delivery: z.optional(
      z
        .object({
          status: MailStatus,
          message: z.enum(['invitation', 'reminder', 'resend']),
          at: z.string(),
          reason: z.optional(z.string()),
        })
        .check(
          z.describe(
            "The latest email's state: queued, sent (accepted by the mail service), delivered, bounced or complained (reported by SES), failed (refused). A pending invitation whose email bounced, was complained about or failed reads as status undeliverable.",
          ),
        ),
    ),
    reminderDueAt: z.optional(z.string()),
    remindedAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Invitation' });

export const IssuedInvitations = z.object({
  invitations: z.array(
    z.extend(InvitationView, {
      token: z.optional(
        z
          .string()
          .check(
            z.describe(
              'Shown only here (and to a retry with the same Idempotency-Key while the invitation is unused): the candidate link carries it, e.g. https://host/take#<token>.',
            ),
          ),
      ),
    }),
  ),
});

export const ResentInvitation = z.extend(InvitationView, {
  token: z
    .string()
    .check(z.describe('The new link’s token, shown only here. The previous link no longer works.')),
  emailed: z
    .boolean()
    .check(z.describe('Whether the new link was queued for email to the candidate.')),
});

export const OrganisationBody = z
  .strictObject({
    // One line without control characters (the name goes into a mail header), no bidi controls.
    name: cleanText('name', { min: 1, max: 120 }),
    accessibilityContact: z.optional(
      cleanText('line', { min: 3, max: 300 }).check(
        z.describe(
          'Whom candidates ask for adjustments: an email address, a phone number or a web page.',
        ),
      ),
    ),
    replyTo: z.optional(
      z.email().check(z.maxLength(254), z.describe("Where replies to Assay's emails go.")),
    ),
  })
  .register(z.globalRegistry, {
    id: 'OrganisationSettings',
    description: 'What candidates see of your organisation in emails and on the invitation page.',
  });

export const OrganisationView = z.object({
  org: z.string(),
  name: z.string(),
  accessibilityContact: z.optional(z.string()),
  replyTo: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
  sendsMail: z
    .boolean()
    .check(
      z.describe(
        'Whether this deployment sends email (a sender address is configured). When false, invitations refuse send: true: deliver the links yourself.',
      ),
    ),
});

export const InvitationPage = z.object({
  items: z.array(InvitationView),
  nextCursor: z.nullable(z.string()),
});

const AreaScores = z.record(z.string(), z.number());

export const ResultRow = z.object({
  attemptId: z.string(),
  candidate: Candidate,
  status: z.enum(['submitted', 'expired']),
  score: z.number(),
  percentile: z.optional(z.number()),
  passed: z.optional(z.boolean()),
  completedAt: z.string(),
  areas: AreaScores,
});

export const ResultPage = z.object({
  items: z.array(ResultRow),
  nextCursor: z.nullable(z.string()),
});

export const Development = z.object({
  area: z.enum(AREA_IDS),
  kind: z.enum(['strength', 'gap']),
  name: z.string(),
  suggestion: z.string(),
});

export const ExtensionView = z.object({
  minutes: z.int(),
  reason: z.optional(z.string()),
  by: z.string(),
  at: z.string(),
  from: z.string(),
  to: z.string(),
});

export const ExtendAttemptBody = z
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
  });

export const AttemptExtended = z.object({
  attemptId: z.string(),
  status: z.literal('active'),
  deadline: z.string(),
  previousDeadline: z.string(),
  extension: ExtensionView,
  extensionCount: z.int(),
});

export const PreviewStarted = z
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
  });

export const Report = z
  .object({
    attemptId: z.string(),
    status: z.enum(['active', 'submitted', 'expired']),
    candidate: Candidate,
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
      z.extend(AreaProfileSchema, {
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
      }),
    ),
    strengths: z.array(z.enum(AREA_IDS)),
    gaps: z.array(z.enum(AREA_IDS)),
    development: z.array(Development),
    integrity: z.object({ signals: z.array(IntegritySignalSchema) }),
    extensions: z.optional(z.array(ExtensionView)),
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
  });
