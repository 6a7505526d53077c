/** Path and paging schemas shared by several function groups. */
import * as z from 'zod/mini';
import { once } from '../../domain/z.ts';

const Id = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a valid id.'));

export const AssessmentParams = /* @__PURE__ */ (() => z.strictObject({ assessmentId: Id }))();
export const InvitationParams = /* @__PURE__ */ (() => z.strictObject({ invitationId: Id }))();
export const AttemptParams = z.strictObject({ attemptId: Id });
/**
 * Built on first use (`once`): its handle pattern's Unicode property escapes make V8 build ICU
 * character sets when the pattern is parsed, about 3 million instructions, which only a save
 * needs (a start's cold start does not).
 */
export const AnswerParams = /* @__PURE__ */ once(() =>
  z.strictObject({
    attemptId: Id,
    // Any 1-64 printable characters: what is not a handle of the attempt is 404, as an unknown
    // question. Control and format characters (NUL, bidi overrides, line separators) are 400, so
    // no message ever echoes one.
    questionId: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.regex(
          /^[^\p{C}\p{Zl}\p{Zp}]*$/u,
          'A question handle has no control characters: use the questionId the attempt lists (q1, q2...).',
        ),
        z.describe(
          "The question's opaque handle in this attempt, as the attempt lists it (`q1`, `q2`...); never a bank question id.",
        ),
      ),
  }),
);

/** A listing's cursor: an opaque base64url token (decoded and checked by data/cursor.ts). */
export const Cursor = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.maxLength(2048),
      z.regex(
        /^[A-Za-z0-9_-]*$/,
        'Invalid cursor: pass back the nextCursor of the previous page unchanged.',
      ),
    ))();

export const PageQuery = /* @__PURE__ */ (() =>
  z.strictObject({
    cursor: z.optional(Cursor),
    limit: z.optional(
      z.string().check(z.regex(/^([1-9]\d?|1\d\d|200)$/, 'limit is a whole number from 1 to 200.')),
    ),
  }))();

/** `Idempotency-Key` as every route that takes it reads it (handlers/employer.ts). */
export const IdempotencyKeyHeader = /* @__PURE__ */ (() =>
  z.string().check(z.minLength(16), z.maxLength(128)))();

/**
 * `Idempotency-Key` of a bank upload or part-wise import, as `functions/handlers/authoring.ts`
 * reads it: 1 to 128 characters once trimmed (an empty or blank key is a 400).
 */
export const ImportIdempotencyKeyHeader = /* @__PURE__ */ (() =>
  z.string().check(z.minLength(1), z.maxLength(128), z.regex(/\S/, 'Must not be blank.')))();

/**
 * `If-Match` of a question edit: the version edited, `"3"`, `3` or `W/"3"` (surrounding spaces
 * ignored). Missing or empty is 428; anything else that does not match, such as `*`, is 400.
 */
export const QUESTION_IF_MATCH = /^\s*(?:W\/)?"?(\d{1,6})"?\s*$/;
export const QuestionIfMatchHeader = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(
        QUESTION_IF_MATCH,
        'The version you edited, such as "3": the ETag the question was read with.',
      ),
    ))();

/**
 * `If-Match` of an answer save: the revision last seen, `"2"` or `2` (`"0"`: only if never
 * answered). Anything else, empty or `*` included, is 400.
 */
export const REVISION_IF_MATCH = /^\s*(?:"(\d{1,9})"|(\d{1,9}))\s*$/;
export const RevisionIfMatchHeader = z
  .string()
  .check(
    z.regex(
      REVISION_IF_MATCH,
      'The revision you last saw, such as "2" ("0" if the question was never answered).',
    ),
  );
