/**
 * Question storage. Versions are immutable items; the head item carries the latest content,
 * the status and the listing keys. Every change is a transaction conditioned on the version
 * the writer read, so concurrent writers cannot lose each other's versions.
 *
 * | access pattern                          | call                                         |
 * |-----------------------------------------|----------------------------------------------|
 * | question with its version list          | Query PK = ORG#o#Q#id                        |
 * | one version                             | GetItem PK, SK = V#n                         |
 * | many versions (attempt start, grading)  | BatchGetItem (cached in memory: immutable)   |
 * | heads of a bank being imported          | BatchGetItem, 100 keys a call                |
 * | list by status / area / difficulty      | Query GSI1 ORG#o#QS#status, begins_with area#d# |
 */
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Bank } from '../domain/bank.ts';
import type { StoredHead } from '../domain/bank-import.ts';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { contentHash, pickContent, type QuestionContent } from '../domain/question.ts';
import { AreaDeltas, areaCountsUpdate, COUNT_SHARDS, HINT_COUNTED } from './area-counts.ts';
import { db, tableName } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isConditionFailure } from './errors.ts';
import { type Key, keys } from './keys.ts';

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

function headItem(
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
  };
}

function versionItem(org: string, q: QuestionContent, version: number, hash: string, now: string) {
  return {
    ...keys.questionVersion(org, q.id, version),
    ...q,
    org,
    version,
    contentHash: hash,
    createdAt: now,
  };
}

/** BatchGet with the retry of unprocessed keys that DynamoDB asks for under load. */
export async function batchGet(keyList: Key[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keyList.slice(
      i,
      i + 100,
    ) as unknown as Record<string, unknown>[];
    for (let attempt = 0; pending?.length; attempt++) {
      const res = await db().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }),
      );
      out.push(...((res.Responses?.[tableName()] ?? []) as Record<string, unknown>[]));
      pending = res.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
      if (pending?.length)
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    }
  }
  return out;
}

/** Run async tasks with at most `limit` in flight. */
/** Run tasks with at most `limit` in flight; each task learns which worker (0..limit-1) runs it. */
async function pool<T>(tasks: ((worker: number) => Promise<T>)[], limit: number): Promise<T[]> {
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

export interface ImportResult {
  bankId: string;
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Questions per transaction: two items each (version + head) plus the counts item. */
const CHUNK = 49;

/**
 * Store a validated bank: new ids become version 1, changed content version n+1, identical
 * content nothing. Written in transactions of 49 questions, each conditioned on the head
 * versions read, so a concurrent edit surfaces as a 409 and a re-upload finishes the job.
 */
export async function importBank(
  org: string,
  bank: Bank,
  now: Date,
  /** Checks the stored heads of the bank's ids before anything is written (throws to refuse). */
  guard?: (heads: ReadonlyMap<string, StoredHead>) => void,
): Promise<ImportResult> {
  const at = now.toISOString();
  const heads = new Map<string, Record<string, unknown>>();
  for (const item of await batchGet(bank.questions.map((q) => keys.questionHead(org, q.id)))) {
    heads.set(item.id as string, item);
  }
  guard?.(heads as unknown as ReadonlyMap<string, StoredHead>);
  const result: ImportResult = {
    bankId: bank.bank.id,
    imported: bank.questions.length,
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  type Planned = { q: QuestionContent; hash: string; head?: Record<string, unknown> };
  const changes: Planned[] = [];
  for (const q of bank.questions) {
    const hash = contentHash(q);
    const head = heads.get(q.id);
    if (head?.contentHash === hash) result.unchanged++;
    else {
      changes.push({ q, hash, ...(head ? { head } : {}) });
      if (head) result.updated++;
      else result.created++;
    }
  }

  const tasks: ((worker: number) => Promise<void>)[] = [];
  for (let i = 0; i < changes.length; i += CHUNK) {
    const chunk = changes.slice(i, i + CHUNK);
    // Each worker writes its own counts shard: no two concurrent transactions share an item.
    tasks.push(async (worker) => {
      const deltas = new AreaDeltas();
      const items: unknown[] = [];
      for (const { q, hash, head } of chunk) {
        const version = head ? (head.version as number) + 1 : 1;
        if (head?.status === 'published') deltas.leave(head);
        deltas.enter(q);
        items.push({
          Put: {
            TableName: tableName(),
            Item: versionItem(org, q, version, hash, at),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        items.push({
          Put: {
            TableName: tableName(),
            Item: headItem(org, q, {
              version,
              status: 'published',
              hash,
              createdAt: (head?.createdAt as string) ?? at,
              now: at,
              bankId: bank.bank.id,
              ...(head ? { previous: head } : {}),
            }),
            ...(head
              ? {
                  ConditionExpression: 'version = :v',
                  ExpressionAttributeValues: { ':v': head.version },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        });
      }
      const counts = areaCountsUpdate(org, deltas, worker);
      if (counts) items.push(counts);
      try {
        await db().send(new TransactWriteCommand({ TransactItems: items as never }));
      } catch (err) {
        if (isConditionFailure(err)) {
          throw new DomainError(
            'conflict',
            'Some of these questions were changed by someone else during the upload. Upload the bank again to finish: unchanged questions are skipped.',
          );
        }
        throw err;
      }
    });
  }
  await pool(tasks, COUNT_SHARDS);
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.bank(org, bank.bank.id),
              ...bank.bank,
              org,
              questionCount: bank.questions.length,
              updatedAt: at,
            },
          },
        },
      ],
    }),
  );
  return result;
}

/** The head (latest version, status) and the version list, or undefined: one GetItem. */
export async function getQuestion(
  org: string,
  id: string,
): Promise<{ head: StoredQuestion; versions: VersionSummary[] } | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.questionHead(org, id),
      ConsistentRead: true,
    }),
  );
  if (!res.Item) return undefined;
  return {
    head: toStored(res.Item),
    versions: (res.Item.versionList as VersionSummary[] | undefined) ?? [],
  };
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
  return { items: (res.Items ?? []).map(toStored), nextCursor: encodeCursor(res.LastEvaluatedKey) };
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
  const current = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.questionHead(org, q.id) }),
  );
  if (!current.Item) throw new NotFoundError(`Question ${q.id}`);
  const head = current.Item;
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
  const current = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.questionHead(org, id) }),
  );
  if (!current.Item) throw new NotFoundError(`Question ${id}`);
  const head = current.Item;
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
