/**
 * The authoring function's routes (see `../routes.ts`, which lists them all). Parameter, body and
 * response schemas are read through getters and built on first use (schemas/questions.ts), so a
 * cold start builds only the schemas of the route it serves: an upload does not build the
 * question views, the edit documents or the statistics.
 */
import { MAX_UPLOAD_TEXT_BYTES } from '../../domain/upload-limits.ts';
import {
  etagHeader,
  locationHeader,
  pollAfterHeader,
  type RouteDef,
  type RouteProse,
} from '../route-types.ts';
import { ImportIdempotencyKeyHeader, QuestionIfMatchHeader } from '../schemas/common.ts';
import {
  BankDocument,
  CalibrationParams,
  CalibrationRunView,
  CreateImportBody,
  EditQuestionDocument,
  EditQuestionRequest,
  GetQuestionQuery,
  ImportParams,
  ImportPartParams,
  ImportStatusView,
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

// The request headers' descriptions are in AUTHORING_PROSE (`headers`), out of the bundle.
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  get schema() {
    return ImportIdempotencyKeyHeader;
  },
} as const;

const CONTENT_ENCODING = { name: 'Content-Encoding', required: false } as const;

export const AUTHORING_ROUTES = [
  {
    operationId: 'uploadBank',
    method: 'POST',
    path: '/v1/banks',
    group: 'authoring',
    access: AUTHORS,
    consumes: BANK_CONTENT_TYPES,
    get body() {
      return BankDocument();
    },
    rawBody: true,
    get query() {
      return UploadQuery();
    },
    headers: [IDEMPOTENCY_KEY, CONTENT_ENCODING, { name: 'Prefer', required: false }],
    responses: {
      201: {
        get schema() {
          return UploadResult();
        },
      },
      202: {
        get schema() {
          return ImportStatusView();
        },
      },
      409: {},
      413: {},
      415: {},
      422: {},
    },
  },
  {
    operationId: 'createImport',
    method: 'POST',
    path: '/v1/imports',
    group: 'authoring',
    access: AUTHORS,
    get body() {
      return CreateImportBody();
    },
    headers: [IDEMPOTENCY_KEY],
    responses: {
      201: {
        get schema() {
          return ImportStatusView();
        },
      },
      422: {},
    },
  },
  {
    operationId: 'putImportPart',
    method: 'PUT',
    path: '/v1/imports/{importId}/parts/{part}',
    group: 'authoring',
    access: AUTHORS,
    consumes: BANK_CONTENT_TYPES,
    get body() {
      return BankDocument();
    },
    rawBody: true,
    get params() {
      return ImportPartParams();
    },
    get query() {
      return UploadQuery();
    },
    headers: [CONTENT_ENCODING],
    responses: {
      200: {
        get schema() {
          return ImportStatusView();
        },
      },
      202: {
        get schema() {
          return ImportStatusView();
        },
      },
      409: {},
      413: {},
    },
  },
  {
    operationId: 'getImport',
    method: 'GET',
    path: '/v1/imports/{importId}',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return ImportParams();
    },
    responses: {
      200: {
        get schema() {
          return ImportStatusView();
        },
      },
    },
  },
  {
    operationId: 'listQuestions',
    method: 'GET',
    path: '/v1/questions',
    group: 'authoring',
    access: AUTHORS,
    get query() {
      return ListQuestionsQuery();
    },
    responses: {
      200: {
        get schema() {
          return QuestionPage();
        },
      },
    },
  },
  {
    operationId: 'getQuestion',
    method: 'GET',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return QuestionIdParams();
    },
    get query() {
      return GetQuestionQuery();
    },
    responses: {
      200: {
        get schema() {
          return QuestionView();
        },
      },
    },
  },
  {
    operationId: 'editQuestion',
    method: 'PUT',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return QuestionIdParams();
    },
    get body() {
      return EditQuestionRequest();
    },
    get documentedBody() {
      return EditQuestionDocument();
    },
    headers: [
      {
        name: 'If-Match',
        required: true,
        schema: QuestionIfMatchHeader,
      },
    ],
    responses: {
      200: {
        get schema() {
          return QuestionView();
        },
      },
      412: {},
      428: {},
    },
  },
  {
    operationId: 'retireQuestion',
    method: 'DELETE',
    path: '/v1/questions/{questionId}',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return QuestionIdParams();
    },
    responses: { 204: {} },
  },
  {
    operationId: 'getQuestionStats',
    method: 'GET',
    path: '/v1/questions/{questionId}/stats',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return QuestionIdParams();
    },
    responses: {
      200: {
        get schema() {
          return QuestionStats();
        },
      },
    },
  },
  {
    operationId: 'requestCalibration',
    method: 'POST',
    path: '/v1/calibrations',
    group: 'authoring',
    access: AUTHORS,
    responses: {
      202: {
        get schema() {
          return CalibrationRunView();
        },
      },
    },
  },
  {
    operationId: 'getCalibration',
    method: 'GET',
    path: '/v1/calibrations/{calibrationId}',
    group: 'authoring',
    access: AUTHORS,
    get params() {
      return CalibrationParams();
    },
    responses: {
      200: {
        get schema() {
          return CalibrationRunView();
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
const IDEMPOTENCY_KEY_TEXT =
  'Any value of 1 to 128 characters, not blank (use a UUID): a retry with the same key and the same body gets the same import; with another body, 422.';
const IMPORT_LOCATION = () => locationHeader('the import (GET /v1/imports/{importId})');
const CONTENT_ENCODING_TEXT = (): string =>
  `gzip: the body is compressed (at most 4 MiB as sent, ${MAX_UPLOAD_TEXT_BYTES / 1024 / 1024} MiB of text once decompressed).`;

export const AUTHORING_PROSE = (): RouteProse<typeof AUTHORING_ROUTES> => ({
  uploadBank: {
    headers: {
      'Idempotency-Key': IDEMPOTENCY_KEY_TEXT,
      'Content-Encoding': CONTENT_ENCODING_TEXT(),
      Prefer: 'respond-async: import in a job whatever the size (202).',
    },
    responseHeaders: {
      202: {
        ...IMPORT_LOCATION(),
        ...pollAfterHeader('the import is queued'),
        'Preference-Applied': { description: '`respond-async` when the request asked for it.' },
      },
    },
    summary:
      'Upload a question bank: JSON, YAML, Moodle GIFT (text/plain or application/octet-stream with ?format=gift) or Moodle XML (application/xml, or ?format=xml). All or nothing: readers see the whole bank at once or nothing of it, and any invalid question stores nothing, every problem located (with its line); with ?skipUnsupported=true the questions Assay cannot represent are left out and listed in `skipped`. A GIFT or XML file is the bank ?bank= names (a JSON or YAML bank names its own, bank.id: a ?bank= naming another is a 400): an id derived from a title or content that belongs to a question of another bank is a 409; so is an id a JSON or YAML bank writes that another bank holds with other content, unless ?moveQuestions=true moves it to this bank. A bank of at most 1,000 questions and 2 MiB of text is imported before the answer (201, with `warnings` and `skipped`); a larger one, or any with Prefer: respond-async, by a job (202 with Location: /v1/imports/{importId}, whose record shows the same warnings and skipped questions). Re-uploading identical content changes nothing. A question retired with DELETE stays retired, its content unchanged or not: a warning with code question-retired names it and how to restore it (PUT).',
    responses: {
      201: 'Imported: every question is visible.',
      202: 'Accepted: the import runs in a job; poll the Location (GET /v1/imports/{importId}).',
      409: 'An id derived from a title, content or a Moodle id already belongs to a different question of another bank; or a question changed during the import (an edit or another import), or another open import is replacing it (upload it again: unchanged questions are skipped). Nothing of this upload is visible.',
      413: 'The body is over 4 MiB, or its text over 32 MiB decompressed.',
      415: 'Unsupported content type or encoding: JSON as application/json, YAML as application/yaml (or text/plain with ?format=yaml), GIFT as text/plain or application/octet-stream with ?format=gift, Moodle XML as application/xml or text/xml (or ?format=xml); Content-Encoding gzip or none.',
      422: 'The Idempotency-Key was sent with a different upload.',
    },
  },
  createImport: {
    headers: { 'Idempotency-Key': IDEMPOTENCY_KEY_TEXT },
    responseHeaders: { 201: IMPORT_LOCATION() },
    summary:
      'Start a part-wise import of one bank too large for one request: then send each part with PUT /v1/imports/{importId}/parts/{n}. The last part queues the import.',
    responses: {
      201: 'The import, receiving its parts.',
      422: 'The Idempotency-Key was sent with a different request.',
    },
  },
  putImportPart: {
    headers: { 'Content-Encoding': CONTENT_ENCODING_TEXT() },
    responseHeaders: {
      200: IMPORT_LOCATION(),
      202: { ...IMPORT_LOCATION(), ...pollAfterHeader('the import is queued') },
    },
    summary:
      'One part of a part-wise import: a bank document (of the same bank) in any upload format. Sending a part again replaces it; the last missing part queues the import (202).',
    responses: {
      200: 'Received; parts are still missing.',
      202: 'Every part is in: the import is queued.',
      409: 'The import no longer takes parts.',
      413: 'The body is over 4 MiB, or its text over 32 MiB decompressed.',
    },
  },
  getImport: {
    responseHeaders: {
      200: pollAfterHeader('sent while the import is receiving, queued or running'),
    },
    summary:
      "An import's status: counts, progress, errors with their locations, warnings. Your organisation's imports only.",
    responses: {
      200: 'The import.',
    },
  },
  listQuestions: {
    summary:
      "A page of your organisation's questions (or the shipped public bank's with source=public).",
    responses: {
      200: 'A page of questions.',
    },
  },
  getQuestion: {
    responseHeaders: { 200: etagHeader('The latest version (not sent with ?version=)', false) },
    summary:
      'The latest version (or ?version=n) of a question, with its version list. Falls back to the public bank.',
    responses: {
      200: 'The question.',
    },
  },
  editQuestion: {
    responseHeaders: { 200: etagHeader('The latest version') },
    headers: {
      'If-Match':
        'The version the edit is based on: "3", 3 or W/"3" (the ETag of GET). Missing or empty is 428; anything else, such as *, is 400.',
    },
    summary:
      'Store an edit as a new version, published: this also restores a retired question (send it back as GET shows it). If-Match must carry the version you edited (412 when stale, 428 when missing). A 400 names every problem of the body at once, a body id that differs from the path first.',
    responses: {
      200: 'The new (or unchanged) latest version.',
      412: 'The question has a newer version than If-Match names.',
      428: 'If-Match is missing or empty.',
    },
  },
  retireQuestion: {
    summary: 'Retire a question: never drawn again; past attempts and every version stay readable.',
    responses: {
      204: 'Retired.',
    },
  },
  getQuestionStats: {
    summary:
      "Item statistics from completed attempts, kept current as attempts complete (no scan), and each version's calibrated item parameters with standard errors and item fit, once calibrated.",
    responses: {
      200: 'The statistics.',
    },
  },
  requestCalibration: {
    responseHeaders: { 202: locationHeader('the run (GET /v1/calibrations/{calibrationId})') },
    summary:
      "Calibrate your organisation's own questions from their response records (every completed attempt leaves one): a version with at least the minimum responses (200 by default) gets 2PL or GPCM parameters, which scoring and adaptive selection use for attempts started afterwards. Always asynchronous: 202 with Location of the run, which the calibration job runs within about a minute. While a run is queued or running, asking again returns that run. The shared public bank is recalibrated by the job on its own schedule.",
    responses: {
      202: 'Queued (or already queued or running).',
    },
  },
  getCalibration: {
    summary: 'A calibration run of your organisation: its status and what it did per area.',
    responses: {
      200: 'The run.',
    },
  },
});
