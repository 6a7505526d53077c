/**
 * DynamoDB Streams read by polling, for running the stream consumer against DynamoDB Local
 * (in AWS, Lambda's event source mapping does this). Follows every shard from the oldest record
 * and picks up new shards as DynamoDB opens them.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { db, endpointConfig, tableName } from './client.ts';

export interface StreamPoller {
  /** Read everything available now and hand it to the consumer; returns the records seen. */
  drain(): Promise<number>;
}

export function createStreamPoller(
  consume: (event: DynamoDBStreamEvent) => Promise<unknown>,
): StreamPoller {
  const streams = new DynamoDBStreamsClient(endpointConfig());
  let streamArn: string | undefined;
  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();

  async function refreshShards() {
    streamArn ??= (await db().send(new DescribeTableCommand({ TableName: tableName() }))).Table
      ?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${tableName()} has no stream`);
    const d = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of d.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (iterators.has(id) || finished.has(id)) continue;
      const it = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: id,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.set(id, it.ShardIterator);
    }
  }

  return {
    async drain() {
      await refreshShards();
      let seen = 0;
      for (const [id, iterator] of iterators) {
        let next = iterator;
        let retry: string | undefined;
        while (next && !retry) {
          const out = await streams.send(
            new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }),
          );
          const records = (out.Records ?? []) as unknown as DynamoDBRecord[];
          if (records.length) {
            const outcome = (await consume({ Records: records })) as
              | DynamoDBBatchResponse
              | undefined;
            const failed = outcome?.batchItemFailures?.[0]?.itemIdentifier;
            if (failed) {
              // As Lambda does with partial batch failures: the next drain resumes at the first
              // failed record.
              const it = await streams.send(
                new GetShardIteratorCommand({
                  StreamArn: streamArn,
                  ShardId: id,
                  ShardIteratorType: 'AT_SEQUENCE_NUMBER',
                  SequenceNumber: failed,
                }),
              );
              retry = it.ShardIterator;
              seen += Math.max(
                0,
                records.findIndex((r) => r.dynamodb?.SequenceNumber === failed),
              );
              break;
            }
            seen += records.length;
          }
          next = out.NextShardIterator;
          if (!records.length) break;
        }
        if (retry) iterators.set(id, retry);
        else if (next) iterators.set(id, next);
        else {
          iterators.delete(id);
          finished.add(id);
        }
      }
      return seen;
    },
  };
}
