/**
 * More time for a running attempt: one transaction moves every copy of its deadline (the head
 * and each further answer page, where saves check it; the due-index entry the sweeper queries)
 * and writes the audit item. Pattern 26 of docs/access-patterns.md; the transition and its
 * races are docs/state-machines.md#more-time-extending-a-running-attempt.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AttemptDraw, type AttemptState, type Extension, pageCount } from './attempts.ts';
import { applied, db, tableName } from './client.ts';
import { keys } from './keys.ts';

/** Extensions one attempt may be granted: keeps its partition and completion Query bounded. */
export const MAX_EXTENSIONS = 20;

export interface ExtensionWrite {
  /** The head's `due` as read: the transaction applies only while it is still this one. */
  fromDue: string;
  toDue: string;
  now: Date;
  /**
   * The audit item's sort-key id: a ULID of `now`, or derived from the request's
   * Idempotency-Key (a retry then finds its own item instead of extending twice).
   */
  id: string;
  audit: Extension;
  /** Retention of the audit item, like the attempt's other items. */
  ttl: number;
}

/**
 * Move the attempt's `due` from `fromDue` to `toDue` on the head, on every further page and in
 * the due index (the invitation's entry, or the head's own for a converted old-layout attempt),
 * and put the audit item: all or nothing. False when a condition failed: the attempt is no
 * longer active, its `due` changed (another extension, or it is due), it has its
 * MAX_EXTENSIONS, or its invitation is not the started one of this attempt. The caller reads
 * the head again to say which.
 */
export async function extendDeadline(
  draw: Pick<AttemptDraw, 'attemptId' | 'invitationId' | 'pages'>,
  state: Pick<AttemptState, 'dueIndexOnHead'>,
  w: ExtensionWrite,
): Promise<boolean> {
  const id = draw.attemptId;
  const due = keys.due(new Date(w.toDue), id);
  const table = tableName();
  const moveIndex = state.dueIndexOnHead ? ', GSI2PK = :dpk, GSI2SK = :dsk' : '';
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> =
    [
      {
        Update: {
          TableName: table,
          Key: keys.attempt(id),
          UpdateExpression: `SET #due = :to${moveIndex} ADD xn :one`,
          ConditionExpression:
            'st = :active AND #due = :from AND #due >= :now AND attribute_exists(ly) AND (attribute_not_exists(xn) OR xn < :max)',
          ExpressionAttributeNames: { '#due': 'due' },
          ExpressionAttributeValues: {
            ':to': w.toDue,
            ':from': w.fromDue,
            ':now': w.now.toISOString(),
            ':active': 'active',
            ':one': 1,
            ':max': MAX_EXTENSIONS,
            ...(state.dueIndexOnHead ? { ':dpk': due.GSI2PK, ':dsk': due.GSI2SK } : {}),
          },
        },
      },
    ];
  for (let p = 1; p < pageCount(draw); p++) {
    items.push({
      Update: {
        TableName: table,
        Key: keys.attemptPage(id, p),
        UpdateExpression: 'SET #due = :to',
        ConditionExpression: 'st = :active AND #due = :from',
        ExpressionAttributeNames: { '#due': 'due' },
        ExpressionAttributeValues: { ':to': w.toDue, ':from': w.fromDue, ':active': 'active' },
      },
    });
  }
  if (!state.dueIndexOnHead) {
    items.push({
      Update: {
        TableName: table,
        Key: keys.invitation(draw.invitationId),
        UpdateExpression: 'SET GSI2PK = :dpk, GSI2SK = :dsk, dueAt = :to',
        ConditionExpression: '#s = :started AND attemptId = :a',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':dpk': due.GSI2PK,
          ':dsk': due.GSI2SK,
          ':to': w.toDue,
          ':started': 'started',
          ':a': id,
        },
      },
    });
  }
  items.push({
    Put: {
      TableName: table,
      Item: { ...keys.attemptExtension(id, w.id), ...w.audit, ttl: w.ttl },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  // A transaction takes at most 100 items; an attempt's pages are planned far below that.
  if (items.length > 100) throw new Error(`Attempt ${id} has too many pages to extend`);
  return applied(() => db().send(new TransactWriteCommand({ TransactItems: items })));
}

/** One extension's audit item by its id (a retry with an Idempotency-Key reads its own). */
export async function getExtension(attemptId: string, id: string): Promise<Extension | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.attemptExtension(attemptId, id),
      ConsistentRead: true,
    }),
  );
  if (!res.Item) return undefined;
  const { PK: _p, SK: _s, ttl: _t, ...rest } = res.Item;
  return rest as Extension;
}

/** Extensions in the order they were granted (ids derived from keys do not sort by time). */
export const byGrantTime = (xs: Extension[]) => xs.sort((x, y) => x.at.localeCompare(y.at));

/** The extensions of an attempt, oldest first: one Query of its `EXT#` items (a running attempt's report). */
export async function listExtensions(attemptId: string): Promise<Extension[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ext)',
      ExpressionAttributeValues: {
        ':pk': keys.attempt(attemptId).PK,
        ':ext': keys.attemptExtension(attemptId, '').SK,
      },
      ConsistentRead: true,
    }),
  );
  return byGrantTime(
    (res.Items ?? []).map(({ PK: _p, SK: _s, ttl: _t, ...rest }) => rest as Extension),
  );
}
