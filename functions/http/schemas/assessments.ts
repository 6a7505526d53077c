import * as z from 'zod/mini';
import {
  CreateAssessmentInput,
  MAX_REMIND_HOURS,
  UpdateAssessmentInput,
} from '../../domain/assessment.ts';
import { LOCALES } from '../../domain/locales.ts';
import { notReserved } from '../../domain/reserved.ts';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { cleanText } from '../../domain/text.ts';
import { once, whenPresent } from '../../domain/z.ts';
import { Candidate } from './candidate-details.ts';

export {
  AnswerParams,
  AssessmentParams,
  AttemptParams,
  InvitationParams,
  PageQuery,
} from './common.ts';

export const CreateAssessmentBody = /* @__PURE__ */ once(() =>
  CreateAssessmentInput.register(z.globalRegistry, {
    id: 'CreateAssessment',
    description:
      'A blueprint: sections over areas with counts and difficulty, the time limit and scoring options. A section with "mode": "adaptive" has no count: the server chooses each next item from the previous answers (maximum information at the current ability estimate), stopping once the standard error is at most targetStandardError (default 0.4) after at least minItems (default 5), or at maxItems (default 20), or when time runs out. Fixed and adaptive sections mix. Sections may not overlap (two sections of one area with the same difficulty, or one of them mixed: 400 naming the later section), and an assessment has at most 200 questions in all, an adaptive section counting its maxItems (400 naming `sections`).',
  }),
);

export const UpdateAssessmentBody = /* @__PURE__ */ once(() =>
  UpdateAssessmentInput.register(z.globalRegistry, {
    id: 'UpdateAssessment',
    description:
      'The fields to change; null removes instructions or passingScore. timeLimitMinutes, sections and gracePeriodSeconds change only while no attempt has started (409 after). New sections follow the blueprint rules: no overlapping sections, at most 200 questions in all (400 otherwise).',
  }),
);

export const CloneAssessmentBody = /* @__PURE__ */ once(() =>
  z.strictObject({
    title: z.optional(cleanText('name', { min: 1, max: 200 })),
  }),
);

const Difficulty = /* @__PURE__ */ once(() =>
  z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('mixed')]),
);

export const AssessmentView = /* @__PURE__ */ once(() =>
  z
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
          difficulty: Difficulty(),
          questionPool: z.int(),
          /** Adaptive sections only: the mode and the stopping rule (count is maxItems). */
          mode: z.optional(z.literal('adaptive')),
          minItems: z.optional(z.int()),
          maxItems: z.optional(z.int()),
          targetStandardError: z.optional(z.number()),
          bestStandardError: z.optional(
            z
              .number()
              .check(
                z.describe(
                  "Adaptive sections: the lowest standard error this section's pool can reach within maxItems, with the items' parameters as calibrated when the pool was frozen (1/sqrt(1 + the information of its maxItems most informative items at their peak)). Above targetStandardError, the target cannot be reached and every candidate answers maxItems items: 20 uncalibrated items reach 0.408 at best. Absent on sections frozen before 2026-12-02.",
                ),
              ),
          ),
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
    .register(z.globalRegistry, { id: 'Assessment' }),
);

export const AssessmentPage = /* @__PURE__ */ once(() =>
  z.object({
    items: z.array(AssessmentView()),
    nextCursor: z.nullable(z.string()),
  }),
);

export const CandidateInput = /* @__PURE__ */ once(() =>
  z.strictObject({
    name: z.optional(cleanText('name', { min: 1, max: 200 })),
    email: z.optional(z.email().check(z.maxLength(254))),
    externalId: z.optional(
      cleanText('line', { min: 1, max: 200 }).check(notReserved('External ids')),
    ),
    extraTimePercent: z.optional(z.int().check(z.gte(0), z.lte(200))),
    locale: z.optional(
      z.enum(LOCALES).check(z.describe('Language of the candidate app’s texts (default en).')),
    ),
  }),
);

const ExpiresAt = /* @__PURE__ */ once(() =>
  z.iso.datetime({
    offset: true,
    error: whenPresent('expiresAt is an ISO-8601 date-time, e.g. 2026-12-31T23:59:00Z.'),
  }),
);

export const CreateInvitationsBody = /* @__PURE__ */ once(() =>
  z.strictObject({
    candidates: z.array(CandidateInput()).check(z.minLength(1), z.maxLength(500)),
    expiresAt: ExpiresAt(),
    send: z.optional(
      z
        .boolean()
        .check(
          z.describe(
            'Email each candidate who has an email address their link, in their locale (from the outbox: see delivery in the invitations list). Default false.',
          ),
        ),
    ),
  }),
);

export const ResendInvitationBody = /* @__PURE__ */ once(() =>
  z.strictObject({
    expiresAt: z.optional(ExpiresAt()),
  }),
);

const MailStatus = /* @__PURE__ */ once(() =>
  z.enum(['queued', 'sent', 'delivered', 'bounced', 'complained', 'failed']),
);

export const InvitationView = /* @__PURE__ */ once(() =>
  z
    .object({
      invitationId: z.string(),
      assessmentId: z.string(),
      status: z.enum(['pending', 'started', 'completed', 'expired', 'revoked', 'undeliverable']),
      expiresAt: z.string(),
      candidate: Candidate(),
      extraTimePercent: z.int(),
      createdAt: z.string(),
      attemptId: z.optional(z.string()),
      delivery: z.optional(
        z
          .object({
            status: MailStatus(),
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
    .register(z.globalRegistry, { id: 'Invitation' }),
);

export const IssuedInvitations = /* @__PURE__ */ once(() =>
  z.object({
    invitations: z.array(
      z.extend(InvitationView(), {
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
  }),
);

export const ResentInvitation = /* @__PURE__ */ once(() =>
  z.extend(InvitationView(), {
    token: z
      .string()
      .check(
        z.describe('The new link’s token, shown only here. The previous link no longer works.'),
      ),
    emailed: z
      .boolean()
      .check(z.describe('Whether the new link was queued for email to the candidate.')),
  }),
);

export const OrganisationBody = /* @__PURE__ */ once(() =>
  z
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
    }),
);

export const OrganisationView = /* @__PURE__ */ once(() =>
  z.object({
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
  }),
);

export const InvitationPage = /* @__PURE__ */ once(() =>
  z.object({
    items: z.array(InvitationView()),
    nextCursor: z.nullable(z.string()),
  }),
);
