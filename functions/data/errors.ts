import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

/** True when a conditional write (or any condition inside a transaction) did not hold. */
export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
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
