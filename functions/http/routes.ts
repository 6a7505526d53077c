/**
 * The route table: the single declaration of the API. The CDK stack builds its routes,
 * authorizers and functions from it, the local gateway matches requests with it, and the
 * OpenAPI document is generated from it. A new route is an entry here, its operation in
 * `functions/handlers/<group>.ts`, and its test.
 */
import type { RouteDef } from './route-types.ts';
import {
  AnswerParams,
  AssessmentPage,
  AssessmentParams,
  AssessmentView,
  AttemptParams,
  CreateAssessmentBody,
  CreateInvitationsBody,
  InvitationPage,
  InvitationParams,
  IssuedInvitations,
  PageQuery,
  Report,
  ResultPage,
} from './schemas/assessments.ts';
import {
  AttemptView,
  CandidateResult,
  SaveAnswerBody,
  Saved,
  StartAttemptBody,
  SubmitResult,
} from './schemas/candidates.ts';
import { AreaList, Health } from './schemas/public.ts';
import {
  BankDocument,
  EditQuestionBody,
  GetQuestionQuery,
  ListQuestionsQuery,
  QuestionIdParams,
  QuestionPage,
  QuestionStats,
  QuestionView,
  UploadQuery,
  UploadResult,
} from './schemas/questions.ts';

const AUTHORS = ['author'] as const;
const EMPLOYERS = ['employer'] as const;

/** Content types a bank upload accepts; text/plain is GIFT (or YAML with ?format=yaml). */
export const BANK_CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/plain',
];

export const ROUTES: readonly RouteDef[] = [
  {
    operationId: 'health',
    method: 'GET',
    path: '/v1/health',
    group: 'public',
    access: 'public',
    summary: 'Liveness check.',
    responses: { 200: { description: 'The API is up.', schema: Health } },
  },
  {
    operationId: 'openapi',
    method: 'GET',
    path: '/v1/openapi.json',
    group: 'public',
    access: 'public',
    summary: 'This OpenAPI 3.1 document.',
    responses: { 200: { description: 'The OpenAPI document.' } },
  },
  {
    operationId: 'listAreas',
    method: 'GET',
    path: '/v1/areas',
    group: 'public',
    access: 'public',
    summary:
      'The 13 trend areas and soft skills, with the number of published questions visible to the caller (the shipped bank, plus the organisation of a staff bearer token if one is sent).',
    responses: { 200: { description: 'The areas.', schema: AreaList } },
  },
  {
    operationId: 'uploadBank',
    method: 'POST',
    path: '/v1/banks',
    group: 'authoring',
    access: AUTHORS,
    summary:
      'Upload a question bank (JSON, YAML, or GIFT as text/plain with ?format=gift). All or nothing: any invalid question stores nothing and every problem is listed with its location. Re-uploading identical content changes nothing.',
    consumes: BANK_CONTENT_TYPES,
    body: BankDocument,
    rawBody: true,
    query: UploadQuery,
    responses: {
      201: { description: 'Stored.', schema: UploadResult },
      413: { description: 'The bank is larger than 4 MiB.' },
      415: { description: 'Unsupported content type.' },
    },
  },
  {
    operationId: 'listQuestions',
    method: 'GET',
    path: '/v1/questions',
    group: 'authoring',
    access: AUTHORS,
    summary:
      "A page of your organisation's questions (or the shipped public bank's with source=public).",
    query: ListQuestionsQuery,
    responses: { 200: { description: 'A page of questions.', schema: QuestionPage } },
  },
  {
    operationId: 'getQuestion',
    method: 'GET',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    summary:
      'The latest version (or ?version=n) of a question, with its version list. Falls back to the public bank.',
    params: QuestionIdParams,
    query: GetQuestionQuery,
    responses: { 200: { description: 'The question.', schema: QuestionView } },
  },
  {
    operationId: 'editQuestion',
    method: 'PUT',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    summary:
      'Store an edit as a new version. If-Match must carry the version you edited (412 when stale, 428 when missing).',
    params: QuestionIdParams,
    body: EditQuestionBody,
    headers: [
      {
        name: 'If-Match',
        required: true,
        description: 'The version the edit is based on, e.g. "3".',
      },
    ],
    responses: {
      200: { description: 'The new (or unchanged) latest version.', schema: QuestionView },
      412: { description: 'The question has a newer version than If-Match names.' },
      428: { description: 'If-Match is missing.' },
    },
  },
  {
    operationId: 'retireQuestion',
    method: 'DELETE',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    summary: 'Retire a question: never drawn again; past attempts and every version stay readable.',
    params: QuestionIdParams,
    responses: { 204: { description: 'Retired.' } },
  },
  {
    operationId: 'getQuestionStats',
    method: 'GET',
    path: '/v1/questions/{questionId}/stats',
    group: 'authoring',
    access: AUTHORS,
    summary:
      'Item statistics from completed attempts, kept current as attempts complete (no scan).',
    params: QuestionIdParams,
    responses: { 200: { description: 'The statistics.', schema: QuestionStats } },
  },
  {
    operationId: 'createAssessment',
    method: 'POST',
    path: '/v1/assessments',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      "Build an assessment from a blueprint. Each section's question pool is frozen now as (question, version) pairs from your and the public bank.",
    body: CreateAssessmentBody,
    responses: {
      201: { description: 'Created, with the pool size per section.', schema: AssessmentView },
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
    responses: { 200: { description: 'A page of assessments.', schema: AssessmentPage } },
  },
  {
    operationId: 'getAssessment',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'One assessment.',
    params: AssessmentParams,
    responses: { 200: { description: 'The assessment.', schema: AssessmentView } },
  },
  {
    operationId: 'createInvitations',
    method: 'POST',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      'Invite up to 500 candidates. Tokens are shown only in this response (and to a retry carrying the same Idempotency-Key, which returns the same invitations with the same tokens). Use a random Idempotency-Key such as a UUID.',
    params: AssessmentParams,
    body: CreateInvitationsBody,
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        description:
          'Any string up to 128 characters; a retry with the same key and body returns the same invitations.',
      },
    ],
    responses: {
      201: { description: 'The invitations with their tokens.', schema: IssuedInvitations },
    },
  },
  {
    operationId: 'listInvitations',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}/invitations',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'Invitations with their status: pending, started, completed, expired, revoked.',
    params: AssessmentParams,
    query: PageQuery,
    responses: { 200: { description: 'A page of invitations.', schema: InvitationPage } },
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
    operationId: 'eraseCandidateData',
    method: 'DELETE',
    path: '/v1/invitations/{invitationId}/candidate-data',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      "Erase the candidate's personal data and answers; the attempt's anonymous scores stay for statistics.",
    params: InvitationParams,
    responses: { 204: { description: 'Erased.' } },
  },
  {
    operationId: 'listResults',
    method: 'GET',
    path: '/v1/assessments/{assessmentId}/results',
    group: 'employer',
    access: EMPLOYERS,
    summary: 'Completed attempts ranked best first (one Query). Send Accept: text/csv for CSV.',
    params: AssessmentParams,
    query: PageQuery,
    headers: [
      { name: 'Accept', required: false, description: 'application/json (default) or text/csv.' },
    ],
    responses: {
      200: { description: 'A page of ranked results.', schema: ResultPage },
    },
  },
  {
    operationId: 'getReport',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/report',
    group: 'employer',
    access: EMPLOYERS,
    summary: "An attempt's skill profile with per-question detail (one read).",
    params: AttemptParams,
    responses: { 200: { description: 'The report.', schema: Report } },
  },
  {
    operationId: 'getReportSvg',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/report.svg',
    group: 'employer',
    access: EMPLOYERS,
    summary:
      "A radar chart of the attempt's area scores (technical and soft told apart), as a self-contained SVG.",
    params: AttemptParams,
    responses: {
      200: { description: 'The chart.', contentType: 'image/svg+xml' },
      409: { description: 'The attempt is still active.' },
    },
  },
  {
    operationId: 'startAttempt',
    method: 'POST',
    path: '/v1/attempts',
    group: 'candidate',
    access: 'public',
    summary:
      'Start the attempt of an invitation (201), or resume it while active (200, with a new attemptToken; the previous one stops working). 410 with a reason for expired, revoked or finished invitations.',
    body: StartAttemptBody,
    responses: {
      201: { description: 'Started.', schema: AttemptView },
      200: { description: 'Resumed with a new attempt token.', schema: AttemptView },
      401: { description: 'The invitation token is not valid.' },
      410: {
        description: 'The invitation expired, was revoked, or its attempt has finished (`reason`).',
      },
    },
  },
  {
    operationId: 'getAttempt',
    method: 'GET',
    path: '/v1/attempts/{attemptId}',
    group: 'candidate',
    access: 'candidate',
    summary: 'The attempt with its questions, saved answers, deadline and the server time.',
    params: AttemptParams,
    responses: { 200: { description: 'The attempt.', schema: AttemptView } },
  },
  {
    operationId: 'saveAnswer',
    method: 'PUT',
    path: '/v1/attempts/{attemptId}/answers/{questionId}',
    group: 'candidate',
    access: 'candidate',
    summary:
      'Save (or replace) one answer. Accepted until the deadline plus the grace period; 409 time-is-up or already-submitted after.',
    params: AnswerParams,
    body: SaveAnswerBody,
    responses: {
      200: { description: 'Saved, with the server time and the deadline.', schema: Saved },
      409: { description: 'time-is-up or already-submitted.' },
    },
  },
  {
    operationId: 'submitAttempt',
    method: 'POST',
    path: '/v1/attempts/{attemptId}/submit',
    group: 'candidate',
    access: 'candidate',
    summary: 'Submit: grades and finalises exactly once; repeating it returns the same body.',
    params: AttemptParams,
    responses: {
      200: {
        description: 'Submitted (or expired earlier), with the result if the assessment shows it.',
        schema: SubmitResult,
      },
    },
  },
  {
    operationId: 'getResult',
    method: 'GET',
    path: '/v1/attempts/{attemptId}/result',
    group: 'candidate',
    access: 'candidate',
    summary: "The candidate's own result, if the assessment shows results (403 otherwise).",
    params: AttemptParams,
    responses: {
      200: { description: 'The result.', schema: CandidateResult },
      403: { description: 'This assessment does not show results to candidates.' },
      409: { description: 'The attempt is still active.' },
    },
  },
];

/** Entry file of a function group's Lambda, relative to the repository root. */
export const handlerEntry = (group: string) => `functions/handlers/${group}.ts`;
