/**
 * Changing an assessment after its creation: edit, lock its content at the first start,
 * archive, delete. Every decision that races is one conditional write on the assessment item;
 * see docs/assessment-lifecycle.md.
 *
 * | call | write | condition |
 * |---|---|---|
 * | edit (no content field) | UpdateItem SET/REMOVE the fields | `attribute_exists(PK)` |
 * | edit with content fields | the same + `contentRev + 1` | `contentRev = :rev AND attribute_not_exists(contentLockedAt)` |
 * | lock (before a start) | `SET contentLockedAt = if_not_exists(contentLockedAt, :now)` | `contentRev = :rev` (the content the start drew from) |
 * | archive / unarchive | `SET archivedAt` / `REMOVE archivedAt` | `attribute_exists(PK)` |
 * | delete | DeleteItem | `attribute_exists(contentRev) AND attribute_not_exists(contentLockedAt)` |
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Assessment, forget, remember } from './assessments.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

/** Why a conditional write on an assessment did not apply, read from the item as it stood. */
export type Refusal =
  | { why: 'not-found' }
  /** An attempt has started: the content is frozen. */
  | { why: 'locked'; at: string }
  /** Created before assessments could be edited: nothing proves that no attempt started. */
  | { why: 'legacy' }
  /** The content changed since it was read (another edit). */
  | { why: 'changed'; current: Assessment };

function refusal(err: unknown): Refusal {
  const item = (err as { Item?: Record<string, AttributeValue> }).Item;
  if (!item) return { why: 'not-found' };
  const a = unmarshall(item) as Assessment;
  if (a.contentLockedAt) return { why: 'locked', at: a.contentLockedAt };
  if (a.contentRev === undefined) return { why: 'legacy' };
  return { why: 'changed', current: remember(item) };
}

/** The fields an edit sets; `null` removes an optional one. */
export type AssessmentChanges = Partial<{
  [K in keyof Assessment]: Assessment[K] | null;
}>;

/**
 * Apply an edit in one conditional UpdateItem. With `contentRev` (the revision the edit was
 * built on), the edit touches the content: it applies only while no attempt has started and
 * nobody else changed the content, and moves the revision on.
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
  let condition = 'attribute_exists(PK)';
  if (contentRev !== undefined) {
    sets.push('contentRev = contentRev + :one');
    values[':one'] = 1;
    values[':rev'] = contentRev;
    condition = 'contentRev = :rev AND attribute_not_exists(contentLockedAt)';
  }
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.assessment(org, assessmentId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { ok: true, assessment: remember(res.Attributes ?? {}) };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { ok: false, ...refusal(err) };
  }
}

/**
 * Freeze an assessment's content before an attempt starts from it: from this write on, no edit
 * of its time limit, sections or grace period applies. Conditioned on the content revision the
 * start read, so an edit that landed first makes the start read the assessment again (false).
 * Several starts may lock at once: the first time stays. An assessment already locked costs
 * nothing.
 */
export async function lockAssessmentContent(
  a: Assessment,
  now: Date,
): Promise<Assessment | undefined> {
  // An assessment from before edits has no revision, and no edit can change its content.
  if (a.contentLockedAt || a.contentRev === undefined) return a;
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.assessment(a.org, a.assessmentId),
        UpdateExpression: 'SET contentLockedAt = if_not_exists(contentLockedAt, :now)',
        ConditionExpression: 'contentRev = :rev',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':rev': a.contentRev },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return remember(res.Attributes ?? {});
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return undefined;
  }
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
 * Delete an assessment no attempt ever started from. Its invitations are removed after it by
 * the mail job (from the stream's REMOVE record): their links start nothing meanwhile, because
 * a start must lock the (deleted) assessment first.
 */
export async function deleteAssessment(
  org: string,
  assessmentId: string,
): Promise<{ ok: true } | ({ ok: false } & Refusal)> {
  try {
    await db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.assessment(org, assessmentId),
        ConditionExpression:
          'attribute_exists(contentRev) AND attribute_not_exists(contentLockedAt)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    forget(org, assessmentId);
    return { ok: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { ok: false, ...refusal(err) };
  }
}
