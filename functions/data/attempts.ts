/**
 * Attempts: one item each, holding the drawn questions (refs and option orders), the answers
 * and, once finished, the graded result and its ranking keys. Every state change is a
 * conditional write; see docs/state-machines.md. Patterns 12-19 of docs/access-patterns.md.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SavedAnswer } from '../domain/grading.ts';
import type { Resume } from '../domain/integrity.ts';
import type { QuestionTypeId } from '../domain/question-types/type.ts';
import type { AttemptResult } from '../domain/result.ts';
import { applied, db, tableName } from './client.ts';
import { encodeCursor, listingPage } from './cursor.ts';
import { isConditionFailure } from './errors.ts';
import type { Candidate } from './invitations.ts';
import { dueBucket, keys } from './keys.ts';

export type AttemptStatus = 'active' | 'submitted' | 'expired';

export interface AttemptQuestion {
  o: string;
  q: string;
  v: number;
  t: QuestionTypeId;
  area: string;
  /** Option ids in the order this candidate sees them. */
  order?: string[];
}

export interface Attempt {
  attemptId: string;
  org: string;
  assessmentId: string;
  invitationId: string;
  status: AttemptStatus;
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
  candidate: Candidate;
  questions: AttemptQuestion[];
  /** Per question: type and option ids, so a save is validated by its condition expression. */
  qs: Record<string, { t: QuestionTypeId; o: string[] }>;
  answers: Record<string, SavedAnswer>;
  /** Incremented by every saved answer: finalising is conditioned on it, so no save is missed. */
  rev: number;
  /** The first MAX_RECORDED_RESUMES sessions (the start included); `resumeCount` counts all resumes. */
  resumes: Resume[];
  resumeCount?: number;
  /** When the token was last rotated by a resume: orders rotations (see rotateAttemptToken). */
  rotatedAt?: string;
  completedAt?: string;
  result?: AttemptResult;
  erasedAt?: string;
}

const STORAGE_KEYS = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'ttl'];

function strip(item: Record<string, unknown>): Attempt {
  const out = { ...item };
  for (const k of STORAGE_KEYS) delete out[k];
  return out as unknown as Attempt;
}

/** Ranking key: best score first, then earliest completion. */
export function rankKey(score: number, completedAt: string, attemptId: string): string {
  return `${String(10000 - Math.round(score * 100)).padStart(5, '0')}#${completedAt}#${attemptId}`;
}

/**
 * pending -> started and the new attempt, in one transaction. Returns false when another
 * request won the race (or the invitation changed): the caller reads what it wrote.
 */
export async function createAttempt(
  attempt: Attempt,
  invitationTokenHash: string,
  now: Date,
): Promise<boolean> {
  return applied(() =>
    db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.invitation(attempt.invitationId),
              UpdateExpression: 'SET #s = :started, attemptId = :a, startedAt = :now',
              ConditionExpression: '#s = :pending AND tokenHash = :h AND expiresAt > :now',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':started': 'started',
                ':pending': 'pending',
                ':a': attempt.attemptId,
                ':h': invitationTokenHash,
                ':now': now.toISOString(),
              },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.attempt(attempt.attemptId),
                ...keys.due(new Date(attempt.dueAt), attempt.attemptId),
                ...attempt,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    ),
  );
}

export async function getAttempt(attemptId: string): Promise<Attempt | undefined> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.attempt(attemptId), ConsistentRead: true }),
  );
  return res.Item ? strip(res.Item) : undefined;
}

/** Sessions recorded per attempt for integrity evidence; later resumes are only counted. */
export const MAX_RECORDED_RESUMES = 20;

/**
 * Give an active, not yet due attempt a new token (resume), recording the session while fewer
 * than MAX_RECORDED_RESUMES are recorded so that the item stays small however often a client
 * resumes. Undefined: not active, or due.
 *
 * Rotations are ordered by `rotatedAt` (`at`, the request's time unless given): one older than
 * the stored one changes nothing and answers `{ supersededAt }`. A rotation sent before its
 * request ran out of time can reach the table after the client's retry has rotated again;
 * without the order it would replace the token the client was given last and lock it out.
 */
export async function rotateAttemptToken(
  attemptId: string,
  tokenHash: string,
  resume: Resume,
  at = resume.at,
): Promise<Attempt | { supersededAt: string } | undefined> {
  const rotate = (record: boolean) =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        UpdateExpression: record
          ? 'SET tokenHash = :h, rotatedAt = :at, resumes = list_append(if_not_exists(resumes, :empty), :r) ADD resumeCount :one'
          : 'SET tokenHash = :h, rotatedAt = :at ADD resumeCount :one',
        ConditionExpression: `#s = :active AND dueAt >= :now AND (attribute_not_exists(rotatedAt) OR rotatedAt < :at)${
          record ? ' AND (attribute_not_exists(resumes) OR size(resumes) < :max)' : ''
        }`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':h': tokenHash,
          ':active': 'active',
          ':now': resume.at,
          ':at': at,
          ':one': 1,
          ...(record ? { ':r': [resume], ':empty': [], ':max': MAX_RECORDED_RESUMES } : {}),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  let old: Record<string, unknown> | undefined;
  for (const record of [true, false]) {
    try {
      return strip((await rotate(record)).Attributes!);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const item = (err as { Item?: Record<string, never> }).Item;
      old = item ? unmarshall(item) : undefined;
    }
  }
  const rotatedAt = old?.rotatedAt as string | undefined;
  const active = old?.status === 'active' && (old.dueAt as string) >= resume.at;
  return active && rotatedAt && rotatedAt >= at ? { supersededAt: rotatedAt } : undefined;
}

export type SaveOutcome =
  | { saved: true; savedAt: string; deadline: string }
  | { saved: false; current?: Attempt };

/**
 * Store one answer in exactly one conditional UpdateItem. The condition checks the token, the
 * status, the deadline and that the answer fits the stored question (type, option ids, every
 * option ranked for `order`). On failure the old item comes back for the caller to explain.
 */
export async function saveAnswer(
  attemptId: string,
  tokenHash: string,
  questionId: string,
  answer: string | number | string[],
  now: Date,
): Promise<SaveOutcome> {
  const savedAt = now.toISOString();
  const values: Record<string, unknown> = {
    ':h': tokenHash,
    ':active': 'active',
    ':now': savedAt,
    ':ans': { value: answer, savedAt },
    ':one': 1,
  };
  let fits: string;
  if (typeof answer === 'number') {
    values[':numeric'] = 'numeric';
    fits = 'qs.#q.t = :numeric';
  } else if (typeof answer === 'string') {
    Object.assign(values, { ':single': 'single', ':sjt': 'sjt', ':text': 'text', ':a': answer });
    fits = '((qs.#q.t IN (:single, :sjt) AND contains(qs.#q.o, :a)) OR qs.#q.t = :text)';
  } else {
    Object.assign(values, { ':multi': 'multi', ':order': 'order', ':n': answer.length });
    const picks = answer.map((p, i) => {
      values[`:p${i}`] = p;
      return `contains(qs.#q.o, :p${i})`;
    });
    const all = picks.length ? ` AND ${picks.join(' AND ')}` : '';
    fits = `((qs.#q.t = :multi${all}) OR (qs.#q.t = :order AND size(qs.#q.o) = :n${all}))`;
  }
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        // `deadline = deadline` changes nothing; it makes UPDATED_NEW return the deadline.
        UpdateExpression: 'SET answers.#q = :ans, deadline = deadline ADD rev :one',
        ConditionExpression: `tokenHash = :h AND #s = :active AND dueAt >= :now AND attribute_exists(qs.#q) AND ${fits}`,
        ExpressionAttributeNames: { '#s': 'status', '#q': questionId },
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { saved: true, savedAt, deadline: res.Attributes?.deadline as string };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = (err as { Item?: Record<string, never> }).Item;
    return { saved: false, ...(old ? { current: strip(unmarshall(old)) } : {}) };
  }
}

export interface Finalisation {
  status: 'submitted' | 'expired';
  completedAt: string;
  result: AttemptResult;
  retentionDays: number;
}

/**
 * active -> submitted|expired with its graded result, and the invitation -> completed, in one
 * transaction. The attempt leaves the deadline index and enters the ranked results. Returns
 * false when the attempt was no longer active (someone else finalised it first) or an answer
 * was saved after it was read (`rev` moved): the caller reads it again.
 */
export async function finaliseAttempt(attempt: Attempt, f: Finalisation): Promise<boolean> {
  const rank = keys.resultListing(
    attempt.org,
    attempt.assessmentId,
    rankKey(f.result.score, f.completedAt, attempt.attemptId),
  );
  const ttl = Math.floor(Date.parse(f.completedAt) / 1000) + f.retentionDays * 86400;
  return applied(() =>
    db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.attempt(attempt.attemptId),
              UpdateExpression:
                'SET #s = :status, completedAt = :at, #r = :result, GSI1PK = :g1pk, GSI1SK = :g1sk, #ttl = :ttl REMOVE GSI2PK, GSI2SK',
              // The grade covers exactly the answers read: a save in between moves `rev`.
              ConditionExpression:
                attempt.rev === undefined
                  ? '#s = :active AND attribute_not_exists(rev)'
                  : '#s = :active AND rev = :rev',
              ExpressionAttributeNames: { '#s': 'status', '#r': 'result', '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':status': f.status,
                ':at': f.completedAt,
                ':result': f.result,
                ':g1pk': rank.GSI1PK,
                ':g1sk': rank.GSI1SK,
                ':ttl': ttl,
                ':active': 'active',
                ...(attempt.rev === undefined ? {} : { ':rev': attempt.rev }),
              },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.invitation(attempt.invitationId),
              UpdateExpression: 'SET #s = :completed, completedAt = :at',
              ConditionExpression: '#s = :started',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':completed': 'completed',
                ':started': 'started',
                ':at': f.completedAt,
              },
            },
          },
        ],
      }),
    ),
  );
}

/** Active attempts whose grace period ended before `now`, from the hour buckets of the look-back. */
export async function dueAttemptIds(now: Date, lookbackHours: number): Promise<string[]> {
  const ids: string[] = [];
  for (let h = lookbackHours; h >= 0; h--) {
    const bucket = dueBucket(new Date(now.getTime() - h * 3_600_000));
    let start: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :b AND GSI2SK < :now',
          ExpressionAttributeValues: { ':b': bucket, ':now': now.toISOString() },
          ProjectionExpression: 'PK',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const i of res.Items ?? []) ids.push(keys.attemptIdOf(String(i.PK)));
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return ids;
}

/**
 * A page of an assessment's completed attempts, best first, and the assessment's norms item,
 * which sorts before every rank key (`#NORMS`): the first page is one Query. Later pages return
 * no norms; the caller reads them separately.
 */
export async function listResults(
  org: string,
  assessmentId: string,
  limit: number,
  cursor?: string,
) {
  const page = await listingPage(keys.resultListing(org, assessmentId, '').GSI1PK, limit, cursor, {
    extra: 1,
  });
  const norms = page.rows.find((i) => i.SK === 'NORMS');
  let rows = page.rows.filter((i) => i.SK !== 'NORMS');
  let nextCursor = page.nextCursor;
  if (rows.length > limit) {
    // No norms yet (the stream consumer has not run): the extra row is a result. Stop the page
    // at `limit` and continue after its last row.
    rows = rows.slice(0, limit);
    const last = rows.at(-1)!;
    nextCursor = encodeCursor({
      PK: last.PK,
      SK: last.SK,
      GSI1PK: last.GSI1PK,
      GSI1SK: last.GSI1SK,
    });
  }
  return { items: rows.map(strip), ...(norms ? { norms } : {}), first: page.first, nextCursor };
}

/**
 * Erase personal data from a finished attempt of this organisation: the candidate, the answers,
 * the recorded sessions and the integrity evidence (it quotes user agents). Scores stay.
 * Returns false for an attempt that is still running (it would keep collecting answers).
 */
export async function eraseAttemptCandidate(
  org: string,
  attemptId: string,
  now: Date,
): Promise<boolean> {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        UpdateExpression:
          'SET candidate = :empty, answers = :empty, resumes = :none, erasedAt = :now, #r.integrity = :noSignals',
        ConditionExpression: 'org = :org AND #s <> :active AND attribute_exists(#r)',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'result' },
        ExpressionAttributeValues: {
          ':empty': {},
          ':none': [],
          ':noSignals': { signals: [] },
          ':org': org,
          ':active': 'active',
          ':now': now.toISOString(),
        },
      }),
    ),
  );
}
