/**
 * The employer function: assessments, invitations and the organisation. What an employer does
 * with attempts (results, reports, previews, more time, erasure) is the employer-attempts
 * function's (`employer-attempts.ts`), so that this bundle carries no attempt, grading or report
 * code.
 */
import { listAssessments } from '../data/assessments.ts';
import { listInvitations, revokeInvitation } from '../data/invitations.ts';
import { mailConfigured } from '../data/mailer.ts';
import { getOrganisation, putOrganisation } from '../data/organisations.ts';
import { clock } from '../domain/clock.ts';
import { createHttpHandler, type Operations, Reply } from '../http/api.ts';
import { EMPLOYER_ROUTES } from '../http/routes/employer.ts';
import { idempotencyKey, limitOf } from '../http/staff-input.ts';
import {
  assessmentView,
  createAssessment,
  createAssessmentOnce,
  createInvitations,
  invitationView,
  ownAssessment,
} from '../services/assessments.ts';
import {
  archiveAssessment,
  cloneAssessment,
  deleteAssessment,
  patchAssessment,
  resendInvitation,
} from '../services/lifecycle.ts';

export const operations: Operations<typeof EMPLOYER_ROUTES> = {
  createAssessment: async ({ principal, body, headers }) => {
    const key = idempotencyKey(
      headers,
      'use a random value such as a UUID, one per assessment you mean',
    );
    const now = clock.now();
    const assessment = key
      ? await createAssessmentOnce(principal!, body, now, key)
      : await createAssessment(principal!, body, now);
    return new Reply(201, assessmentView(assessment));
  },

  listAssessments: async ({ principal, query }) => {
    const page = await listAssessments(principal!.org, limitOf(query), query.cursor);
    return { items: page.items.map(assessmentView), nextCursor: page.nextCursor };
  },

  getAssessment: async ({ principal, params }) =>
    assessmentView(await ownAssessment(principal!.org, params.assessmentId)),

  updateAssessment: async ({ principal, params, body }) =>
    assessmentView(await patchAssessment(principal!, params.assessmentId, body, clock.now())),

  deleteAssessment: async ({ principal, params }) => {
    await deleteAssessment(principal!, params.assessmentId, clock.now());
    return new Reply(204);
  },

  archiveAssessment: async ({ principal, params }) =>
    assessmentView(await archiveAssessment(principal!, params.assessmentId, true, clock.now())),

  unarchiveAssessment: async ({ principal, params }) =>
    assessmentView(await archiveAssessment(principal!, params.assessmentId, false, clock.now())),

  cloneAssessment: async ({ principal, params, body }) =>
    new Reply(
      201,
      assessmentView(await cloneAssessment(principal!, params.assessmentId, body, clock.now())),
    ),

  resendInvitation: async ({ principal, params, body }) =>
    resendInvitation(principal!, params.invitationId, body, clock.now()),

  // sendsMail tells the console whether to offer send: true (a deployment, not a setting).
  getOrganisation: async ({ principal }) => ({
    ...(await getOrganisation(principal!.org)),
    sendsMail: mailConfigured(),
  }),

  putOrganisation: async ({ principal, body }) => ({
    ...(await putOrganisation(principal!.org, body, clock.now())),
    sendsMail: mailConfigured(),
  }),

  createInvitations: async ({ principal, params, body, headers }) => {
    // The invitations' tokens derive from the key (see derivedSecret): it must not be guessable.
    const key = idempotencyKey(
      headers,
      'use a random value such as a UUID (the tokens of the invitations it creates derive from it)',
    );
    return new Reply(
      201,
      await createInvitations(principal!, params.assessmentId, body, clock.now(), key),
    );
  },

  listInvitations: async ({ principal, params, query }) => {
    await ownAssessment(principal!.org, params.assessmentId);
    const page = await listInvitations(
      principal!.org,
      params.assessmentId,
      limitOf(query),
      query.cursor,
    );
    const now = clock.now();
    return { items: page.items.map((i) => invitationView(i, now)), nextCursor: page.nextCursor };
  },

  revokeInvitation: async ({ principal, params }) => {
    await revokeInvitation(principal!.org, params.invitationId, clock.now());
    return new Reply(204);
  },
};

/** The function's handler. */
export const handler = createHttpHandler('employer', EMPLOYER_ROUTES, operations, {
  outputs: () => import('#side/outputs-employer'),
});
