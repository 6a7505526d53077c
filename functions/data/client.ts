import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { isConditionFailure, isTransactionConflict } from './errors.ts';
import { DEFAULT_TABLE_NAME } from './table.ts';

const CONFLICT_RETRIES = 4;

/** What the SDK middleware observes per DynamoDB call (tests and the bench read it). */
export interface CallRecord {
  operation: string;
  ms: number;
  consumedCapacity?: unknown;
}

type CallListener = (call: CallRecord) => void;
const listeners = new Set<CallListener>();

/** Observe every DynamoDB call made through this module's client; returns the unsubscribe. */
export function onDynamoCall(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let doc: DynamoDBDocumentClient | undefined;

/**
 * Client settings for `DYNAMODB_ENDPOINT` (DynamoDB Local, whose credentials are dummies), or
 * none for AWS, where the region and credentials come from the environment.
 */
export function endpointConfig() {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) return {};
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
}

/**
 * The shared document client, created on first use so that tests and the local runner can
 * set `DYNAMODB_ENDPOINT` first. Credentials for DynamoDB Local are dummies.
 */
export function db(): DynamoDBDocumentClient {
  if (doc) return doc;
  const client = new DynamoDBClient({ ...endpointConfig(), maxAttempts: 4 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (listeners.size === 0) return next(args);
      const started = performance.now();
      const out = await next(args);
      const output = out.output as { ConsumedCapacity?: unknown };
      const call: CallRecord = {
        operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
        ms: performance.now() - started,
        consumedCapacity: output?.ConsumedCapacity,
      };
      for (const l of listeners) l(call);
      return out;
    },
    { step: 'initialize', name: 'assayCallObserver' },
  );
  // Writes refused only because another transaction held the item wrote nothing: send them
  // again after a short, jittered pause, for every caller alike.
  client.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await next(args);
        } catch (err) {
          if (!isTransactionConflict(err)) throw err;
          if (attempt >= CONFLICT_RETRIES) {
            throw new DomainError(
              'conflict',
              'Someone else was changing the same data at the same moment; please retry.',
            );
          }
          await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 20));
        }
      }
    },
    { step: 'initialize', name: 'assayConflictRetry', priority: 'low' },
  );
  doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return doc;
}

/** The table name: `TABLE_NAME` (set by CDK and the local runner), read per call for tests. */
export function tableName(): string {
  return process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
}

/**
 * Send a conditional write: true when it was applied, false when its condition did not hold
 * (the caller reads what won). Any other failure is thrown.
 */
export async function applied(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
