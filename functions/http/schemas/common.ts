/** Path and paging schemas shared by several function groups. */
import * as z from 'zod/mini';

const Id = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a valid id.'));

export const AssessmentParams = z.strictObject({ assessmentId: Id });
export const InvitationParams = z.strictObject({ invitationId: Id });
export const AttemptParams = z.strictObject({ attemptId: Id });
export const AnswerParams = z.strictObject({
  attemptId: Id,
  questionId: z.string().check(z.minLength(3), z.maxLength(64)),
});

/** A listing's cursor: an opaque base64url token (decoded and checked by data/cursor.ts). */
export const Cursor = z
  .string()
  .check(
    z.maxLength(2048),
    z.regex(
      /^[A-Za-z0-9_-]*$/,
      'Invalid cursor: pass back the nextCursor of the previous page unchanged.',
    ),
  );

export const PageQuery = z.strictObject({
  cursor: z.optional(Cursor),
  limit: z.optional(
    z.string().check(z.regex(/^([1-9]\d?|1\d\d|200)$/, 'limit is a whole number from 1 to 200.')),
  ),
});
