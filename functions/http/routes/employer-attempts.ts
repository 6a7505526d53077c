/**
 * The employer-attempts function's routes: what an employer does with attempts (the results of an
 * assessment, an attempt's report as JSON, HTML and SVG, more time, a preview attempt, erasing a
 * candidate's data). Apart from the employer function (`employer.ts`) because these load the
 * attempt, grading and report code and their schemas, which assessments and invitations never
 * need (see `../routes.ts`, which lists them all). Body and response schemas are read through
 * getters and built on first use (schemas/employer-attempts.ts).
 */
import type { RouteDef, RouteProse } from '../route-types.ts';
import {
  AssessmentParams,
  AttemptParams,
  IdempotencyKeyHeader,
  InvitationParams,
  PageQuery,
} from '../schemas/common.ts';
import {
  AttemptExtended,
  ExtendAttemptBody,
  PreviewStarted,
  Report,
  ResultPage,
} from '../schemas/employer-attempts.ts';

const EMPLOYERS = ['employer'] as const;

export const EMPLOYER_ATTEMPTS_ROUTES = [
  {
    operationId: 'eraseCandidateData',
    method: 'DELETE',
    path: '/v1/invitations/{invitationId}/candidate-data',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: InvitationParams,
    responses: {
      204: {},
      409: {},
    },
  },
  {
    operationId: 'listResults',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}/results',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AssessmentParams,
    query: PageQuery,
    headers: [
      { name: 'Accept', required: false, description: 'application/json (default) or text/csv.' },
    ],
    responses: {
      200: {
        get schema() {
          return ResultPage();
        },
        alternatives: ['text/csv'],
      },
    },
  },
  {
    operationId: 'getReport',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/report',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AttemptParams,
    responses: {
      200: {
        get schema() {
          return Report();
        },
      },
    },
  },
  {
    operationId: 'getReportHtml',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/report.html',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AttemptParams,
    responses: {
      200: { contentType: 'text/html' },
      409: {},
    },
  },
  {
    operationId: 'extendAttempt',
    method: 'POST',
    path: '/v1/attempts/{attemptId}/extend',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AttemptParams,
    get body() {
      return ExtendAttemptBody();
    },
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        schema: IdempotencyKeyHeader,
        description:
          'A random value (16-128 characters, e.g. a UUID) per extension: a retry with it extends once.',
      },
    ],
    responses: {
      200: {
        get schema() {
          return AttemptExtended();
        },
      },
      404: {},
      409: {},
      422: {},
    },
  },
  {
    operationId: 'previewAssessment',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/preview',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AssessmentParams,
    responses: {
      201: {
        get schema() {
          return PreviewStarted();
        },
      },
    },
  },
  {
    operationId: 'getReportSvg',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/report.svg',
    group: 'employer-attempts',
    access: EMPLOYERS,
    params: AttemptParams,
    responses: {
      200: { contentType: 'image/svg+xml' },
      409: {},
    },
  },
] as const satisfies readonly RouteDef[];

/**
 * What each route does and what each of its answers means: the OpenAPI document's prose. Its one
 * reader is `../openapi.ts` (a side module). A function, so that esbuild leaves it out of the
 * Lambda bundles (an unused object with template literals would stay: they may have effects).
 */
export const EMPLOYER_ATTEMPTS_PROSE = (): RouteProse<typeof EMPLOYER_ATTEMPTS_ROUTES> => ({
  eraseCandidateData: {
    summary:
      "Erase the candidate's personal data and answers; the attempt's anonymous scores stay for statistics.",
    responses: {
      204: 'Erased.',
      409: "The candidate's attempt is still running (erase once it has finished), or it changed while erasing: send it again.",
    },
  },
  listResults: {
    responseHeaders: {
      200: {
        'Content-Disposition': {
          description: 'With text/csv: `attachment; filename="results-<assessmentId>.csv"`.',
        },
        Link: {
          description: 'With text/csv, when there are more results: `<?cursor=...>; rel="next"`.',
        },
      },
    },
    summary: 'Completed attempts ranked best first (one Query). Send Accept: text/csv for CSV.',
    responses: {
      200: 'A page of ranked results: JSON, or with Accept: text/csv every result as CSV (one header row, one row per attempt).',
    },
  },
  getReport: {
    summary:
      "An attempt's skill profile with per-question detail: the prompt, the answer given, the correct answer and explanation (staff only), score, time and outcome (`unanswered` told apart from `wrong`); each area's level with the rule that produced it; extensions granted. Reads the result and the norms; the questions come from the immutable version cache.",
    responses: {
      200: 'The report.',
    },
  },
  getReportHtml: {
    summary:
      'The report as a printable page for a hiring manager: per question the prompt, the answer given, the correct answer and explanation, score and time; levels with the rule that produced them; strengths and gaps; integrity signals with times; the chart inline. Self-contained (no script, nothing loaded), readable on a phone and on paper.',
    responses: {
      200: 'The page.',
      409: 'The attempt is still active.',
    },
  },
  extendAttempt: {
    summary:
      "More time for a running attempt: `minutes` (1-600) are added to its current deadline, with a required `reason`; who, when and why are kept with the attempt and shown in its report. The candidate's countdown follows on their next request. Send an Idempotency-Key to make a retry safe: a retry with the same key and body answers what the first request did; without one, a retry adds the time again.",
    responses: {
      200: 'Extended: the new deadline.',
      404: 'No such attempt in your organisation.',
      409: 'The attempt has finished (submitted, or its time ran out), has had 20 extensions, or would pass 24 hours of extensions in all.',
      422: 'The Idempotency-Key was used for another extension.',
    },
  },
  previewAssessment: {
    summary:
      "Take your own assessment as a candidate would: starts a preview attempt (no invitation is used) and returns what a candidate's start returns, plus `takeUrl` to open it in the candidate app. A preview is graded and has a report, but is never counted in results, norms, item statistics, calibration or AttemptCompleted events.",
    responses: {
      201: 'Started.',
    },
  },
  getReportSvg: {
    summary:
      "A radar chart of the attempt's area scores (technical and soft told apart), as a self-contained SVG.",
    responses: {
      200: 'The chart.',
      409: 'The attempt is still active.',
    },
  },
});
