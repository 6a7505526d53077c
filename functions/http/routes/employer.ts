/**
 * The employer function's routes: assessments, invitations and the organisation (see
 * `../routes.ts`, which lists them all). Body and response schemas are read through getters and
 * built on first use (schemas/assessments.ts), so a cold start builds only the schemas of the
 * route it serves. What an employer does with attempts (results, reports,
 * previews, more time, erasure) is the employer-attempts function's: `employer-attempts.ts`.
 */
import type { RouteDef } from '../route-types.ts';
import {
  AssessmentPage,
  AssessmentView,
  CloneAssessmentBody,
  CreateAssessmentBody,
  CreateInvitationsBody,
  InvitationPage,
  IssuedInvitations,
  OrganisationBody,
  OrganisationView,
  ResendInvitationBody,
  ResentInvitation,
  UpdateAssessmentBody,
} from '../schemas/assessments.ts';
import {
  AssessmentParams,
  IdempotencyKeyHeader,
  InvitationParams,
  PageQuery,
} from '../schemas/common.ts';

const EMPLOYERS = ['employer'] as const;

export const EMPLOYER_ROUTES = [
  {
    operationId: 'createAssessment',
    method: 'POST',
    path: '/v1/assessments',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      "Build an assessment from a blueprint. Each section's question pool is frozen now as (question, version) pairs from your and the public bank. Send an Idempotency-Key to make a retry safe: without one, a retry after a lost answer builds a second assessment.",
    get body() {
      return CreateAssessmentBody();
    },
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        schema: IdempotencyKeyHeader,
        description:
          '16-128 characters (use a UUID); a retry with the same key and body returns the same assessment (201).',
      },
    ],
    responses: {
      201: {
        description: 'Created, with the pool size per section.',
        get schema() {
          return AssessmentView();
        },
      },
      400: {
        description:
          'Invalid input, every invalid field named in `errors`; among them, as well as what the schema says, overlapping sections (same area, same or mixed difficulty) and more than 200 questions in all.',
      },
      422: {
        description:
          'The bank cannot fill a section: the message says which area lacks how many questions.',
      },
    },
  },
  {
    operationId: 'listAssessments',
    method: 'GET',
    path: '/v1/assessments',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'Your assessments, newest first.',
    query: PageQuery,
    responses: {
      200: {
        description: 'A page of assessments.',
        get schema() {
          return AssessmentPage();
        },
      },
    },
  },
  {
    operationId: 'getAssessment',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'One assessment.',
    params: AssessmentParams,
    responses: {
      200: {
        description: 'The assessment.',
        get schema() {
          return AssessmentView();
        },
      },
    },
  },
  {
    operationId: 'updateAssessment',
    method: 'PATCH',
    path: '/v1/assessments/{assessmentId}',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Change an assessment, all or nothing. Title, instructions, passing score, result visibility and the reminder setting may change at any time (passing score and visibility apply to attempts started afterwards). Time limit, sections and grace period only while no attempt has started; new sections get new pools from today’s bank.',
    params: AssessmentParams,
    get body() {
      return UpdateAssessmentBody();
    },
    responses: {
      200: {
        description: 'The assessment as changed.',
        get schema() {
          return AssessmentView();
        },
      },
      400: {
        description:
          'Invalid input, every invalid field named in `errors`; new sections must not overlap (same area, same or mixed difficulty) nor make more than 200 questions in all.',
      },
      409: {
        description:
          'An attempt has started, so time limit, sections and grace period can no longer change (clone it instead); or another edit landed first.',
      },
      422: { description: 'The bank cannot fill a new section.' },
    },
  },
  {
    operationId: 'deleteAssessment',
    method: 'DELETE',
    path: '/v1/assessments/{assessmentId}',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Delete an assessment from which no attempt has started, with its invitations (their links stop working).',
    params: AssessmentParams,
    responses: {
      204: { description: 'Deleted.' },
      409: { description: 'An attempt has started: archive it instead.' },
    },
  },
  {
    operationId: 'archiveAssessment',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/archive',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Archive: no new invitations and no reminders. Running attempts finish, and links already sent keep working until they expire (revoke them to stop them).',
    params: AssessmentParams,
    responses: {
      200: {
        description: 'The archived assessment.',
        get schema() {
          return AssessmentView();
        },
      },
    },
  },
  {
    operationId: 'unarchiveAssessment',
    method: 'DELETE',
    path: '/v1/assessments/{assessmentId}/archive',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'Take an assessment out of the archive.',
    params: AssessmentParams,
    responses: {
      200: {
        description: 'The assessment.',
        get schema() {
          return AssessmentView();
        },
      },
    },
  },
  {
    operationId: 'cloneAssessment',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/clone',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'A new assessment with the same blueprint and settings (title "<title> (copy)" unless given); its pools are sampled from today’s bank. Invitations are not copied.',
    params: AssessmentParams,
    get body() {
      return CloneAssessmentBody();
    },
    optionalBody: true,
    responses: {
      201: {
        description: 'The new assessment.',
        get schema() {
          return AssessmentView();
        },
      },
      422: { description: 'The bank can no longer fill a section.' },
    },
  },
  {
    operationId: 'createInvitations',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Invite up to 500 candidates. Tokens are shown only in this response (and to a retry carrying the same Idempotency-Key, which returns the same invitations with the same tokens). Use a random Idempotency-Key such as a UUID. With send: true each candidate who has an email address gets their link by email, in their locale; the invitations list shows each delivery.',
    params: AssessmentParams,
    get body() {
      return CreateInvitationsBody();
    },
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        schema: IdempotencyKeyHeader,
        description:
          '16-128 characters (use a UUID); a retry with the same key and body returns the same invitations.',
      },
    ],
    responses: {
      201: {
        description: 'The invitations with their tokens.',
        get schema() {
          return IssuedInvitations();
        },
      },
      409: { description: 'The assessment is archived.' },
      422: { description: 'The Idempotency-Key was used with a different request body.' },
    },
  },
  {
    operationId: 'listInvitations',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Invitations with their status (pending, started, completed, expired, revoked, undeliverable) and the delivery of their latest email.',
    params: AssessmentParams,
    query: PageQuery,
    responses: {
      200: {
        description: 'A page of invitations.',
        get schema() {
          return InvitationPage();
        },
      },
    },
  },
  {
    operationId: 'revokeInvitation',
    method: 'DELETE',
    path: '/v1/invitations/{invitationId}',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'Revoke an unstarted invitation: its link stops working.',
    params: InvitationParams,
    responses: {
      204: { description: 'Revoked.' },
      409: { description: 'Already started or completed.' },
    },
  },
  {
    operationId: 'resendInvitation',
    method: 'POST',
    path: '/v1/invitations/{invitationId}/resend',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'A new link for an unused invitation: the old link stops working at once. Emailed when the invitation has an email address; the new token is shown only in this response. An expired invitation needs a new expiresAt.',
    params: InvitationParams,
    get body() {
      return ResendInvitationBody();
    },
    optionalBody: true,
    responses: {
      200: {
        description: 'The invitation with its new token.',
        get schema() {
          return ResentInvitation();
        },
      },
      409: { description: 'The invitation was used, revoked or has expired (send expiresAt).' },
    },
  },
  {
    operationId: 'getOrganisation',
    method: 'GET',
    path: '/v1/organisation',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Your organisation as candidates see it: display name (your organisation id until set), accessibility contact, reply-to address.',
    responses: {
      200: {
        description: 'The settings.',
        get schema() {
          return OrganisationView();
        },
      },
    },
  },
  {
    operationId: 'putOrganisation',
    method: 'PUT',
    path: '/v1/organisation',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Set what candidates see of your organisation in emails and on the invitation page (replaces all settings).',
    get body() {
      return OrganisationBody();
    },
    responses: {
      200: {
        description: 'The settings as stored.',
        get schema() {
          return OrganisationView();
        },
      },
    },
  },
] as const satisfies readonly RouteDef[];
