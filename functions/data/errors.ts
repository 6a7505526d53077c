import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** True when a conditional write (or any condition inside a transaction) did not hold. */
export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
}

/**
 * The item as it was stored when a conditional write failed, if the write asked for it
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`) and the item existed; undefined otherwise.
 */
export function storedItemOf(err: unknown): ReturnType<typeof unmarshall> | undefined {
  const raw = (err as { Item?: Record<string, never> }).Item;
  return raw ? unmarshall(raw) : undefined;
}

/**
 * True when DynamoDB refused a write only because another transaction held the item: nothing
 * was written, so the same request may simply be sent again. Real DynamoDB does this under
 * contention (DynamoDB Local serialises instead and never does).
 */
export function isTransactionConflict(err: unknown): boolean {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name === 'TransactionConflictException') return true;
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return (
    codes.includes('TransactionConflict') &&
    codes.every((c) => c === 'TransactionConflict' || c === 'None')
  );
}

/** DynamoDB errors that mean "too much, too fast": nothing was written, a later retry works. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** Transaction cancellation reasons that are a fault rather than an answer about the data. */
const TRANSIENT_REASONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'TransactionConflict',
]);

/** Socket-level failures, by Node's error code. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ETIMEDOUT: 'request-timeout',
  EHOSTUNREACH: 'network-unreachable',
  ENETUNREACH: 'network-unreachable',
  ENETDOWN: 'network-unreachable',
  EAI_AGAIN: 'dns-failure',
  ENOTFOUND: 'dns-failure',
};

interface SdkishError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
}

/**
 * The fault behind a failed DynamoDB call, if it is one: throttling and limit errors, DynamoDB's
 * own 5xx, connection refused or reset, connection and request timeouts, and the request's
 * deadline aborting the call. Undefined for everything else, which is either an answer about
 * the data (a failed condition, a missing table) or a bug; those are never retried blindly.
 */
export function faultOf(err: unknown): string | undefined {
  const e = err as SdkishError | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (e.name === 'AbortError') return 'deadline';
  if (e.name && THROTTLING.has(e.name)) return 'dynamodb-throttled';
  if (e.name === 'TransactionInProgressException') return 'transaction-in-progress';
  if (e.name === 'TransactionConflictException') return 'transaction-conflict';
  // The table or an index is missing: being created or restored (a local DynamoDB restarting
  // in memory), or misdeployed. Either way not ready, and nothing the client can fix.
  if (e.name === 'ResourceNotFoundException') return 'table-not-found';
  if (e.name === 'TransactionCanceledException') {
    const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (codes.includes('ConditionalCheckFailed')) return undefined;
    const transient = codes.find((c) => TRANSIENT_REASONS.has(c));
    if (!transient) return undefined;
    return transient === 'TransactionConflict' ? 'transaction-conflict' : 'dynamodb-throttled';
  }
  if (e.code && NETWORK[e.code]) return NETWORK[e.code];
  // The SDK's connection and request timeouts (`@smithy/node-http-handler`).
  if (e.name === 'TimeoutError')
    return /connection/i.test(e.message ?? '') ? 'connection-timeout' : 'request-timeout';
  if (e.name === 'RequestTimeout' || e.name === 'RequestTimeoutException') return 'request-timeout';
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return 'dynamodb-server-error';
  if (e.cause && e.cause !== err) return faultOf(e.cause);
  return undefined;
}
