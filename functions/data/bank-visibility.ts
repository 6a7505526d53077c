/**
 * What a reader of an organisation's questions may see while imports are staged: the rule of
 * docs/imports.md ("The visibility rule"). Every item an import writes carries the import's
 * sequence number (`seq`, or `prevOf` on the copy of a head it replaced); the organisation's
 * import registry (`ORG#<org>` / `IMPORTS`) says which numbers have been given out (`seq`) and
 * which imports are still open (`open`). A reader reads the registry once, then keeps exactly
 * the items that snapshot shows.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { keys } from './keys.ts';

/** The registry as one reader saw it. */
export interface BankSnapshot {
  /** The last sequence number given out when the snapshot was read (0: never). */
  seq: number;
  /** Imports not yet committed (staging, or being rolled back). */
  open: ReadonlySet<number>;
}

/** An organisation that never imported: every item is as it was written, none is tagged. */
export const NO_IMPORTS: BankSnapshot = { seq: 0, open: new Set() };

/** The snapshot of a registry item (or of its absence). */
export function snapshotOf(item: Record<string, unknown> | undefined): BankSnapshot {
  if (!item) return NO_IMPORTS;
  const open = (item.open ?? {}) as Record<string, unknown>;
  return {
    seq: typeof item.seq === 'number' ? item.seq : 0,
    open: new Set(Object.keys(open).map(Number)),
  };
}

/**
 * The registry of one organisation. Strong by default: an author who was just told an import
 * succeeded reads it as committed. An eventually consistent read is a consistent snapshot too,
 * only possibly an older one (see docs/imports.md).
 */
export async function readBankSnapshot(
  org: string,
  opts: { consistent?: boolean } = {},
): Promise<BankSnapshot> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.importRegistry(org),
      ProjectionExpression: 'seq, #open',
      ExpressionAttributeNames: { '#open': 'open' },
      ConsistentRead: opts.consistent ?? true,
    }),
  );
  return snapshotOf(res.Item);
}

/** Whether import `seq` had committed in this snapshot: given out, and no longer open. */
export function isCommitted(snap: BankSnapshot, seq: number): boolean {
  return seq <= snap.seq && !snap.open.has(seq);
}

/** The attributes the rule reads: a head's or copy's `seq`, a copy's `prevOf`. */
export interface Tagged {
  seq?: unknown;
  prevOf?: unknown;
}

/**
 * Whether a question head, or a copy of a replaced head, is what this snapshot shows: its
 * content is committed (untagged, or tagged by a committed import), and it has not been
 * replaced by a committed import. Exactly one item of each question passes.
 */
export function isVisible(item: Tagged, snap: BankSnapshot): boolean {
  if (typeof item.seq === 'number' && !isCommitted(snap, item.seq)) return false;
  if (typeof item.prevOf === 'number' && isCommitted(snap, item.prevOf)) return false;
  return true;
}
