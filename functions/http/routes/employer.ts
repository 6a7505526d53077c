/**
 * The employer function's routes: assessments, invitations and the organisation (see
 * `../routes.ts`, which lists them all). Body and response schemas are read through getters and
 * built on first use (schemas/assessments.ts), so a cold start builds only the schemas of the
 * route it serves. What an employer does with attempts (results, reports,
 * previews, more time, erasure) is the employer-attempts function's: `employer-attempts.ts`.
 */
import type { RouteDef, RouteProse } from '../route-types.ts';
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
        get schema() {
          return AssessmentView();
        },
      },
      400: {},
      422: {},
    },
  },
  {
    operationId: 'listAssessments',
    method: 'GET',
    path: '/v1/assessments',
    group: 'employer',
    access: EMPLOYERS,
    query: PageQuery,
    responses: {
      200: {
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
    params: AssessmentParams,
    responses: {
      200: {
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
    params: AssessmentParams,
    get body() {
      return UpdateAssessmentBody();
    },
    responses: {
      200: {
        get schema() {
          return AssessmentView();
        },
      },
      400: {},
      409: {},
      422: {},
    },
  },
  {
    operationId: 'deleteAssessment',
    method: 'DELETE',
    path: '/v1/assessments/{assessmentId}',
    group: 'employer',
    access: EMPLOYERS,
    params: AssessmentParams,
    responses: {
      204: {},
      409: {},
    },
  },
  {
    operationId: 'archiveAssessment',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/archive',
    group: 'employer',
    access: EMPLOYERS,
    params: AssessmentParams,
    responses: {
      200: {
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
    params: AssessmentParams,
    responses: {
      200: {
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
    params: AssessmentParams,
    get body() {
      return CloneAssessmentBody();
    },
    optionalBody: true,
    responses: {
      201: {
        get schema() {
          return AssessmentView();
        },
      },
      422: {},
    },
  },
  {
    operationId: 'createInvitations',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
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
        get schema() {
          return IssuedInvitations();
        },
      },
      409: {},
      422: {},
    },
  },
  {
    operationId: 'listInvitations',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
    params: AssessmentParams,
    query: PageQuery,
    responses: {
      200: {
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
    params: InvitationParams,
    responses: {
      204: {},
      409: {},
    },
  },
  {
    operationId: 'resendInvitation',
    method: 'POST',
    path: '/v1/invitations/{invitationId}/resend',
    group: 'employer',
    access: EMPLOYERS,
    params: InvitationParams,
    get body() {
      return ResendInvitationBody();
    },
    optionalBody: true,
    responses: {
      200: {
        get schema() {
          return ResentInvitation();
        },
      },
      409: {},
    },
  },
  {
    operationId: 'getOrganisation',
    method: 'GET',
    path: '/v1/organisation',
    group: 'employer',
    access: EMPLOYERS,
    responses: {
      200: {
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
    get body() {
      return OrganisationBody();
    },
    responses: {
      200: {
        get schema() {
          return OrganisationView();
        },
      },
    },
  },
] as const satisfies readonly RouteDef[];

/**
 * What each route does and what each of its answers means: the OpenAPI document's prose. Its one
 * reader is `../openapi.ts` (a side module). A function, so that esbuild leaves it out of the
 * Lambda bundles (an unused object with template literals would stay: they may have effects).
 */
export const EMPLOYER_PROSE = (): RouteProse<typeof EMPLOYER_ROUTES> => ({
  createAssessment: {
    summary:
      "Build an assessment from a blueprint. Each section's question pool is frozen now as (question, version) pairs from your and the public bank. Send an Idempotency-Key to make a retry safe: without one, a retry after a lost answer builds a second assessment.",
    responses: {
      201: 'Created, with the pool size per section.',
      400: 'Invalid input, every invalid field named in `errors`; among them, as well as what the schema says, overlapping sections (same area, same or mixed difficulty) and more than 200 questions in all.',
      422: 'The bank cannot fill a section: the message says which area lacks how many questions.',
    },
  },
  listAssessments: {
    summary: 'Your assessments, newest first.',
    responses: {
      200: 'A page of assessments.',
    },
  },
  getAssessment: {
    summary: 'One assessment.',
    responses: {
      200: 'The assessment.',
    },
  },
  updateAssessment: {
    summary:
      'Change an assessment, all or nothing. Title, instructions, passing score, result visibility and the reminder setting may change at any time (passing score and visibility apply to attempts started afterwards). Time limit, sections and grace period only while no attempt has started; new sections get new pools from today’s bank.',
    responses: {
      200: 'The assessment as changed.',
      400: 'Invalid input, every invalid field named in `errors`; new sections must not overlap (same area, same or mixed difficulty) nor make more than 200 questions in all.',
      409: 'An attempt has started, so time limit, sections and grace period can no longer change (clone it instead); or another edit landed first.',
      422: 'The bank cannot fill a new section.',
    },
  },
  deleteAssessment: {
    summary:
      'Delete an assessment from which no attempt has started, with its invitations (their links stop working).',
    responses: {
      204: 'Deleted.',
      409: 'An attempt has started: archive it instead.',
    },
  },
  archiveAssessment: {
    summary:
      'Archive: no new invitations and no reminders. Running attempts finish, and links already sent keep working until they expire (revoke them to stop them).',
    responses: {
      200: 'The archived assessment.',
    },
  },
  unarchiveAssessment: {
    summary: 'Take an assessment out of the archive.',
    responses: {
      200: 'The assessment.',
    },
  },
  cloneAssessment: {
    summary:
      'A new assessment with the same blueprint and settings (title "<title> (copy)" unless given); its pools are sampled from today’s bank. Invitations are not copied.',
    responses: {
      201: 'The new assessment.',
      422: 'The bank can no longer fill a section.',
    },
  },
  createInvitations: {
    summary:
      'Invite up to 500 candidates. Tokens are shown only in this response (and to a retry carrying the same Idempotency-Key, which returns the same invitations with the same tokens). Use a random Idempotency-Key such as a UUID. With send: true each candidate who has an email address gets their link by email, in their locale; the invitations list shows each delivery.',
    responses: {
      201: 'The invitations with their tokens.',
      409: 'The assessment is archived.',
      422: 'The Idempotency-Key was used with a different request body.',
    },
  },
  listInvitations: {
    summary:
      'Invitations with their status (pending, started, completed, expired, revoked, undeliverable) and the delivery of their latest email.',
    responses: {
      200: 'A page of invitations.',
    },
  },
  revokeInvitation: {
    summary: 'Revoke an unstarted invitation: its link stops working.',
    responses: {
      204: 'Revoked.',
      409: 'Already started or completed.',
    },
  },
  resendInvitation: {
    summary:
      'A new link for an unused invitation: the old link stops working at once. Emailed when the invitation has an email address; the new token is shown only in this response. An expired invitation needs a new expiresAt.',
    responses: {
      200: 'The invitation with its new token.',
      409: 'The invitation was used, revoked or has expired (send expiresAt).',
    },
  },
  getOrganisation: {
    summary:
      'Your organisation as candidates see it: display name (your organisation id until set), accessibility contact, reply-to address.',
    responses: {
      200: 'The settings.',
    },
  },
  putOrganisation: {
    summary:
      'Set what candidates see of your organisation in emails and on the invitation page (replaces all settings).',
    responses: {
      200: 'The settings as stored.',
    },
  },
});
