import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ProblemCode } from '../domain/errors.ts';

/** The one place where problem codes become HTTP statuses and titles. */
const STATUS: Record<ProblemCode, [number, string]> = {
  'validation-failed': [400, 'Validation failed'],
  'malformed-body': [400, 'Malformed request body'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'results-hidden': [403, 'Results are not shown for this assessment'],
  'not-found': [404, 'Not found'],
  'method-not-allowed': [405, 'Method not allowed'],
  conflict: [409, 'Conflict'],
  'time-is-up': [409, 'Time is up'],
  'already-submitted': [409, 'Already submitted'],
  'adaptive-item-closed': [409, 'Adaptive item closed'],
  gone: [410, 'Gone'],
  'version-conflict': [412, 'Precondition failed'],
  'revision-mismatch': [412, 'Precondition failed'],
  'payload-too-large': [413, 'Payload too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  unprocessable: [422, 'Unprocessable content'],
  'precondition-required': [428, 'Precondition required'],
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (code: string) => `urn:assay:problem:${code}`;

export interface Problem {
  type: string;
  code: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

/** RFC 9457 body for a domain error. */
export function problemOf(err: DomainError, instance?: string): Problem {
  const [status, title] = STATUS[err.code];
  return {
    type: problemType(err.code),
    code: err.code,
    title,
    status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...err.extra,
  };
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(problem),
  };
}

/**
 * Errors thrown by middy middlewares carry `statusCode` (http-errors style). Client mistakes
 * keep their status with a readable detail; anything else is a bug and becomes a bare 500.
 */
export function toDomainError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  const e = err as { statusCode?: number; message?: string; cause?: { package?: string } };
  if (e?.cause?.package === '@middy/http-json-body-parser' && e.statusCode === 422) {
    return new DomainError('malformed-body', 'The request body is missing or is not valid JSON.');
  }
  if (e?.statusCode === 415) {
    return new DomainError('unsupported-media-type', e.message ?? 'Unsupported media type.');
  }
  if (e?.statusCode === 413) {
    return new DomainError('payload-too-large', e.message ?? 'Payload too large.');
  }
  return undefined;
}
