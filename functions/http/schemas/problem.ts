/** The problem details schema, for the OpenAPI document only (handlers never load it). */
import * as z from 'zod/mini';
import type { FieldIssue } from '../../domain/errors.ts';
import { LOCALES } from '../../domain/locales.ts';
import { AnswerSchema } from '../../domain/question.ts';
import { AttemptSection, CandidateQuestion } from './candidates.ts';

/**
 * RFC 9457 problem details as the functions send them (`functions/http/problem.ts`), with every
 * extension member some error carries: `errors` (400, 422; each item every member of
 * `FieldIssue`, which `ProblemFieldIssue` below pins at compile time), `allow` (405), `currentVersion`
 * (412 version-conflict), `current` (412 revision-mismatch, 409 adaptive-item-closed), `section`,
 * `next` and `sectionComplete` (409 adaptive-item-closed), `attemptStatus` and `contentLockedAt`
 * (409 conflict), `reason` and `locale` (410). Strict: a member the server adds without declaring it here
 * fails the contract test (tests/integration/contract.test.ts).
 */
export const ProblemSchema = z
  .strictObject({
    type: z.string().check(z.describe('urn:assay:problem:<code>.')),
    code: z.string().check(z.describe('The problem code, e.g. validation-failed or unavailable.')),
    title: z.string(),
    status: z.int(),
    detail: z.string().check(z.describe('What went wrong, for a person to read.')),
    instance: z.optional(z.string()),
    errors: z.optional(
      z.array(
        z.strictObject({
          path: z
            .string()
            .check(z.describe('The field, e.g. sections[1].count or header.if-match.')),
          message: z.string(),
          line: z.optional(z.int().check(z.describe('1-based line in an uploaded bank.'))),
          column: z.optional(z.int().check(z.describe('1-based column in an uploaded bank.'))),
          questionIndex: z.optional(
            z.int().check(z.describe('A bank upload: the index of the question in the document.')),
          ),
          questionId: z.optional(
            z.string().check(z.describe('A bank upload: the id of the question, when it has one.')),
          ),
          title: z.optional(
            z
              .string()
              .check(
                z.describe(
                  'A bank upload: the question’s title (a GIFT `::title::`, a Moodle name), when it has one.',
                ),
              ),
          ),
        }),
      ),
    ),
    allow: z.optional(z.string().check(z.describe('405: the methods the path takes (as Allow).'))),
    currentVersion: z.optional(
      z.int().check(z.describe('412 version-conflict: the question’s latest version.')),
    ),
    current: z.optional(
      z
        .strictObject({
          answer: z.nullable(AnswerSchema()),
          revision: z.optional(z.int()),
          savedAt: z.nullable(z.string()),
        })
        .check(
          z.describe(
            '412 revision-mismatch and 409 adaptive-item-closed: the stored answer (null if none), its revision and save time.',
          ),
        ),
    ),
    section: z.optional(AttemptSection()),
    next: z.optional(CandidateQuestion()),
    sectionComplete: z.optional(z.object({ reason: z.string(), items: z.int() })),
    attemptStatus: z.optional(
      z.string().check(z.describe('409 on extend: the attempt’s status (submitted or expired).')),
    ),
    contentLockedAt: z.optional(
      z.string().check(z.describe('409: when the first attempt started, locking the content.')),
    ),
    reason: z.optional(
      z
        .enum(['expired', 'revoked', 'finished', 'replaced'])
        .check(
          z.describe(
            '410: why the invitation is gone (expired, revoked, finished). 401 of an invitation link: replaced, when the employer has sent a newer link since (the older one no longer works).',
          ),
        ),
    ),
    locale: z.optional(
      z
        .enum(LOCALES)
        .check(z.describe("410 of an invitation's own link: its candidate's language.")),
    ),
  })
  .register(z.globalRegistry, {
    id: 'Problem',
    description: 'An error (RFC 9457 problem details, application/problem+json).',
  });

/**
 * Every member a `FieldIssue` may carry is declared in `errors[]`: a member added to
 * `FieldIssue` without its declaration here fails `npm run typecheck` (a GIFT upload's `title`
 * was sent undeclared once).
 */
type DeclaredIssue = NonNullable<z.infer<typeof ProblemSchema>['errors']>[number];
export type ProblemFieldIssue = [Exclude<keyof FieldIssue, keyof DeclaredIssue>] extends [never]
  ? true
  : { undeclared: Exclude<keyof FieldIssue, keyof DeclaredIssue> };
const _everyIssueMemberDeclared: ProblemFieldIssue = true;
void _everyIssueMemberDeclared;
