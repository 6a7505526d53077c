import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import type { Key } from './keys.ts';

/** BatchGet with the retry of unprocessed keys that DynamoDB asks for under load. */
export async function batchGet(
  keyList: Key[],
  opts: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keyList.slice(
      i,
      i + 100,
    ) as unknown as Record<string, unknown>[];
    for (let attempt = 0; pending?.length; attempt++) {
      const res = await db().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: { Keys: pending, ...(opts.consistent ? { ConsistentRead: true } : {}) },
          },
        }),
      );
      out.push(...((res.Responses?.[tableName()] ?? []) as Record<string, unknown>[]));
      pending = res.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
      if (pending?.length)
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    }
  }
  return out;
}
