/**
 * Request inputs that several staff functions read the same way (the employer and
 * employer-attempts functions): a page's size and the Idempotency-Key header.
 */
import { ValidationError } from '../domain/errors.ts';
import { isReservedName } from '../domain/reserved.ts';

/** A listing's page size: the query's `limit` (checked by `PageQuery`), 50 by default. */
export const limitOf = (q: { limit?: string }) => (q.limit ? Number(q.limit) : 50);

/**
 * The request's Idempotency-Key, if any: 16-128 characters (400 naming the header otherwise), one
 * rule for every route that takes it; `advice` says what a good key is for this route.
 */
export function idempotencyKey(headers: Record<string, string | undefined>, advice: string) {
  const key = headers['idempotency-key'];
  if (key !== undefined && (key.length < 16 || key.length > 128 || isReservedName(key))) {
    throw new ValidationError([
      {
        path: 'header.idempotency-key',
        message: `Idempotency-Key is 16-128 characters: ${advice}.`,
      },
    ]);
  }
  return key;
}
