/**
 * The candidate app's page events (visibility changes, pastes): one small item per batch in
 * the attempt's partition (`ATT#<id>` / `EV#<ulid>`), and a counter item (`EVENTS`) that
 * bounds how many batches an attempt keeps. Read once when the attempt is finalised.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_EVENT_BATCHES, type PageEvent } from '../domain/integrity.ts';
import { batchWrite } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { keys } from './keys.ts';

/**
 * Store one batch, counted against the attempt's bound in the same transaction: false when
 * the attempt has its MAX_EVENT_BATCHES already (nothing is written then).
 */
export async function putEventBatch(
  attemptId: string,
  batchId: string,
  events: readonly PageEvent[],
  receivedAt: string,
  ttl: number,
): Promise<boolean> {
  return applied(() =>
    db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.attemptEventCounter(attemptId),
              UpdateExpression: 'ADD batches :one SET #ttl = :ttl',
              ConditionExpression: 'attribute_not_exists(batches) OR batches < :max',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: { ':one': 1, ':max': MAX_EVENT_BATCHES, ':ttl': ttl },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.attemptEvents(attemptId, batchId), receivedAt, events, ttl },
            },
          },
        ],
      }),
    ),
  );
}

/** Every batch's keys or contents, page by page (at most MAX_EVENT_BATCHES small items). */
async function queryBatches(attemptId: string, keysOnly: boolean) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ev)',
        ExpressionAttributeValues: {
          ':pk': keys.attempt(attemptId).PK,
          ':ev': keys.attemptEventsPrefix,
        },
        ...(keysOnly ? { ProjectionExpression: 'PK, SK' } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The attempt's page events in time order: one Query of its `EV#` items. */
export async function listAttemptEvents(attemptId: string): Promise<PageEvent[]> {
  const items = await queryBatches(attemptId, false);
  return items
    .flatMap((i) => (i.events as PageEvent[] | undefined) ?? [])
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}

/** Erase an attempt's page events and their counter (erasure of a candidate's data). */
export async function deleteAttemptEvents(attemptId: string): Promise<void> {
  const doomed = [
    ...(await queryBatches(attemptId, true)).map((i) => ({ PK: i.PK, SK: i.SK })),
    keys.attemptEventCounter(attemptId),
  ];
  await batchWrite(doomed.map((Key) => ({ DeleteRequest: { Key } })));
}
