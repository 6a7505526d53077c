import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ProblemCode, UnavailableError } from '../domain/errors.ts';

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
  unavailable: [503, 'Service unavailable'],
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

/**
 * The most of a problem's `errors` an answer lists, then one item saying how many more there
 * were (each item is bounded, MAX_ISSUE_TEXT per text: 1,000 fit well within 2 MB). A 1 MB body
 * of short unknown keys was answered with every one of them named: 95,000 items, 4.3 MB of
 * problem (6.3 MB with the keys nested in a section), past Lambda's 6 MB response once escaped
 * into its payload, which API Gateway answers with a bare 500.
 */
const MAX_LISTED_ERRORS = 1000;

const listedErrors = (errors: readonly unknown[]) =>
  errors.length <= MAX_LISTED_ERRORS
    ? errors
    : [
        ...errors.slice(0, MAX_LISTED_ERRORS),
        {
          path: '(body)',
          message: `${errors.length - MAX_LISTED_ERRORS} more not listed (${errors.length} in all).`,
        },
      ];

/** RFC 9457 body for a domain error. */
export function problemOf(err: DomainError, instance?: string): Problem {
  const [status, title] = STATUS[err.code];
  const { errors } = err.extra;
  return {
    type: problemType(err.code),
    code: err.code,
    title,
    status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...err.extra,
    ...(Array.isArray(errors) ? { errors: listedErrors(errors) } : {}),
  };
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      // RFC 9110 section 15.5.2: a 401 names the scheme to authenticate with, as API Gateway's does.
      ...(problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}

/**
 * The fault map: which failures are a temporary fault (503 with Retry-After) rather than a
 * client mistake (4xx) or a bug (500). The data layer turns DynamoDB throttling and limit
 * errors, its 5xx, refused, reset and timed-out connections and calls cut by the request's
 * deadline into `UnavailableError` (see `faultOf` in `data/errors.ts`); here the function's own
 * time running out (middy's early timeout, which fires before Lambda would kill the function)
 * and any abort of the request's deadline join them. Everything else that is not a
 * `DomainError` is a bug.
 */
export function faultToUnavailable(err: unknown): UnavailableError | undefined {
  if (err instanceof UnavailableError) return err;
  const e = err as { name?: string; cause?: { package?: string } } | undefined;
  if (e?.name === 'TimeoutError' && e.cause?.package === '@middy/core') {
    return new UnavailableError('function-timeout', 1, { cause: err });
  }
  if (e?.name === 'AbortError') return new UnavailableError('deadline', 1, { cause: err });
  return undefined;
}

/** The `Retry-After` header of a 503. */
export const retryAfterHeader = (err: UnavailableError) => ({
  'retry-after': String(err.retryAfterSeconds),
});

/**
 * What the JSON body parser refused, said so that the client can find it: a member it never
 * reads (`__proto__`, or `constructor` holding a `prototype`: valid JSON, refused so that no
 * body can reach an object's prototype), or where the JSON breaks. The parser's own message
 * may quote the body, so only its position is kept.
 */
function malformedJson(message: string | undefined, cause: { data?: unknown; message?: string }) {
  if (message === 'Forbidden key in JSON body' && typeof cause.data === 'string') {
    return new DomainError(
      'malformed-body',
      `The request body has a member named "${cause.data}"${cause.data === 'constructor' ? ' holding a "prototype"' : ''}, which no field takes: it is refused so that no body can reach an object's prototype.`,
    );
  }
  const where = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(cause.message ?? '');
  if (where) {
    return new DomainError(
      'malformed-body',
      `The request body is not valid JSON: it breaks at position ${where[1]}${where[2] ? ` (line ${where[2]}, column ${where[3]})` : ''}.`,
    );
  }
  return new DomainError('malformed-body', 'The request body is missing or is not valid JSON.');
}

/**
 * Errors thrown by middy middlewares carry `statusCode` (http-errors style). Client mistakes
 * keep their status with a readable detail; faults become 503 (`faultToUnavailable`); anything
 * else is a bug and becomes a bare 500.
 */
export function toDomainError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  const fault = faultToUnavailable(err);
  if (fault) return fault;
  const e = err as {
    statusCode?: number;
    message?: string;
    cause?: { package?: string; data?: unknown; message?: string };
  };
  if (e?.cause?.package === '@middy/http-json-body-parser' && e.statusCode === 422) {
    return malformedJson(e.message, e.cause);
  }
  if (e?.statusCode === 415) {
    return new DomainError('unsupported-media-type', e.message ?? 'Unsupported media type.');
  }
  if (e?.statusCode === 413) {
    return new DomainError('payload-too-large', e.message ?? 'Payload too large.');
  }
  return undefined;
}
