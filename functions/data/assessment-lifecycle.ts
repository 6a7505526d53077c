/**
 * Changing an assessment after its creation: edit, lock its content at the first start,
 * archive, delete. The content's revision and lock live on a small item beside the assessment
 * (`CONTENT`, no index keys), so that the lock every new assessment's first start takes costs
 * 1 WCU instead of rewriting the ~5 KB assessment item and its listing copy (12 WCU). Edits of
 * the content and deletes, which must see the lock, are transactions over both items; they are
 * rare. See docs/assessment-lifecycle.md.
 *
 * | call | write | condition |
 * |---|---|---|
 * | edit (no content field) | UpdateItem assessment: SET/REMOVE the fields | `attribute_exists(PK)` |
 * | edit with content fields | Transact: content `SET rev = :r + 1`; assessment: the fields + `contentRev = :r + 1` | content `(attribute_not_exists(PK) OR rev = :r) AND attribute_not_exists(lockedAt)`; assessment `contentRev = :r AND attribute_not_exists(contentLockedAt)` |
 * | lock (before a start) | UpdateItem content: `SET lockedAt = if_not_exists(lockedAt, :now), rev = if_not_exists(rev, :r)` | `rev = :r OR attribute_not_exists(PK)` (`:r`: the assessment item's `contentRev`) |
 * | archive / unarchive | `SET archivedAt` / `REMOVE archivedAt` | `attribute_exists(PK)` |
 * | delete | Transact: Put content tombstone; Delete assessment | content `attribute_not_exists(lockedAt)`; assessment `attribute_exists(contentRev) AND attribute_not_exists(contentLockedAt)` |
 *
 * An absent content item means no edit, lock or delete ever wrote it: the revision is the
 * assessment item's `contentRev` and nothing is locked (or, on an assessment locked before the
 * content item existed, the assessment item's own `contentLockedAt` says so).
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Assessment,
  type ContentState,
  forget,
  readAssessment,
  remember,
} from './assessments.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

/** Why a conditional write on an assessment did not apply, read from the items as they stand. */
export type Refusal =
  | { why: 'not-found' }
  /** An attempt has started: the content is frozen. */
  | { why: 'locked'; at: string }
  /** Created before assessments could be edited: nothing proves that no attempt started. */
  | { why: 'legacy' }
  /** The content changed since it was read (another edit). */
  | { why: 'changed'; current: Assessment };

/** How long a deleted assessment's tombstone outlives it: far beyond any cached copy (1 minute). */
const TOMBSTONE_DAYS = 7;

/** Read both items again, strongly consistent, and say why a write was refused. */
async function refusal(org: string, assessmentId: string): Promise<Refusal> {
  const { item, content } = await readAssessment(org, assessmentId, true);
  if (!item) return { why: 'not-found' };
  const a = remember(item, content);
  if (a.contentLockedAt) return { why: 'locked', at: a.contentLockedAt };
  if (a.contentRev === undefined) return { why: 'legacy' };
  return { why: 'changed', current: a };
}

/** The content item's lock, read strongly consistent (after a write that did not return it). */
async function contentOf(org: string, assessmentId: string): Promise<ContentState | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.assessmentContent(org, assessmentId),
      ConsistentRead: true,
    }),
  );
  return res.Item as ContentState | undefined;
}

/** The fields an edit sets; `null` removes an optional one. */
export type AssessmentChanges = Partial<{
  [K in keyof Assessment]: Assessment[K] | null;
}>;

/**
 * Apply an edit. Without `contentRev`, one conditional UpdateItem of the assessment item. With
 * `contentRev` (the revision the edit was built on), the edit touches the content: one
 * transaction that applies only while no attempt has started and nobody else changed the
 * content, and moves the revision on (on both items).
 */
export async function updateAssessment(
  org: string,
  assessmentId: string,
  changes: AssessmentChanges,
  now: Date,
  contentRev?: number,
): Promise<{ ok: true; assessment: Assessment } | ({ ok: false } & Refusal)> {
  const sets: string[] = ['updatedAt = :now'];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': now.toISOString() };
  Object.entries(changes).forEach(([field, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = field;
    if (value === null) removes.push(`#f${i}`);
    else {
      sets.push(`#f${i} = :v${i}`);
      values[`:v${i}`] = value;
    }
  });
  const update = (extra: string[]) =>
    `SET ${[...sets, ...extra].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`;
  const attributeNames = Object.keys(names).length ? { ExpressionAttributeNames: names } : {};
  try {
    if (contentRev === undefined) {
      const res = await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.assessment(org, assessmentId),
          UpdateExpression: update([]),
          ConditionExpression: 'attribute_exists(PK)',
          ...attributeNames,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = res.Attributes ?? {};
      // The lock is on the content item: read it after the write (a lock never goes away, so
      // what this read sees is at least as recent as the edit).
      const open = item.contentRev !== undefined && !item.contentLockedAt;
      const content = open ? await contentOf(org, assessmentId) : undefined;
      return { ok: true, assessment: remember(item, content) };
    }
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.assessmentContent(org, assessmentId),
              UpdateExpression: 'SET rev = :next',
              ConditionExpression:
                '(attribute_not_exists(PK) OR rev = :rev) AND attribute_not_exists(lockedAt)',
              ExpressionAttributeValues: { ':rev': contentRev, ':next': contentRev + 1 },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.assessment(org, assessmentId),
              UpdateExpression: update(['contentRev = :next']),
              // Also refuses a lock taken on the assessment item before the content item existed.
              ConditionExpression: 'contentRev = :rev AND attribute_not_exists(contentLockedAt)',
              ...attributeNames,
              ExpressionAttributeValues: { ...values, ':rev': contentRev, ':next': contentRev + 1 },
            },
          },
        ],
      }),
    );
    // A transaction returns nothing: read what it wrote (an edit is rare, 2 RCU).
    const { item, content } = await readAssessment(org, assessmentId, true);
    if (!item) return { ok: false, why: 'not-found' };
    return { ok: true, assessment: remember(item, content) };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { ok: false, ...(await refusal(org, assessmentId)) };
  }
}

/**
 * Freeze an assessment's content before an attempt starts from it: from this write on, no edit
 * of its time limit, sections or grace period applies. One UpdateItem of the small content
 * item (1 WCU), conditioned on the content revision of the assessment item the start draws
 * from, so an edit that landed first makes the start read the assessment again (undefined), and
 * so does a delete (its tombstone has no revision). Several starts may lock at once: the first
 * time stays. An assessment already locked costs nothing.
 */
export async function lockAssessmentContent(
  a: Assessment,
  now: Date,
): Promise<Assessment | undefined> {
  // An assessment from before edits has no revision, and no edit can change its content.
  if (a.contentLockedAt || a.contentRev === undefined) return a;
  try {
    const res = await db().send(
      new UpdateCommand({ ...contentLockUpdate(a, now), ReturnValues: 'ALL_NEW' }),
    );
    return remember({ ...a }, res.Attributes as ContentState);
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return undefined;
  }
}

/**
 * The lock's write on the content item, alone (`lockAssessmentContent`) or inside the start's
 * transaction with its claim of the invitation (`claimInvitationAndLock` in `attempts.ts`).
 */
export function contentLockUpdate(
  a: Pick<Assessment, 'org' | 'assessmentId' | 'contentRev'>,
  now: Date,
) {
  return {
    TableName: tableName(),
    Key: keys.assessmentContent(a.org, a.assessmentId),
    UpdateExpression:
      'SET lockedAt = if_not_exists(lockedAt, :now), rev = if_not_exists(rev, :rev)',
    // Absent: no edit, lock or delete ever wrote it, so the assessment item's revision is the
    // current one.
    ConditionExpression: 'rev = :rev OR attribute_not_exists(PK)',
    ExpressionAttributeValues: { ':now': now.toISOString(), ':rev': a.contentRev },
  };
}

/** Archive (`at`) or unarchive (undefined) an assessment; undefined when it does not exist. */
export async function setArchived(
  org: string,
  assessmentId: string,
  at: Date | undefined,
  now: Date,
): Promise<Assessment | undefined> {
  const result = await updateAssessment(
    org,
    assessmentId,
    { archivedAt: at ? at.toISOString() : null },
    now,
  );
  return result.ok ? result.assessment : undefined;
}

/**
 * Delete an assessment no attempt ever started from: one transaction that leaves its content
 * item as a tombstone (so a start that read the assessment just before cannot lock it
 * afterwards) and deletes the assessment item. Its invitations are removed after it by the mail
 * job (from the stream's REMOVE record): their links start nothing meanwhile, because a start
 * must lock the (deleted) assessment first.
 */
export async function deleteAssessment(
  org: string,
  assessmentId: string,
  now: Date,
): Promise<{ ok: true } | ({ ok: false } & Refusal)> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.assessmentContent(org, assessmentId),
                deletedAt: now.toISOString(),
                ttl: Math.floor(now.getTime() / 1000) + TOMBSTONE_DAYS * 86_400,
              },
              ConditionExpression: 'attribute_not_exists(lockedAt)',
            },
          },
          {
            Delete: {
              TableName: tableName(),
              Key: keys.assessment(org, assessmentId),
              ConditionExpression:
                'attribute_exists(contentRev) AND attribute_not_exists(contentLockedAt)',
            },
          },
        ],
      }),
    );
    forget(org, assessmentId);
    return { ok: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { ok: false, ...(await refusal(org, assessmentId)) };
  }
}
