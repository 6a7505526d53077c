/** The authoring function's routes (see `../routes.ts`, which lists them all). */
import type { RouteDef } from '../route-types.ts';
import { QuestionIfMatchHeader } from '../schemas/common.ts';
import {
  BankDocument,
  CalibrationParams,
  CalibrationRunView,
  EditQuestionBody,
  EditQuestionDocument,
  GetQuestionQuery,
  ListQuestionsQuery,
  QuestionIdParams,
  QuestionPage,
  QuestionStats,
  QuestionView,
  UploadQuery,
  UploadResult,
} from '../schemas/questions.ts';

const AUTHORS = ['author'] as const;

/**
 * Content types a bank upload accepts: text/plain is GIFT (or another ?format=), XML is Moodle
 * XML, and application/octet-stream is a file whose bytes the server decodes (any ?format=).
 */
export const BANK_CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/plain',
  'application/xml',
  'text/xml',
  'application/octet-stream',
];

export const AUTHORING_ROUTES = [
  {
    operationId: 'uploadBank',
    method: 'POST',
    path: '/v1/banks',
    group: 'authoring',
    access: AUTHORS,
    summary:
      'Upload a question bank: JSON, YAML, Moodle GIFT (text/plain or application/octet-stream with ?format=gift) or Moodle XML (application/xml, or ?format=xml). All or nothing: any invalid question stores nothing and every problem is listed with its line; with ?skipUnsupported=true the questions Assay cannot represent are left out and listed in `skipped`. A GIFT or XML file is the bank ?bank= names: an id derived from a title or content that belongs to a question of another bank is a 409. Re-uploading identical content changes nothing.',
    consumes: BANK_CONTENT_TYPES,
    body: BankDocument,
    rawBody: true,
    query: UploadQuery,
    responses: {
      201: { description: 'Stored.', schema: UploadResult },
      409: {
        description:
          'An id derived from a title, content or a Moodle id already belongs to a different question of another bank, or some of its questions were changed by another request during the upload (upload it again: unchanged questions are skipped); nothing was stored.',
      },
      413: { description: 'The bank is larger than 4 MiB.' },
      415: {
        description:
          'Unsupported content type: JSON as application/json, YAML as application/yaml (or text/plain with ?format=yaml), GIFT only as text/plain with ?format=gift.',
      },
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
    documentedBody: EditQuestionDocument,
    headers: [
      {
        name: 'If-Match',
        required: true,
        description:
          'The version the edit is based on: "3", 3 or W/"3" (the ETag of GET). Missing or empty is 428; anything else, such as *, is 400.',
        schema: QuestionIfMatchHeader,
      },
    ],
    responses: {
      200: { description: 'The new (or unchanged) latest version.', schema: QuestionView },
      412: { description: 'The question has a newer version than If-Match names.' },
      428: { description: 'If-Match is missing or empty.' },
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
      "Item statistics from completed attempts, kept current as attempts complete (no scan), and each version's calibrated item parameters with standard errors and item fit, once calibrated.",
    params: QuestionIdParams,
    responses: { 200: { description: 'The statistics.', schema: QuestionStats } },
  },
  {
    operationId: 'requestCalibration',
    method: 'POST',
    path: '/v1/calibrations',
    group: 'authoring',
    access: AUTHORS,
    summary:
      "Calibrate your organisation's own questions from their response records (every completed attempt leaves one): a version with at least the minimum responses (200 by default) gets 2PL or GPCM parameters, which scoring and adaptive selection use for attempts started afterwards. Always asynchronous: 202 with Location of the run, which the calibration job runs within about a minute. While a run is queued or running, asking again returns that run. The shared public bank is recalibrated by the job on its own schedule.",
    responses: {
      202: { description: 'Queued (or already queued or running).', schema: CalibrationRunView },
    },
  },
  {
    operationId: 'getCalibration',
    method: 'GET',
    path: '/v1/calibrations/{calibrationId}',
    group: 'authoring',
    access: AUTHORS,
    summary: 'A calibration run of your organisation: its status and what it did per area.',
    params: CalibrationParams,
    responses: { 200: { description: 'The run.', schema: CalibrationRunView } },
  },
] as const satisfies readonly RouteDef[];
