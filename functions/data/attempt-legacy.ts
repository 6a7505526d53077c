/**
 * Attempts stored in the old layout: one item (`ATT#<id>` / `ATT`) holding the questions, the
 * validation data, every answer, a revision counter `rev`, the status and, once finished, the
 * result and its ranking keys. A running one is converted to the new layout the first time the
 * new code touches it; a finished one is read in place. docs/state-machines.md#migration.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SavedAnswer } from '../domain/grading.ts';
import type { AttemptResult } from '../domain/result.ts';
import type { Completion } from './attempt-results.ts';
import {
  type AttemptDraw,
  type AttemptState,
  type DrawnQuestion,
  pageCount,
  type Session,
  stateOf,
  storedHash,
  ttlOf,
} from './attempts.ts';
import { applied, db, tableName } from './client.ts';
import type { Candidate } from './invitations.ts';
import { keys } from './keys.ts';

/** The fields of an old-layout attempt item that the conversion and the readers use. */
export interface OldLayoutAttempt {
  attemptId: string;
  org: string;
  assessmentId: string;
  invitationId: string;
  status: 'active' | 'submitted' | 'expired';
  tokenHash: string;
  startedAt: string;
  deadline: string;
  dueAt: string;
  gracePeriodSeconds: number;
  timeLimitMinutes: number;
  extraTimePercent: number;
  title: string;
  showResultToCandidate: boolean;
  passingScore?: number;
  candidate?: Candidate;
  questions: (DrawnQuestion & { t: string; area: string })[];
  answers?: Record<string, SavedAnswer>;
  rev?: number;
  resumes?: Session[];
  resumeCount?: number;
  completedAt?: string;
  result?: AttemptResult;
  GSI2PK?: string;
  GSI2SK?: string;
  erasedAt?: string;
}

/** The draw an old-layout attempt amounts to, with the given page plan. */
export function drawOfOldLayout(a: OldLayoutAttempt, pages: number[]): AttemptDraw {
  return {
    attemptId: a.attemptId,
    org: a.org,
    assessmentId: a.assessmentId,
    invitationId: a.invitationId,
    startedAt: a.startedAt,
    deadline: a.deadline,
    dueAt: a.dueAt,
    gracePeriodSeconds: a.gracePeriodSeconds,
    timeLimitMinutes: a.timeLimitMinutes,
    extraTimePercent: a.extraTimePercent ?? 0,
    title: a.title,
    showResultToCandidate: a.showResultToCandidate,
    ...(a.passingScore !== undefined ? { passingScore: a.passingScore } : {}),
    candidate: a.candidate ?? {},
    questions: a.questions.map((q) => ({
      o: q.o,
      q: q.q,
      v: q.v,
      ...(q.order ? { order: q.order } : {}),
    })),
    pages,
    started: a.resumes?.[0] ?? { at: a.startedAt },
  };
}

export type Conversion =
  | { converted: true; draw: AttemptDraw; state: AttemptState }
  /** The item changed in between (an old function saved an answer): read it again. */
  | { converted: false };

/**
 * Convert a running old-layout attempt: write its draw, its later sessions and any further
 * answer page, then replace the old item with a new-layout head in one write conditioned on
 * the old item's status and revision counter, so an answer saved in between by an old function
 * is never lost (the conversion fails and is read again). Answers keep their save times and
 * start at revision 1. The head keeps the due-index keys until it is sealed.
 */
export async function convertOldLayout(
  a: OldLayoutAttempt,
  pages: number[],
  retentionDays: number,
): Promise<Conversion> {
  const draw = drawOfOldLayout(a, pages);
  const ttl = ttlOf(a.dueAt, retentionDays);
  const put = (Item: Record<string, unknown>, condition?: string, values?: object) =>
    applied(() =>
      db().send(
        new PutCommand({
          TableName: tableName(),
          Item,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(values
            ? {
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: values as Record<string, unknown>,
              }
            : {}),
        }),
      ),
    );
  await put({ ...keys.attemptDraw(a.attemptId), ...draw, ly: 2, ttl }, 'attribute_not_exists(PK)');
  for (const [i, s] of (a.resumes ?? []).slice(1).entries()) {
    // Sort keys from the session itself, so a repeated conversion writes the same items.
    await put({ ...keys.attemptSession(a.attemptId, `${s.at}#old${i}`), ...s, ttl });
  }
  const page: Record<number, Record<string, unknown>> = {};
  const base = { ly: 2, st: 'active', th: storedHash(a.tokenHash), due: a.dueAt };
  for (let p = 0; p < pageCount(draw); p++) page[p] = { ...base };
  a.questions.forEach((q, i) => {
    const saved = a.answers?.[q.q];
    if (!saved) return;
    const target = page[pages[i] ?? 0]!;
    target[`a${i}`] = { v: saved.value, t: Date.parse(saved.savedAt) };
    target[`r${i}`] = 1;
  });
  for (let p = 1; p < pageCount(draw); p++)
    await put({ ...keys.attemptPage(a.attemptId, p), ...page[p] }, 'attribute_not_exists(PK)');
  const head = {
    ...keys.attempt(a.attemptId),
    ...page[0],
    rc: a.resumeCount ?? Math.max(0, (a.resumes?.length ?? 1) - 1),
    ...(a.GSI2PK ? { GSI2PK: a.GSI2PK, GSI2SK: a.GSI2SK } : {}),
  };
  const done = await put(
    head,
    a.rev === undefined
      ? 'attribute_exists(questions) AND #s = :active AND attribute_not_exists(rev)'
      : 'attribute_exists(questions) AND #s = :active AND rev = :rev',
    a.rev === undefined ? { ':active': 'active' } : { ':active': 'active', ':rev': a.rev },
  );
  return done
    ? { converted: true, draw, state: stateOf(a.attemptId, Object.values(page).map(withSk)) }
    : { converted: false };
}

// stateOf finds the head by its sort key.
const withSk = (item: Record<string, unknown>, i: number) => ({
  ...item,
  SK: i === 0 ? 'ATT' : `A#${i}`,
});

/** A finished old-layout attempt as a completion, for the readers (report, result, erasure). */
export function completionOfOldLayout(a: OldLayoutAttempt): Completion {
  return {
    attemptId: a.attemptId,
    org: a.org,
    assessmentId: a.assessmentId,
    invitationId: a.invitationId,
    status: a.status as Completion['status'],
    startedAt: a.startedAt,
    completedAt: a.completedAt!,
    title: a.title,
    showResultToCandidate: a.showResultToCandidate,
    candidate: a.candidate ?? {},
    tokenHash: a.tokenHash,
    // The old layout kept the answers beside the result: the report reads them from there.
    // (After an erasure the answers are gone and whether each was answered is unknown.)
    result: {
      ...a.result!,
      questions: a.result!.questions.map((g) => {
        if (a.erasedAt) return g;
        const saved = a.answers?.[g.questionId];
        return { ...g, answered: saved?.value !== undefined && saved.value !== null };
      }),
    },
    questionOrgs: a.questions.map((q) => q.o),
    deadline: a.deadline,
    ...(a.answers && !a.erasedAt
      ? {
          legacyAnswers: Object.fromEntries(
            Object.entries(a.answers).map(([id, saved]) => [id, saved.value]),
          ),
        }
      : {}),
  };
}
