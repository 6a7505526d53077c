/**
 * The candidate app's page events (visibility changes, pastes): one small item per batch in
 * the attempt's partition (`ATT#<id>` / `EV#<ulid>`), and a counter item (`EVENTS`) that
 * bounds how many batches an attempt keeps. Finalising reads them with the attempt's completion context (`readCompletionContext`).
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_EVENT_BATCHES, type PageEvent } from '../domain/integrity.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

/** What storing a batch did. */
export type BatchOutcome = 'stored' | 'already-stored' | 'full';

/**
 * Store one batch under its id, counted against the attempt's bound in the same transaction.
 * The id is the client's own for a batch it may send again (`once`): the batch item is written
 * only if absent, so a retry of a batch that landed changes nothing ('already-stored', and the
 * counter is not moved either: the transaction writes nothing). 'full' when the attempt has
 * its MAX_EVENT_BATCHES already (nothing is written then).
 */
export async function putEventBatch(
  attemptId: string,
  batchId: string,
  events: readonly PageEvent[],
  receivedAt: string,
  ttl: number,
  once = false,
): Promise<BatchOutcome> {
  try {
    await db().send(
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
              Item: { ...keys.attemptEvent(attemptId, batchId), receivedAt, events, ttl },
              ...(once ? { ConditionExpression: 'attribute_not_exists(SK)' } : {}),
            },
          },
        ],
      }),
    );
    return 'stored';
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    return reasons?.[1]?.Code === 'ConditionalCheckFailed' ? 'already-stored' : 'full';
  }
}

/** The page events of an attempt's `EV#` items (read with its completion context), in time order. */
export function pageEventsOf(batches: readonly Record<string, unknown>[]): PageEvent[] {
  return batches
    .flatMap((i) => (i.events as PageEvent[] | undefined) ?? [])
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}
