import { describe, expect, it } from 'vitest';
import { faultOf } from '../../functions/data/errors.ts';

describe('the fault map of DynamoDB errors', () => {
  it.each([
    [{ name: 'ProvisionedThroughputExceededException' }, 'dynamodb-throttled'],
    [{ name: 'ThrottlingException' }, 'dynamodb-throttled'],
    [{ name: 'RequestLimitExceeded' }, 'dynamodb-throttled'],
    [{ name: 'LimitExceededException' }, 'dynamodb-throttled'],
    [{ name: 'TransactionConflictException' }, 'transaction-conflict'],
    [{ name: 'TransactionInProgressException' }, 'transaction-in-progress'],
    [
      {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
      },
      'dynamodb-throttled',
    ],
    [{ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }, 'dynamodb-server-error'],
    [{ name: 'ResourceNotFoundException' }, 'table-not-found'],
    [{ name: 'Error', code: 'ECONNREFUSED' }, 'connection-refused'],
    [{ name: 'Error', code: 'ECONNRESET', message: 'socket hang up' }, 'connection-reset'],
    [
      { name: 'TimeoutError', code: 'ETIMEDOUT', message: 'exceeded requestTimeout' },
      'request-timeout',
    ],
    [
      { name: 'TimeoutError', message: 'did not establish a connection within 1000 ms' },
      'connection-timeout',
    ],
    [{ name: 'AbortError', message: 'Request aborted' }, 'deadline'],
  ])('names %o a fault (%s)', (err, fault) => {
    expect(faultOf(err)).toBe(fault);
  });

  it.each([
    [{ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } }],
    [
      {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ThrottlingError' }],
      },
    ],
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }],
    [new TypeError("Cannot read properties of undefined (reading 'x')")],
    [undefined],
  ])('leaves %o alone: an answer about the data, or a bug', (err) => {
    expect(faultOf(err)).toBeUndefined();
  });
});
