/**
 * Norms (score histogram per assessment) and item statistics (running sums per question
 * version), updated as attempts complete by the stream consumer. Stream records arrive at least
 * once, so each attempt's update is a transaction guarded by a marker item: applying it twice
 * changes nothing.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type ItemSums, scoreBin } from '../domain/statistics.ts';
import type { Attempt } from './attempts.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

export interface Norms {
  n: number;
  histogram: Map<number, number>;
}

export function normsOf(item: Record<string, unknown> | undefined): Norms {
  const histogram = new Map<number, number>();
  for (const [k, v] of Object.entries(item ?? {}))
    if (k.startsWith('b_') && typeof v === 'number') histogram.set(Number(k.slice(2)), v);
  return { n: (item?.n as number | undefined) ?? 0, histogram };
}

export async function readNorms(org: string, assessmentId: string): Promise<Norms> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.norms(org, assessmentId) }),
  );
  return normsOf(res.Item);
}

const SUM_FIELDS = ['n', 'sx', 'sxx', 'sy', 'syy', 'sxy', 'seconds'] as const;

/** Questions per transaction: 100 items less the marker and the norms update. */
const CHUNK = 98;

/**
 * Add a completed attempt to its assessment's norms and to the statistics of every question
 * version it answered. Idempotent per attempt.
 */
export async function applyCompletion(
  attempt: Attempt,
  contributions: ReadonlyMap<string, ItemSums>,
): Promise<'applied' | 'already-applied'> {
  const questions = attempt.questions;
  let applied = false;
  for (let c = 0; c * CHUNK < Math.max(1, questions.length); c++) {
    const items: unknown[] = [
      {
        Put: {
          TableName: tableName(),
          Item: keys.statsMarker(attempt.attemptId, c),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (c === 0) {
      const bin = `b_${scoreBin(attempt.result!.score)}`;
      const listing = keys.resultListing(attempt.org, attempt.assessmentId, '#NORMS');
      items.push({
        Update: {
          TableName: tableName(),
          Key: keys.norms(attempt.org, attempt.assessmentId),
          UpdateExpression: 'ADD n :one, #b :one SET GSI1PK = :g1pk, GSI1SK = :g1sk',
          ExpressionAttributeNames: { '#b': bin },
          ExpressionAttributeValues: {
            ':one': 1,
            ':g1pk': listing.GSI1PK,
            ':g1sk': listing.GSI1SK,
          },
        },
      });
    }
    for (const q of questions.slice(c * CHUNK, (c + 1) * CHUNK)) {
      const s = contributions.get(q.q);
      if (!s) continue;
      items.push({
        Update: {
          TableName: tableName(),
          Key: keys.itemStats(attempt.org, q.o, q.q, q.v),
          UpdateExpression: `ADD ${SUM_FIELDS.map((f) => `${f} :${f}`).join(', ')}`,
          ExpressionAttributeValues: Object.fromEntries(SUM_FIELDS.map((f) => [`:${f}`, s[f]])),
        },
      });
    }
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items as never }));
      applied = true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
  return applied ? 'applied' : 'already-applied';
}

/** This organisation's running sums for every version of a question: one Query. */
export async function readItemSums(
  org: string,
  questionOrg: string,
  questionId: string,
): Promise<Map<number, ItemSums>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.itemStatsPartition(org, questionOrg, questionId) },
    }),
  );
  const out = new Map<number, ItemSums>();
  for (const i of res.Items ?? []) {
    out.set(
      Number(String(i.SK).slice('V#'.length)),
      Object.fromEntries(SUM_FIELDS.map((f) => [f, (i[f] as number) ?? 0])) as unknown as ItemSums,
    );
  }
  return out;
}
