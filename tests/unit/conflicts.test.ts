import { describe, expect, it } from 'vitest';
import { isTransactionConflict } from '../../functions/data/errors.ts';

describe('transaction conflicts', () => {
  it('are recognised when a transaction was cancelled only by contention', () => {
    expect(isTransactionConflict({ name: 'TransactionConflictException' })).toBe(true);
    expect(
      isTransactionConflict({
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      }),
    ).toBe(true);
  });

  it('are not confused with a failed condition, which must not be retried blindly', () => {
    expect(
      isTransactionConflict({
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
      }),
    ).toBe(false);
    expect(isTransactionConflict({ name: 'ConditionalCheckFailedException' })).toBe(false);
    expect(isTransactionConflict(new Error('boom'))).toBe(false);
  });
});
