/**
 * Question storage. Versions are immutable items; the head item carries the latest content,
 * the status and the listing keys. Every change is a conditional write on the version the
 * writer read, so concurrent writers cannot lose each other's versions. Bank imports stage
 * heads that readers do not see until the import commits (`data/imports.ts`): every read here
 * takes the organisation's import snapshot and keeps what it shows (docs/imports.md).
 *
 * | access pattern                          | call                                         |
 * |-----------------------------------------|----------------------------------------------|
 * | question with its version list          | Query PK = ORG#o#Q#id, SK HEAD..PREV#~ (the head and any copy an open import left) |
 * | one version                             | GetItem PK, SK = V#n                         |
 * | many versions (attempt start, grading)  | BatchGetItem (cached in memory: immutable)   |
 * | list by status / area / difficulty      | Query GSI1 ORG#o#QS#status, begins_with area#d# |
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { contentHash, pickContent, type QuestionContent } from '../domain/question.ts';
import { AreaDeltas, areaCountsUpdate, HINT_COUNTED } from './area-counts.ts';
import { type BankSnapshot, isCommitted, isVisible, readBankSnapshot } from './bank-visibility.ts';
import { db, tableName } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

export type QuestionStatus = 'published' | 'retired';

export interface StoredQuestion extends QuestionContent {
  org: string;
  version: number;
  status: QuestionStatus;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  bankId?: string;
}

export interface VersionSummary {
  version: number;
  createdAt: string;
}

const HEAD_META = [
  'org',
  'version',
  'status',
  'contentHash',
  'createdAt',
  'updatedAt',
  'bankId',
] as const;

export function toStored(item: Record<string, unknown>): StoredQuestion {
  const out = pickContent(item) as StoredQuestion;
  for (const k of HEAD_META)
    if (item[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = item[k];
  return out;
}

/** A head item; `seq` tags it as written by that import (hidden until the import commits). */
export function headItem(
  org: string,
  q: QuestionContent,
  meta: {
    version: number;
    status: QuestionStatus;
    hash: string;
    createdAt: string;
    now: string;
    bankId?: string;
    /** The head this one replaces, whose version list it extends. */
    previous?: Record<string, unknown>;
    seq?: number;
  },
) {
  const versionList: VersionSummary[] = [
    ...((meta.previous?.versionList as VersionSummary[] | undefined) ?? []),
    { version: meta.version, createdAt: meta.now },
  ];
  return {
    ...keys.questionHead(org, q.id),
    ...keys.questionListing(org, meta.status, q.area, q.difficulty, q.id),
    ...q,
    org,
    version: meta.version,
    status: meta.status,
    contentHash: meta.hash,
    createdAt: meta.createdAt,
    updatedAt: meta.now,
    ...(meta.bankId ? { bankId: meta.bankId } : {}),
    // Kept on the head so that reading a question with its history is one GetItem.
    versionList,
    // Its time hint is in the area's hint sums (written in the same transaction).
    [HINT_COUNTED]: true,
    ...(meta.seq !== undefined ? { seq: meta.seq } : {}),
  };
}

/** An immutable version item. */
export function versionItem(
  org: string,
  q: QuestionContent,
  version: number,
  hash: string,
  now: string,
) {
  return {
    ...keys.questionVersion(org, q.id, version),
    ...q,
    org,
    version,
    contentHash: hash,
    createdAt: now,
  };
}

/** Run tasks with at most `limit` in flight; each task learns which worker (0..limit-1) runs it. */
export async function pool<T>(
  tasks: ((worker: number) => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async (_, worker) => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!(worker);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * A question's head as this snapshot shows it, read strongly in one Query of its partition
 * (`HEAD` and any `PREV#` copy an import left): `visible` is the item readers see (undefined:
 * the question does not exist for them), `stagedBy` the open import whose head is stored.
 */
async function readHead(
  org: string,
  id: string,
  snap: BankSnapshot,
): Promise<{ visible?: Record<string, unknown>; stagedBy?: number }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :head AND :prev',
      ExpressionAttributeValues: {
        ':pk': keys.questionHead(org, id).PK,
        ':head': 'HEAD',
        ':prev': 'PREV#\uffff',
      },
      ConsistentRead: true,
    }),
  );
  const items = res.Items ?? [];
  const head = items.find((i) => i.SK === 'HEAD');
  const staged = typeof head?.seq === 'number' && !isCommitted(snap, head.seq);
  return {
    visible: items.find((i) => isVisible(i, snap)),
    ...(staged ? { stagedBy: head!.seq as number } : {}),
  };
}

/** The head (latest version, status) and the version list, or undefined (see readHead). */
export async function getQuestion(
  org: string,
  id: string,
): Promise<{ head: StoredQuestion; versions: VersionSummary[] } | undefined> {
  const { visible } = await readHead(org, id, await readBankSnapshot(org));
  if (!visible) return undefined;
  return {
    head: toStored(visible),
    versions: (visible.versionList as VersionSummary[] | undefined) ?? [],
  };
}

/**
 * The head an edit or a retirement may change: 404 when readers do not see the question, 409
 * while an open import has replaced it (the change would be lost, or would overwrite the
 * import's, when the import commits).
 */
async function writableHead(org: string, id: string): Promise<Record<string, unknown>> {
  const { visible, stagedBy } = await readHead(org, id, await readBankSnapshot(org));
  if (!visible) throw new NotFoundError(`Question ${id}`);
  if (stagedBy !== undefined) {
    throw new DomainError(
      'conflict',
      `Question ${id} is being replaced by a bank import that has not finished; try again when it has (usually within a minute).`,
      { reason: 'import-in-progress' },
    );
  }
  return visible;
}

/** One immutable version of a question, or undefined. */
export async function getQuestionVersion(
  org: string,
  id: string,
  version: number,
): Promise<StoredQuestion | undefined> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.questionVersion(org, id, version) }),
  );
  return res.Item ? toStored(res.Item) : undefined;
}

export interface ListFilter {
  status: QuestionStatus;
  area?: string;
  difficulty?: number;
  limit: number;
  cursor?: string;
}

/** A page of an organisation's questions by status, optionally by area and difficulty. */
export async function listQuestions(
  org: string,
  f: ListFilter,
): Promise<{ items: StoredQuestion[]; nextCursor: string | null }> {
  const partition = keys.questionListingPartition(org, f.status);
  const prefix = f.area ? (f.difficulty ? `${f.area}#${f.difficulty}#` : `${f.area}#`) : undefined;
  const filterDifficulty = f.difficulty !== undefined && !f.area;
  const start = decodeCursor(f.cursor, { GSI1PK: partition });
  const snap = await readBankSnapshot(org);
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: prefix ? 'GSI1PK = :pk AND begins_with(GSI1SK, :p)' : 'GSI1PK = :pk',
      ...(filterDifficulty ? { FilterExpression: 'difficulty = :d' } : {}),
      ExpressionAttributeValues: {
        ':pk': partition,
        ...(prefix ? { ':p': prefix } : {}),
        ...(filterDifficulty ? { ':d': f.difficulty } : {}),
      },
      Limit: f.limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  // What an open import staged is dropped (a page may be shorter than the limit; the cursor
  // still continues exactly after the last item read).
  return {
    items: (res.Items ?? []).filter((i) => isVisible(i, snap)).map(toStored),
    nextCursor: encodeCursor(res.LastEvaluatedKey),
  };
}

/**
 * Store an edit as version n+1, but only if the head is still at `expectedVersion`
 * (the client's If-Match). Identical content changes nothing and returns the head; so does a
 * retry of an edit that already landed (the head holds this content at version n+1).
 */
export async function editQuestion(
  org: string,
  q: QuestionContent,
  expectedVersion: number,
  now: Date,
): Promise<{ question: StoredQuestion; changed: boolean }> {
  const head = await writableHead(org, q.id);
  const hash = contentHash(q);
  // A retry of an edit that landed (its answer was lost): the head is already this content at
  // the next version. Answer as the first request did instead of a 412 that would contradict it.
  if (
    head.version === expectedVersion + 1 &&
    head.contentHash === hash &&
    head.status === 'published'
  ) {
    return { question: toStored(head), changed: false };
  }
  if (head.version !== expectedVersion) {
    throw new DomainError(
      'version-conflict',
      `Question ${q.id} is at version ${head.version}, not ${expectedVersion}: reload it and apply your edit again.`,
      { currentVersion: head.version },
    );
  }
  if (head.contentHash === hash && head.status === 'published')
    return { question: toStored(head), changed: false };
  const at = now.toISOString();
  const version = expectedVersion + 1;
  const deltas = new AreaDeltas();
  if (head.status === 'published') deltas.leave(head);
  deltas.enter(q);
  const item = headItem(org, q, {
    version,
    status: 'published',
    hash,
    createdAt: head.createdAt as string,
    now: at,
    bankId: head.bankId as string | undefined,
    previous: head,
  });
  const counts = areaCountsUpdate(org, deltas);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: versionItem(org, q, version, hash, at),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: item,
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': expectedVersion },
            },
          },
          ...(counts ? [counts] : []),
        ] as never,
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) {
      throw new DomainError(
        'version-conflict',
        `Question ${q.id} was changed by someone else since version ${expectedVersion}: reload it and apply your edit again.`,
      );
    }
    throw err;
  }
  return { question: toStored(item), changed: true };
}

/** Retire a question: never drawn again; every version stays readable. Idempotent. */
export async function retireQuestion(
  org: string,
  id: string,
  now: Date,
  retries = 3,
): Promise<void> {
  const head = await writableHead(org, id);
  if (head.status === 'retired') return;
  const listing = keys.questionListing(
    org,
    'retired',
    head.area as string,
    head.difficulty as number,
    id,
  );
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.questionHead(org, id),
              UpdateExpression: 'SET #s = :retired, GSI1PK = :pk, GSI1SK = :sk, updatedAt = :now',
              ConditionExpression: '#s = :published AND version = :v',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':retired': 'retired',
                ':published': 'published',
                ':pk': listing.GSI1PK,
                ':sk': listing.GSI1SK,
                ':now': now.toISOString(),
                ':v': head.version,
              },
            },
          },
          areaCountsUpdate(org, new AreaDeltas().leave(head))!,
        ] as never,
      }),
    );
  } catch (err) {
    // The head moved (an edit landed in between): read it again and retire that version.
    if (isConditionFailure(err) && retries > 0) return retireQuestion(org, id, now, retries - 1);
    throw err;
  }
}
