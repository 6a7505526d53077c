import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.ts';
import { db, tableName } from './client.ts';

/** The attributes of a LastEvaluatedKey on GSI1: the table key and the index key. */
const LISTING_KEY_ATTRIBUTES = ['GSI1PK', 'GSI1SK', 'PK', 'SK'];

/** Opaque pagination cursor: the LastEvaluatedKey, base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * The ExclusiveStartKey of a cursor. A cursor is only valid for the listing it came from:
 * `expect` names attributes that must hold these values (e.g. the index partition).
 */
export function decodeCursor(
  cursor: string | undefined,
  expect: Record<string, string>,
): Record<string, string> | undefined {
  if (!cursor) return undefined;
  const bad = () =>
    new ValidationError([
      {
        path: 'query.cursor',
        message: 'Invalid cursor: pass back the nextCursor of the previous page unchanged.',
      },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw bad();
  // Exactly the key attributes of a GSI1 item, as strings: anything else is not a position
  // in this listing (and DynamoDB would refuse it with a 500-worthy error).
  const entries = Object.entries(key as Record<string, unknown>);
  const names = entries.map(([k]) => k).sort();
  if (names.join() !== LISTING_KEY_ATTRIBUTES.join()) throw bad();
  if (entries.some(([, v]) => typeof v !== 'string' || v.length === 0 || v.length > 1024))
    throw bad();
  for (const [k, v] of Object.entries(expect))
    if ((key as Record<string, unknown>)[k] !== v) throw bad();
  return key as Record<string, string>;
}

/**
 * One page of a GSI1 listing partition (assessments, invitations, ranked results): one Query,
 * resumed from a cursor that must belong to the same partition.
 */
export async function listingPage(
  partition: string,
  limit: number,
  cursor: string | undefined,
  opts: { newestFirst?: boolean; extra?: number } = {},
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null; first: boolean }> {
  const start = decodeCursor(cursor, { GSI1PK: partition });
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ...(opts.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: limit + (start ? 0 : (opts.extra ?? 0)),
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  return { rows: res.Items ?? [], nextCursor: encodeCursor(res.LastEvaluatedKey), first: !start };
}
