/**
 * A completion, written once: the result body (`RESULT`, under 4 KB so that reading it is one
 * read unit at most) and the results-index entry (`ROW`, a small projection in GSI1). Reading
 * them, listing an assessment's results, erasing a finished attempt's personal data. Old-layout
 * attempts are read in place (their result and ranking keys are on the attempt item).
 * Patterns 16 and 18-20, 23 of docs/access-patterns.md.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptResult } from '../domain/result.ts';
import { type AttemptStatus, type Extension, forgetDraws } from './attempts.ts';
import { batchWrite } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { encodeCursor, listingPage } from './cursor.ts';
import { isConditionFailure, storedItemOf } from './errors.ts';
import type { Candidate } from './invitations.ts';
import { keys } from './keys.ts';
import { eraseResponseRecords } from './response-records.ts';

/** A finished attempt as its readers see it (candidate result, report, statistics). */
export interface Completion {
  attemptId: string;
  org: string;
  assessmentId: string;
  invitationId: string;
  status: Exclude<AttemptStatus, 'active'>;
  startedAt: string;
  completedAt: string;
  title: string;
  showResultToCandidate: boolean;
  candidate: Candidate;
  /** The attempt's final token: only its holder reads the candidate's result. */
  tokenHash: string;
  result: AttemptResult;
  /** The organisation owning each graded question, in `result.questions` order. */
  questionOrgs: string[];
  /**
   * Each adaptive section's item the candidate was shown and had not answered when the attempt
   * ended (not graded: the report lists it). Absent when there was none, and in older results.
   */
  shownUnanswered?: ShownUnanswered[];
  /** The deadline the attempt ended with (after any extension); absent in older results. */
  deadline?: string;
  /** Extensions of the deadline, oldest first (who, when, why, how long). */
  extensions?: Extension[];
  /** An employer's preview: no results row, no response records, skipped by the statistics consumer. */
  preview?: boolean;
  /** An old-layout attempt's saved answers by question id (read in place, never stored). */
  legacyAnswers?: Record<string, unknown>;
  erasedAt?: string;
}

/** An adaptive item shown to the candidate and left unanswered: which version, whose, which area. */
export interface ShownUnanswered {
  questionId: string;
  version: number;
  org: string;
  area: string;
}

/** Ranking key: best score first, then earliest completion. */
export function rankKey(score: number, completedAt: string, attemptId: string): string {
  return `${String(10000 - Math.round(score * 100)).padStart(5, '0')}#${completedAt}#${attemptId}`;
}

// The body is JSON compressed with Brotli: integrity signals and per-question detail repeat
// a lot of text, so a body of ~8 KB is stored in ~1.5 KB. Quality 9 with a 64 KB window and
// the size told up front: the default 4 MB window made Brotli set up tables for input it never
// gets (2.2 ms for a 7.5 KB body, against 0.1 ms, a few bytes apart; a body is far below
// 64 KB, and a larger one still compresses, in windows).
const encode = (value: unknown) => {
  const json = Buffer.from(JSON.stringify(value));
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_LGWIN]: 16,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
};
const decode = (bytes: Uint8Array) => JSON.parse(brotliDecompressSync(bytes).toString('utf8'));

const LAYOUT = 2;

/** The stored form of a completion (see `completionOf` for the way back). */
export function resultItem(c: Completion, ttl: number): Record<string, unknown> {
  return {
    ...keys.attemptResult(c.attemptId),
    ly: LAYOUT,
    attemptId: c.attemptId,
    org: c.org,
    assessmentId: c.assessmentId,
    invitationId: c.invitationId,
    status: c.status,
    startedAt: c.startedAt,
    completedAt: c.completedAt,
    title: c.title,
    showResultToCandidate: c.showResultToCandidate,
    candidate: c.candidate,
    th: c.tokenHash,
    body: encode({
      result: c.result,
      questionOrgs: c.questionOrgs,
      ...(c.shownUnanswered?.length ? { shownUnanswered: c.shownUnanswered } : {}),
      ...(c.deadline ? { deadline: c.deadline } : {}),
      ...(c.extensions?.length ? { extensions: c.extensions } : {}),
    }),
    // Outside the body, so the stream consumer can skip a preview without decoding it.
    ...(c.preview ? { preview: true } : {}),
    ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}),
    ...(c.preview ? { preview: true } : {}),
    ttl,
  };
}

/** A completion from its stored result item (as read, or from a stream record's image). */
export function completionOf(item: Record<string, unknown>): Completion {
  const body = decode(item.body as Uint8Array) as {
    result: AttemptResult;
    questionOrgs: string[];
    shownUnanswered?: ShownUnanswered[];
    deadline?: string;
    extensions?: Extension[];
  };
  return {
    attemptId: item.attemptId as string,
    org: item.org as string,
    assessmentId: item.assessmentId as string,
    invitationId: item.invitationId as string,
    status: item.status as Completion['status'],
    startedAt: item.startedAt as string,
    completedAt: item.completedAt as string,
    title: item.title as string,
    showResultToCandidate: item.showResultToCandidate as boolean,
    candidate: (item.candidate as Candidate) ?? {},
    tokenHash: item.th as string,
    result: body.result,
    questionOrgs: body.questionOrgs,
    ...(body.shownUnanswered ? { shownUnanswered: body.shownUnanswered } : {}),
    ...(body.deadline ? { deadline: body.deadline } : {}),
    ...(body.extensions ? { extensions: body.extensions } : {}),
    ...(item.preview ? { preview: true } : {}),
    ...(item.erasedAt ? { erasedAt: item.erasedAt as string } : {}),
    ...(item.preview ? { preview: true } : {}),
  };
}

/** Whether a stored result item is a preview's (read from the item, no decoding). */
export const isPreviewResult = (item: Record<string, unknown>) => item.preview === true;

/**
 * Write the result body once. When a completion was written before (another request finished
 * first), that one is returned and kept: grading is deterministic, but integrity events can
 * arrive in between, and the stored body never changes once written.
 */
export async function putResult(c: Completion, ttl: number): Promise<Completion> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: resultItem(c, ttl),
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return c;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = storedItemOf(err);
    const stored = old ? completionOf(old) : await getResult(c.attemptId, true);
    if (!stored) throw err;
    return stored;
  }
}

/** The results-index entry of a completion: what the ranked listing shows, nothing more. */
export async function putRow(c: Completion, ttl: number): Promise<void> {
  const r = c.result;
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.attemptRow(c.attemptId),
        ...keys.resultListing(c.org, c.assessmentId, rankKey(r.score, c.completedAt, c.attemptId)),
        attemptId: c.attemptId,
        candidate: c.candidate,
        status: c.status,
        score: r.score,
        ...(r.passed !== undefined ? { passed: r.passed } : {}),
        completedAt: c.completedAt,
        areas: Object.fromEntries(r.areas.map((a) => [a.area, a.score])),
        levels: Object.fromEntries(r.areas.map((a) => [a.area, a.level])),
        ttl,
      },
    }),
  );
}

/**
 * The completion of an attempt, or undefined while it has none. Eventually consistent by
 * default (0.5 RCU: the body is written once); a caller that finds nothing reads the head, and
 * `consistent` when the head says the attempt is finished.
 */
export async function getResult(
  attemptId: string,
  consistent = false,
): Promise<Completion | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.attemptResult(attemptId),
      ...(consistent ? { ConsistentRead: true } : {}),
    }),
  );
  return res.Item ? completionOf(res.Item) : undefined;
}

/** One line of the ranked results, from a new-layout row or an old-layout attempt item. */
export interface ResultRow {
  attemptId: string;
  candidate: Candidate;
  status: 'submitted' | 'expired';
  score: number;
  passed?: boolean;
  completedAt: string;
  areas: Record<string, number>;
}

function rowOf(item: Record<string, unknown>): ResultRow {
  if (item.SK === keys.attemptRow('').SK) {
    return {
      attemptId: item.attemptId as string,
      candidate: (item.candidate as Candidate) ?? {},
      status: item.status as ResultRow['status'],
      score: item.score as number,
      ...(item.passed !== undefined ? { passed: item.passed as boolean } : {}),
      completedAt: item.completedAt as string,
      areas: (item.areas as Record<string, number>) ?? {},
    };
  }
  // An old-layout attempt item: the whole attempt, with its result.
  const r = item.result as AttemptResult;
  return {
    attemptId: item.attemptId as string,
    candidate: (item.candidate as Candidate) ?? {},
    status: item.status as ResultRow['status'],
    score: r.score,
    ...(r.passed !== undefined ? { passed: r.passed } : {}),
    completedAt: item.completedAt as string,
    areas: Object.fromEntries(r.areas.map((a) => [a.area, a.score])),
  };
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
  return { items: rows.map(rowOf), ...(norms ? { norms } : {}), first: page.first, nextCursor };
}

/**
 * Erase personal data from a finished new-layout attempt of this organisation: the candidate,
 * the answers, the sessions and the integrity evidence (events, signals). Scores stay. False
 * when the attempt is not this organisation's or has no completion yet (it is still running).
 */
export async function eraseCompletedAttempt(
  org: string,
  attemptId: string,
  now: Date,
): Promise<boolean> {
  const stored = await getResult(attemptId, true);
  if (!stored || stored.org !== org) return false;
  const at = now.toISOString();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.attempt(attemptId).PK },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  const deletes: { PK: string; SK: string }[] = [];
  for (const item of items) {
    const key = { PK: item.PK as string, SK: item.SK as string };
    const sk = key.SK;
    // Page events (and their batch counter) and sessions quote the candidate's behaviour: gone.
    if (
      sk.startsWith(keys.attemptEvent(attemptId, '').SK) ||
      sk === keys.attemptEventCounter(attemptId).SK ||
      sk.startsWith(keys.attemptSession(attemptId, '').SK)
    )
      deletes.push(key);
    else if (sk.startsWith(keys.attemptExtension(attemptId, '').SK)) {
      // Who, when and how long stay (the audit); why may describe the candidate.
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET erasedAt = :at REMOVE reason',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } else if (sk === 'ATT' || sk.startsWith('A#')) {
      const answers = Object.keys(item).filter((k) => /^a\d+$/.test(k));
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: `SET erasedAt = :at${answers.length ? ` REMOVE ${answers.join(', ')}` : ''}`,
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } else if (sk === 'DRAW') {
      const started = item.started as { at?: string } | undefined;
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET candidate = :empty, started = :started, erasedAt = :at',
          ExpressionAttributeValues: {
            ':empty': {},
            ':started': { at: started?.at ?? stored.startedAt },
            ':at': at,
          },
        }),
      );
    } else if (sk === 'ROW') {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET candidate = :empty',
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
    }
  }
  await batchWrite(deletes.map((Key) => ({ DeleteRequest: { Key } })));
  const erased: Completion = {
    ...stored,
    candidate: {},
    // The answers (their texts quote the candidate) go; whether each question was answered,
    // and its score, stay.
    result: {
      ...stored.result,
      questions: stored.result.questions.map(({ answer: _a, ...q }) => q),
      integrity: { signals: [] },
    },
    ...(stored.extensions
      ? { extensions: stored.extensions.map(({ reason: _r, ...e }) => e) }
      : {}),
    erasedAt: at,
  };
  const resultTtl = items.find((i) => i.SK === 'RESULT')?.ttl as number;
  // The anonymous response records go too (a tombstone each, so a late consumer writes none).
  await eraseResponseRecords(attemptId, stored.completedAt, stored.questionOrgs, resultTtl);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: resultItem(erased, resultTtl),
      ConditionExpression: 'attribute_exists(PK)',
    }),
  );
  forgetDraws(attemptId);
  return true;
}

/**
 * Erase personal data from a finished old-layout attempt of this organisation, in place. False
 * for an attempt that is still running (it would keep collecting answers).
 */
export async function eraseOldLayoutAttempt(
  org: string,
  attemptId: string,
  now: Date,
): Promise<boolean> {
  let erased: Record<string, unknown> | undefined;
  const done = await applied(async () => {
    const res = await db().send(
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
        ReturnValues: 'ALL_NEW',
      }),
    );
    erased = res.Attributes;
  });
  // A completion of the old layout applied after the deploy left response records too.
  const a = erased as { completedAt?: string; questions?: { o: string }[]; ttl?: number };
  if (done && a?.completedAt && a.questions) {
    await eraseResponseRecords(
      attemptId,
      a.completedAt,
      a.questions.map((q) => q.o),
      a.ttl ?? Math.floor(now.getTime() / 1000) + 86_400,
    );
  }
  return done;
}
