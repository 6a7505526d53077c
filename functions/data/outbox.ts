/**
 * The mail outbox. A message is not an item of its own: it is the state of the invitation it
 * belongs to (`mailSeq`, `mailKind`, `mailState` and friends on the invitation item), so queuing
 * a message is the same write as the change that calls for it (creating the invitation,
 * rotating its link, queuing its reminder) and cannot be lost apart from it. The table's stream
 * carries each `mailState = queued` image to the mail job, which claims, sends and marks it.
 * No token is ever stored, queued or streamed: the job derives the link's secret from the
 * stored nonce (`mailNonce`) with the mail-token key. See docs/mail.md.
 *
 * | call | write | condition |
 * |---|---|---|
 * | claim message n | `mailState = sending`, `mailClaim` | `mailSeq = n AND (mailState = queued OR (sending AND claim older than the lease))` |
 * | mark sent / failed | `mailState = sent / failed` | `mailSeq = n AND mailClaim = :c AND mailState = sending` |
 * | SES news | `mailState = delivered / bounced / complained / failed` | `mailSeq = n AND mailState IN (the states it may follow)` |
 * | queue the reminder | `mailSeq + 1`, `queued`, `remindedAt`, reminder entry removed | `pending AND not reminded AND in that bucket AND invitation mail sent AND not expired` |
 * | new link (resend) | `tokenHash`, `mailNonce`, `mailSeq + 1`, `queued` | `org AND pending AND tokenHash = the one read` |
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { MailKind, MailState } from '../domain/mail.ts';
import type { DeliveryNews } from '../domain/mail-events.ts';
import { batchWrite } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import type { Invitation } from './invitations.ts';
import { keys, reminderBucket } from './keys.ts';

/** The mail attributes of an invitation item. */
export interface InvitationMail {
  /** 256-bit nonce the mailed link's secret derives from (with the mail-token key). */
  mailNonce?: string;
  /** Number of the invitation's latest message: 1 for the invitation email, +1 for each later one. */
  mailSeq?: number;
  mailKind?: MailKind;
  mailState?: MailState;
  /** When the latest message reached its state. */
  mailAt?: string;
  /** The mail service's id of the latest message. */
  mailMessageId?: string;
  /** Why the latest message bounced, was complained about or failed. */
  mailReason?: string;
  /** When the reminder was queued (there is one at most). */
  remindedAt?: string;
}

/**
 * How long a claimed message is left to the job that claimed it. After that a redelivered
 * stream record sends it again: the job that claimed it died between sending and marking, or
 * before sending (at-least-once; see docs/mail.md).
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

const STRIP = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'mailClaim', 'mailClaimedAt'];
const strip = (item: Record<string, unknown>) => {
  const out = { ...item };
  for (const k of STRIP) delete out[k];
  return out as unknown as Invitation;
};

const old = (err: unknown) =>
  (err as { Item?: Record<string, AttributeValue> }).Item as
    | Record<string, AttributeValue>
    | undefined;

export type Claim =
  | { outcome: 'claimed'; invitation: Invitation; claim: string }
  /** Sent already, superseded by a later message, or the invitation is gone: nothing to do. */
  | { outcome: 'done' }
  /** Another delivery of the record holds a fresh claim: try again later. */
  | { outcome: 'busy' };

/** Claim message `seq` of an invitation for sending (the idempotent send marker). */
export async function claimMail(invitationId: string, seq: number, now: Date): Promise<Claim> {
  const claim = randomUUID();
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET mailState = :sending, mailClaim = :c, mailClaimedAt = :now',
        ConditionExpression:
          'mailSeq = :seq AND (mailState = :queued OR (mailState = :sending AND mailClaimedAt < :stale))',
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':c': claim,
          ':now': now.toISOString(),
          ':seq': seq,
          ':stale': new Date(now.getTime() - CLAIM_LEASE_MS).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'claimed', invitation: strip(res.Attributes ?? {}), claim };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const was = old(err);
    const busy = was?.mailSeq?.N === String(seq) && was.mailState?.S === 'sending';
    return busy ? { outcome: 'busy' } : { outcome: 'done' };
  }
}

/**
 * Record the outcome of the send this job claimed. False when the state moved on meanwhile
 * (SES's delivery news can overtake the mark): nothing to do then.
 */
export async function markMail(
  invitationId: string,
  seq: number,
  claim: string,
  outcome: { state: 'sent'; messageId: string } | { state: 'failed'; reason: string },
  now: Date,
): Promise<boolean> {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression:
          outcome.state === 'sent'
            ? 'SET mailState = :state, mailAt = :now, mailMessageId = :detail REMOVE mailClaim, mailClaimedAt'
            : 'SET mailState = :state, mailAt = :now, mailReason = :detail REMOVE mailClaim, mailClaimedAt',
        ConditionExpression: 'mailSeq = :seq AND mailClaim = :c AND mailState = :sending',
        ExpressionAttributeValues: {
          ':state': outcome.state,
          ':now': now.toISOString(),
          ':detail': outcome.state === 'sent' ? outcome.messageId : outcome.reason,
          ':seq': seq,
          ':c': claim,
          ':sending': 'sending',
        },
      }),
    ),
  );
}

/**
 * Give up a claim without sending (the mail service was unreachable): the claim is made stale,
 * so the retried stream record claims it again at once. The state stays `sending`: a write
 * back to `queued` would put a new record on the stream, and a mail service that stays down
 * would loop through the stream.
 */
export async function releaseMail(invitationId: string, seq: number, claim: string) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET mailClaimedAt = :stale',
        ConditionExpression: 'mailSeq = :seq AND mailClaim = :c AND mailState = :sending',
        ExpressionAttributeValues: {
          ':stale': new Date(0).toISOString(),
          ':seq': seq,
          ':c': claim,
          ':sending': 'sending',
        },
      }),
    ),
  );
}

/** The states each piece of SES news may follow (events come out of order, and twice). */
const FOLLOWS: Record<DeliveryNews['state'], MailState[]> = {
  delivered: ['sending', 'sent'],
  bounced: ['sending', 'sent', 'delivered'],
  complained: ['sending', 'sent', 'delivered'],
  failed: ['sending', 'sent'],
};

/**
 * Record what SES reported about message `seq`. False when it changes nothing: a later message
 * replaced it, it was already recorded, or the invitation is gone (erased or deleted).
 */
export async function recordDelivery(news: DeliveryNews): Promise<boolean> {
  const prior = FOLLOWS[news.state];
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(news.invitationId),
        UpdateExpression: `SET mailState = :state, mailAt = :at${news.reason ? ', mailReason = :reason' : ''}`,
        ConditionExpression: `mailSeq = :seq AND mailState IN (${prior.map((_, i) => `:p${i}`).join(', ')})`,
        ExpressionAttributeValues: {
          ':state': news.state,
          ':at': news.at,
          ':seq': news.seq,
          ...(news.reason ? { ':reason': news.reason } : {}),
          ...Object.fromEntries(prior.map((p, i) => [`:p${i}`, p])),
        },
      }),
    ),
  );
}

/** Invitations whose reminder is due, from the hour buckets of the last `lookbackHours`. */
export async function dueReminders(
  now: Date,
  lookbackHours: number,
): Promise<{ invitationId: string; bucket: string }[]> {
  const out: { invitationId: string; bucket: string }[] = [];
  for (let h = lookbackHours; h >= 0; h--) {
    const bucket = reminderBucket(new Date(now.getTime() - h * 3_600_000));
    for await (const items of queryPages({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :b AND GSI2SK <= :now',
      ExpressionAttributeValues: { ':b': bucket, ':now': `${now.toISOString()}#\uffff` },
    })) {
      for (const i of items) {
        const pk = i.PK as string;
        if (pk.startsWith('INV#')) out.push({ invitationId: pk.slice('INV#'.length), bucket });
      }
    }
  }
  return out;
}

/**
 * Queue the invitation's one reminder and take it off the reminder index, in one write. False
 * when it is no longer due from this entry (started, revoked, reminded, moved, mail not sent).
 */
export async function queueReminder(invitationId: string, bucket: string, now: Date) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression:
          'SET mailSeq = mailSeq + :one, mailKind = :kind, mailState = :queued, mailAt = :now, remindedAt = :now REMOVE GSI2PK, GSI2SK, remindAt, mailReason, mailMessageId',
        ConditionExpression:
          '#s = :pending AND attribute_not_exists(remindedAt) AND GSI2PK = :bucket AND mailState IN (:sent, :delivered) AND expiresAt > :now',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':kind': 'reminder',
          ':queued': 'queued',
          ':now': now.toISOString(),
          ':pending': 'pending',
          ':bucket': bucket,
          ':sent': 'sent',
          ':delivered': 'delivered',
        },
      }),
    ),
  );
}

/**
 * Put a pending invitation's reminder entry in the bucket of `at`, or take it off the index
 * (`at` undefined). Only a reminder entry is ever removed: a started invitation's GSI2 entry
 * belongs to its attempt's deadline.
 */
export async function setReminderEntry(invitationId: string, at: Date | undefined) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        ...(at
          ? {
              UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk, remindAt = :at',
              ConditionExpression:
                '#s = :pending AND attribute_not_exists(remindedAt) AND (attribute_not_exists(GSI2PK) OR begins_with(GSI2PK, :prefix))',
              ExpressionAttributeValues: {
                ':pk': keys.reminder(at, invitationId).GSI2PK,
                ':sk': keys.reminder(at, invitationId).GSI2SK,
                ':at': at.toISOString(),
                ':pending': 'pending',
                ':prefix': 'REMIND#',
              },
              ExpressionAttributeNames: { '#s': 'status' },
            }
          : {
              UpdateExpression: 'REMOVE GSI2PK, GSI2SK, remindAt',
              ConditionExpression: 'begins_with(GSI2PK, :prefix)',
              ExpressionAttributeValues: { ':prefix': 'REMIND#' },
            }),
      }),
    ),
  );
}

/** Every invitation of an assessment, page by page (the mail job's follow-ups, not requests). */
export async function* invitationsOf(
  org: string,
  assessmentId: string,
): AsyncGenerator<Invitation[]> {
  for await (const items of queryPages({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.invitationListing(org, assessmentId, '').GSI1PK },
  })) {
    yield items.map(strip);
  }
}

/** Every page of a Query, in order (jobs only: a request never reads unbounded pages). */
async function* queryPages(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        ...input,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield res.Items ?? [];
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}

/** Delete invitations (a deleted assessment's: their links can start nothing any more). */
export async function deleteInvitations(invitationIds: readonly string[]): Promise<void> {
  await batchWrite(
    invitationIds.map((id) => ({ DeleteRequest: { Key: { ...keys.invitation(id) } } })),
  );
}

export interface NewLink {
  tokenHash: string;
  /** Present when the link is mailed. */
  mailNonce?: string;
  /** A new expiry, when the old one passed or is to move. */
  expiresAt?: string;
  /** The reminder entry for the (new) expiry; undefined removes any. */
  remindAt?: Date;
}

/**
 * Replace a pending invitation's link: the old token stops matching at once. Conditioned on the
 * token hash that was read, so two resends racing each other cannot both hand out a live link.
 * Returns the invitation as written, or the invitation as it stood when the condition failed.
 */
export async function replaceLink(
  inv: Invitation,
  link: NewLink,
  now: Date,
): Promise<{ replaced: true; invitation: Invitation } | { replaced: false; current?: Invitation }> {
  const mailed = link.mailNonce !== undefined;
  const sets = ['tokenHash = :h', 'linkReplacedAt = :now'];
  const removes = ['mailClaim', 'mailClaimedAt'];
  const values: Record<string, unknown> = {
    ':h': link.tokenHash,
    ':now': now.toISOString(),
    ':org': inv.org,
    ':pending': 'pending',
    ':old': inv.tokenHash,
  };
  if (mailed) {
    sets.push(
      'mailNonce = :nonce',
      'mailSeq = if_not_exists(mailSeq, :zero) + :one',
      'mailKind = :kind',
      'mailState = :queued',
      'mailAt = :now',
    );
    removes.push('mailReason', 'mailMessageId');
    Object.assign(values, {
      ':nonce': link.mailNonce,
      ':zero': 0,
      ':one': 1,
      ':kind': 'resend',
      ':queued': 'queued',
    });
  } else {
    removes.push('mailNonce');
  }
  if (link.expiresAt) {
    sets.push('expiresAt = :exp');
    values[':exp'] = link.expiresAt;
    // A renewed link is a new chance: it may be reminded again.
    removes.push('remindedAt');
  }
  if (link.remindAt) {
    const r = keys.reminder(link.remindAt, inv.invitationId);
    sets.push('GSI2PK = :rpk', 'GSI2SK = :rsk', 'remindAt = :rat');
    Object.assign(values, {
      ':rpk': r.GSI2PK,
      ':rsk': r.GSI2SK,
      ':rat': link.remindAt.toISOString(),
    });
  } else if (link.expiresAt) {
    removes.push('GSI2PK', 'GSI2SK', 'remindAt');
  }
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(inv.invitationId),
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
        ConditionExpression: 'org = :org AND #s = :pending AND tokenHash = :old',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { replaced: true, invitation: strip(res.Attributes ?? {}) };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const was = old(err);
    return { replaced: false, ...(was ? { current: strip(unmarshall(was)) } : {}) };
  }
}

/** The message a stream record queues: an invitation image whose `mailState` is `queued`. */
export function queuedMailOf(
  record: DynamoDBRecord,
): { invitationId: string; seq: number } | undefined {
  const img = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!img || record.eventName === 'REMOVE') return undefined;
  const pk = img.PK?.S;
  if (!pk?.startsWith('INV#') || img.mailState?.S !== 'queued') return undefined;
  const seq = Number(img.mailSeq?.N);
  return Number.isInteger(seq) ? { invitationId: pk.slice('INV#'.length), seq } : undefined;
}

export type AssessmentChange =
  | { kind: 'reminder-setting'; org: string; assessmentId: string }
  | { kind: 'removed'; org: string; assessmentId: string };

/** An assessment's change the mail job follows up: its reminder setting, or its deletion. */
export function assessmentChangeOf(record: DynamoDBRecord): AssessmentChange | undefined {
  const d = record.dynamodb;
  const before = d?.OldImage as Record<string, AttributeValue> | undefined;
  const after = d?.NewImage as Record<string, AttributeValue> | undefined;
  const item = after ?? before;
  if (item?.SK?.S !== 'ASSESSMENT') return undefined;
  const org = item.org?.S;
  const assessmentId = item.assessmentId?.S;
  if (!org || !assessmentId) return undefined;
  if (record.eventName === 'REMOVE') return { kind: 'removed', org, assessmentId };
  const hours = (i?: Record<string, AttributeValue>) => i?.remindBeforeExpiryHours?.N;
  const archived = (i?: Record<string, AttributeValue>) => i?.archivedAt?.S;
  if (
    record.eventName === 'MODIFY' &&
    (hours(before) !== hours(after) || archived(before) !== archived(after))
  ) {
    return { kind: 'reminder-setting', org, assessmentId };
  }
  return undefined;
}
