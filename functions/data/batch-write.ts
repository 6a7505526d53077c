import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';

/** One request of a BatchWriteItem: a Put or a Delete (no conditions: batches take none). */
export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Write all of these, 25 a call, sending again what DynamoDB leaves unprocessed (it does under
 * load) after a growing pause.
 */
export async function batchWrite(requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: unknown[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending?.length; attempt++) {
      const res: { UnprocessedItems?: Record<string, unknown[]> } = await db().send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }),
      );
      pending = res.UnprocessedItems?.[tableName()];
      if (pending?.length)
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    }
  }
}
