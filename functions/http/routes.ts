/**
 * The route table: the single declaration of the API. The CDK stack builds its routes,
 * authorizers and functions from it, the local gateway matches requests with it, and the
 * OpenAPI document is generated from it. A new route is an entry here, its operation in
 * `functions/handlers/<group>.ts`, and its test.
 */
import type { RouteDef } from './route-types.ts';
import { AreaList, Health } from './schemas/public.ts';
import {
  BankDocument,
  EditQuestionBody,
  GetQuestionQuery,
  ListQuestionsQuery,
  QuestionIdParams,
  QuestionPage,
  QuestionView,
  UploadQuery,
  UploadResult,
} from './schemas/questions.ts';

const AUTHORS = ['author'] as const;
const STAFF = ['author', 'employer'] as const;

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
      413: { description: 'The bank is larger than 6 MB.' },
      415: { description: 'Unsupported content type.' },
    },
  },
  {
    operationId: 'listQuestions',
    method: 'GET',
    path: '/v1/questions',
    group: 'authoring',
    access: STAFF,
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
    access: STAFF,
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
];

/** Entry file of a function group's Lambda, relative to the repository root. */
export const handlerEntry = (group: string) => `functions/handlers/${group}.ts`;
