/**
 * Response records: the anonymous calibration input each completed attempt leaves, one small
 * item per question owner (`ORG#<owner>#RESP#<shard>` / `<completedAt>#<attemptId>`), written
 * by the stream consumer with the statistics, kept for the retention period (the completion's
 * TTL) and replaced by a tombstone when the candidate's data is erased. Patterns 26-27 of
 * docs/access-patterns.md.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CompactResponse, OwnerResponses } from '../domain/response-records.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

/** Shards per owner: writes of the shared public bank's records spread over four partitions. */
export const RESPONSE_SHARDS = 4;

/** The shard of an attempt's records: from its id (a ULID's random tail), so erasure finds it. */
export function responseShard(attemptId: string): number {
  let h = 0;
  for (let i = 0; i < attemptId.length; i++) h = (h * 31 + attemptId.charCodeAt(i)) >>> 0;
  return h % RESPONSE_SHARDS;
}

/** The stored item of one record (exported for loading simulated records in tests and the bench). */
export function responseRecordItem(
  attemptId: string,
  completedAt: string,
  record: OwnerResponses,
  ttl?: number,
): Record<string, unknown> {
  return {
    ...keys.responseRecord(record.owner, responseShard(attemptId), completedAt, attemptId),
    r: record.areas,
    ...(ttl ? { ttl } : {}),
  };
}

/**
 * Store a completion's records, each only if absent: a redelivered stream record, and a record
 * the candidate's erasure replaced by a tombstone (an erasure that ran before the consumer),
 * both leave what is there.
 */
export async function putResponseRecords(
  attemptId: string,
  completedAt: string,
  records: readonly OwnerResponses[],
  ttl?: number,
): Promise<void> {
  for (const r of records) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: responseRecordItem(attemptId, completedAt, r, ttl),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}

/**
 * Erase a completion's records: each is overwritten by a tombstone without responses (kept
 * until the same TTL), so a stream consumer that runs after the erasure writes nothing.
 */
export async function eraseResponseRecords(
  attemptId: string,
  completedAt: string,
  owners: readonly string[],
  ttl: number,
): Promise<void> {
  for (const owner of new Set(owners)) {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.responseRecord(owner, responseShard(attemptId), completedAt, attemptId),
          erased: true,
          ttl,
        },
      }),
    );
  }
}

/** A stored record as calibration reads it. */
export interface StoredResponses {
  areas: Record<string, CompactResponse[]>;
}

/**
 * An owner's records, newest first in each shard, at most `limit` in all (the calibration
 * job's read, paginated; never on a request path). Tombstones and expired-but-not-yet-deleted
 * records (DynamoDB deletes within days of the TTL) are left out.
 */
export async function readResponseRecords(
  owner: string,
  limit: number,
  now: Date,
): Promise<StoredResponses[]> {
  const out: StoredResponses[] = [];
  const perShard = Math.ceil(limit / RESPONSE_SHARDS);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for (let shard = 0; shard < RESPONSE_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    let taken = 0;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.responseRecordPartition(owner, shard) },
          ScanIndexForward: false,
          Limit: Math.min(1000, perShard - taken),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) {
        taken++;
        if (item.erased || !item.r) continue;
        if (typeof item.ttl === 'number' && item.ttl < nowSeconds) continue;
        out.push({ areas: item.r as Record<string, CompactResponse[]> });
      }
      start = res.LastEvaluatedKey;
    } while (start && taken < perShard);
  }
  return out;
}
