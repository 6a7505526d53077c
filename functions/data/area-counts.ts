import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { keys } from './keys.ts';

const PREFIX = 'count_';

/**
 * Counts are split over this many items so that concurrent writers (the chunks of one upload
 * run 8 at a time) never update the same item inside their transactions: on DynamoDB two
 * transactions touching one item conflict. Reading sums the shards in the same BatchGetItem.
 */
export const COUNT_SHARDS = 8;

/**
 * Published-question counts per area, a few small items per organisation (`count_<area>`
 * attributes), kept current inside the same transactions that publish or retire questions.
 * Reading them is one BatchGet, whatever the size of the bank.
 */
export async function readAreaCounts(orgs: readonly string[]): Promise<Record<string, number>> {
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: orgs.flatMap((o) =>
            Array.from({ length: COUNT_SHARDS }, (_, n) => keys.areaCounts(o, n)),
          ),
        },
      },
    }),
  );
  const totals: Record<string, number> = {};
  for (const item of out.Responses?.[tableName()] ?? []) {
    for (const [attr, n] of Object.entries(item)) {
      if (!attr.startsWith(PREFIX) || typeof n !== 'number') continue;
      const area = attr.slice(PREFIX.length);
      totals[area] = (totals[area] ?? 0) + n;
    }
  }
  return totals;
}

/** The transaction item that applies per-area deltas to an organisation's counts. */
export function areaCountsUpdate(
  org: string,
  deltas: ReadonlyMap<string, number>,
  shard = Math.floor(Math.random() * COUNT_SHARDS),
) {
  const entries = [...deltas].filter(([, n]) => n !== 0);
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = entries.map(([area, n], i) => {
    names[`#a${i}`] = `${PREFIX}${area}`;
    values[`:n${i}`] = n;
    return `#a${i} :n${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.areaCounts(org, shard % COUNT_SHARDS),
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
