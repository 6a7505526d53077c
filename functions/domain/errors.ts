/**
 * Typed domain errors. Each names a problem `code`; the HTTP layer maps codes to statuses in
 * exactly one place (`functions/http/problem.ts`). Domain code never thinks in status codes.
 */

/** One located problem with an input: `path` is the field path, as dotted segments. */
export interface FieldIssue {
  path: string;
  message: string;
  /** Line and column (1-based) in the uploaded document, when it has lines (YAML, GIFT). */
  line?: number;
  column?: number;
  /** For issues inside a bank upload: which question (index in the document, and its id). */
  questionIndex?: number;
  questionId?: string;
  /** The question's title (`::title::`, a Moodle name), when it has one. */
  title?: string;
}

export type ProblemCode =
  | 'validation-failed'
  | 'malformed-body'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'version-conflict'
  | 'revision-mismatch'
  | 'adaptive-item-closed'
  | 'precondition-required'
  | 'gone'
  | 'time-is-up'
  | 'already-submitted'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'results-hidden'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * The most characters of an issue's message, path, question id or title. Messages quote what
 * was sent (`"<answer>" is not an option id`) and paths name the keys that were sent: a bank
 * with a 1 MB value would otherwise answer a 1 MB error, and an import job could not record
 * its failure at all (DynamoDB's 400 KB item), leaving the import running.
 */
export const MAX_ISSUE_TEXT = 400;

/** `text` within `max` characters: its middle left out (and said so), no surrogate pair split. */
function boundedText(text: string, max = MAX_ISSUE_TEXT): string {
  if (text.length <= max) return text;
  const isHigh = (i: number) => (text.charCodeAt(i) & 0xfc00) === 0xd800;
  let head = Math.floor((max - 40) / 2);
  let tail = text.length - head;
  if (isHigh(head - 1)) head--;
  if (isHigh(tail - 1)) tail++;
  return `${text.slice(0, head)} … (${tail - head} characters left out) … ${text.slice(tail)}`;
}

const boundedIssue = (i: FieldIssue): FieldIssue => ({
  ...i,
  path: boundedText(i.path),
  message: boundedText(i.message),
  ...(i.questionId !== undefined ? { questionId: boundedText(i.questionId) } : {}),
  ...(i.title !== undefined ? { title: boundedText(i.title) } : {}),
});

export class ValidationError extends DomainError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], message?: string) {
    const bounded = issues.map(boundedIssue);
    super(
      'validation-failed',
      boundedText(
        message ??
          `${bounded.length} invalid field${bounded.length === 1 ? '' : 's'}: ${bounded
            .slice(0, 3)
            .map((i) => `${i.path || '(body)'}: ${i.message}`)
            .join('; ')}${bounded.length > 3 ? '; ...' : ''}`,
        4 * MAX_ISSUE_TEXT,
      ),
      { errors: bounded },
    );
    this.issues = bounded;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not-found', `${what} was not found.`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid credential is required.', extra: Record<string, unknown> = {}) {
    super('unauthorized', message, extra);
  }
}

/**
 * 410: the invitation is gone (`reason`). `locale` is its candidate's language, when the token
 * proved the caller holds the invitation: the candidate app says why in that language.
 */
export class GoneError extends DomainError {
  constructor(
    readonly reason: string,
    message: string,
    locale?: string,
  ) {
    super('gone', message, locale ? { reason, locale } : { reason });
  }
}

/**
 * A dependency failed in a way that retrying can cure: DynamoDB throttled or refused the call,
 * the connection failed or timed out, or the request's own time ran out. Nothing the client
 * sent was wrong; `fault` names the cause for the log (never shown to the client) and
 * `retryAfterSeconds` tells the client when to try again.
 */
export class UnavailableError extends DomainError {
  constructor(
    readonly fault: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(
      'unavailable',
      `The service is temporarily unavailable (a fault on our side, not in your request). Retry in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    );
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
