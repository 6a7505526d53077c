/**
 * The cold-start floor: a Lambda handler that makes a function's DynamoDB calls with the raw
 * SDK client and nothing else. The calls are the ones the function itself made for the same
 * request, captured marshalled in the harness (bench/lib/dynamo.ts) and passed in the event,
 * so floor and function make the same calls by construction, whatever the product code does.
 * The client is configured as the data layer's (functions/data/client.ts) and created on first
 * use, as the data layer's is. Calls run one after another, as the handlers make them.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

const COMMANDS = {
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  DeleteItem: DeleteItemCommand,
  GetItem: GetItemCommand,
  PutItem: PutItemCommand,
  Query: QueryCommand,
  TransactGetItems: TransactGetItemsCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  UpdateItem: UpdateItemCommand,
} as const;

export interface FloorEvent {
  calls: { operation: keyof typeof COMMANDS; input: never }[];
}

let client: DynamoDBClient | undefined;

function raw(): DynamoDBClient {
  if (client) return client;
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
          },
        }
      : {}),
    maxAttempts: 4,
  });
  return client;
}

export const handler = async (event: FloorEvent) => {
  const outputs: unknown[] = [];
  for (const call of event.calls) {
    const Command = COMMANDS[call.operation] as unknown as new (input: unknown) => never;
    try {
      outputs.push(await raw().send(new Command(call.input)));
    } catch (err) {
      // A conditional write the function also saw fail (an idempotent replay): same round trip.
      outputs.push({ error: (err as Error).name });
    }
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(outputs),
  };
};
