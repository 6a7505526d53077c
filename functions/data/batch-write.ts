import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';

/**
 * BatchWriteItem over any number of put or delete requests: 25 a call, retrying what DynamoDB
 * leaves unprocessed with a short exponential back-off.
 */
export async function batchWrite(requests: readonly unknown[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: unknown[] | undefined = requests.slice(i, i + 25);
    for (let round = 0; pending?.length; round++) {
      const res: { UnprocessedItems?: Record<string, unknown[]> } = await db().send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }),
      );
      pending = res.UnprocessedItems?.[tableName()];
      if (pending?.length) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
    }
  }
}
