/**
 * The candidate function's routes (see `../routes.ts`, which lists them all). Body and response
 * schemas are read through getters and built on first use (schemas/candidates.ts), so a cold
 * start builds only the schemas of the route it serves.
 */

import { MAX_EVENT_BATCHES, MAX_EVENTS_PER_BATCH } from '../../domain/integrity.ts';
import { etagHeader, type RouteDef, type RouteProse } from '../route-types.ts';
import {
  AttemptView,
  CandidateResult,
  InspectInvitationBody,
  InvitationPreview,
  PageEventsBody,
  PageEventsRecorded,
  SaveAnswerBody,
  Saved,
  StartAttemptBody,
  SubmitResult,
} from '../schemas/candidates.ts';
import { AnswerParams, AttemptParams, RevisionIfMatchHeader } from '../schemas/common.ts';

export const CANDIDATE_ROUTES = [
  {
    operationId: 'inspectInvitation',
    method: 'POST',
    path: '/v1/invitations/inspect',
    group: 'candidate',
    access: 'public',
    get body() {
      return InspectInvitationBody();
    },
    responses: {
      200: {
        get schema() {
          return InvitationPreview();
        },
      },
      401: {},
      410: {},
    },
  },
  {
    operationId: 'startAttempt',
    method: 'POST',
    path: '/v1/attempts',
    group: 'candidate',
    access: 'public',
    get body() {
      return StartAttemptBody();
    },
    responses: {
      201: {
        get schema() {
          return AttemptView();
        },
      },
      200: {
        get schema() {
          return AttemptView();
        },
      },
      401: {},
      409: {},
      410: {},
    },
  },
  {
    operationId: 'getAttempt',
    method: 'GET',
    path: '/v1/attempts/{attemptId}',
    group: 'candidate',
    access: 'candidate',
    params: AttemptParams,
    responses: {
      200: {
        get schema() {
          return AttemptView();
        },
      },
      409: {},
    },
  },
  {
    operationId: 'saveAnswer',
    method: 'PUT',
    path: '/v1/attempts/{attemptId}/answers/{questionId}',
    group: 'candidate',
    access: 'candidate',
    get params() {
      return AnswerParams();
    },
    get body() {
      return SaveAnswerBody();
    },
    headers: [
      {
        name: 'If-Match',
        required: false,
        description:
          'Save only if the answer is still at this revision: "2" or 2 ("0": only if never answered). Without it the last write wins; anything else, empty or * included, is 400.',
        schema: RevisionIfMatchHeader,
      },
    ],
    responses: {
      200: {
        get schema() {
          return Saved();
        },
      },
      409: {},
      412: {},
    },
  },
  {
    operationId: 'recordPageEvents',
    method: 'POST',
    path: '/v1/attempts/{attemptId}/events',
    group: 'candidate',
    access: 'candidate',
    params: AttemptParams,
    get body() {
      return PageEventsBody();
    },
    responses: {
      200: {
        get schema() {
          return PageEventsRecorded();
        },
      },
      409: {},
    },
  },
  {
    operationId: 'submitAttempt',
    method: 'POST',
    path: '/v1/attempts/{attemptId}/submit',
    group: 'candidate',
    access: 'candidate',
    params: AttemptParams,
    responses: {
      200: {
        get schema() {
          return SubmitResult();
        },
      },
      409: {},
    },
  },
  {
    operationId: 'getResult',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/result',
    group: 'candidate',
    access: 'candidate',
    params: AttemptParams,
    responses: {
      200: {
        get schema() {
          return CandidateResult();
        },
      },
      403: {},
      409: {},
    },
  },
] as const satisfies readonly RouteDef[];

/**
 * What each route does and what each of its answers means: the OpenAPI document's prose. Its one
 * reader is `../openapi.ts` (a side module). A function, so that esbuild leaves it out of the
 * Lambda bundles (an unused object with template literals would stay: they may have effects).
 */
export const CANDIDATE_PROSE = (): RouteProse<typeof CANDIDATE_ROUTES> => ({
  inspectInvitation: {
    summary:
      "Read an invitation as its candidate may see it, starting nothing: the organisation's name, the assessment's title, time limit (with this candidate's extra time), questions and sections, expiry and status. 401 and 410 as for starting.",
    responses: {
      200: 'The invitation.',
      401: 'The invitation token is not valid.',
      410: "The invitation expired, was revoked, or its attempt has finished (`reason`); `locale`: its candidate's language.",
    },
  },
  startAttempt: {
    summary:
      "Start the attempt of an invitation (201), or resume it while active (200, with a new attemptToken; the previous one stops working). 410 with a reason for expired, revoked or finished invitations. Each adaptive section's current item is in `questions` and named by `sections[].current`. Questions and options are named by opaque per-attempt handles (`questionId` `q1`, `q2`...; option `id` `o1`, `o2`... in the order shown), never by the bank's ids.",
    responses: {
      201: 'Started.',
      200: 'Resumed with a new attempt token.',
      401: 'The invitation token is not valid.',
      409: 'conflict: the invitation or its assessment changed under this request (started elsewhere, or being edited); send it again.',
      410: "The invitation expired, was revoked, or its attempt has finished (`reason`); `locale`: its candidate's language.",
    },
  },
  getAttempt: {
    summary: 'The attempt with its questions, saved answers, deadline and the server time.',
    responses: {
      200: 'The attempt.',
      409: 'conflict: the attempt changed under this read; send it again.',
    },
  },
  saveAnswer: {
    responseHeaders: { 200: etagHeader("The answer's revision") },
    summary:
      'Save (or replace) one answer. `{questionId}` is the question\'s handle in this attempt (`q3`, as the attempt lists it) and the answer names options by their handles (`o2`); anything else is 404 (an unknown question) or 400 (an unknown option). Accepted until the deadline plus the grace period; 409 time-is-up or already-submitted after. The response carries the answer\'s revision (also as ETag); with If-Match: "<revision>" the save is stored only if the answer is still at that revision ("0": never answered), else 412 revision-mismatch with the current answer. In an adaptive section only the current item (`sections[].current`) can be answered, once: its answer is final, there is no going back, and the response carries the `next` item chosen from the answers so far, or `sectionComplete`; saving the same answer again returns the same response, a different one is 409 adaptive-item-closed.',
    responses: {
      200: "Saved, with the server time, the deadline and the answer's revision (ETag).",
      409: 'time-is-up or already-submitted; adaptive-item-closed: an adaptive item already answered (answers there are final), with `current` (the stored answer), `section`, and `next` or `sectionComplete`.',
      412: 'revision-mismatch: the answer is no longer at the If-Match revision; `current` has the answer, its revision and save time.',
    },
  },
  recordPageEvents: {
    summary: `Record page events of the candidate app as integrity evidence: the page hidden or shown again, text pasted into an answer (its length, never its content). \`questionId\` is the question's handle (\`q3\`); an event naming no question shown in the attempt is kept without one. Timed by the server: each event at the batch's arrival minus its \`ageMs\`. At most ${MAX_EVENTS_PER_BATCH} events a batch and ${MAX_EVENT_BATCHES} batches an attempt (409 after); accepted while the attempt is active. They appear as \`page-hidden\` and \`paste\` signals, with counts and times, in the employer's report.`,
    responses: {
      200: 'Recorded.',
      409: 'time-is-up or already-submitted; or conflict: the attempt keeps no more batches.',
    },
  },
  submitAttempt: {
    summary: 'Submit: grades and finalises exactly once; repeating it returns the same body.',
    responses: {
      200: 'Submitted (or expired earlier), with the result if the assessment shows it.',
      409: 'conflict: the attempt changed under this request; send it again.',
    },
  },
  getResult: {
    summary: "The candidate's own result, if the assessment shows results (403 otherwise).",
    responses: {
      200: 'The result.',
      403: 'This assessment does not show results to candidates.',
      409: 'The attempt is still active.',
    },
  },
});
