import { createHash } from 'node:crypto';
/**
 * Invitations: one item each, located by the id embedded in the token; the token itself is
 * only ever stored as a SHA-256 hash. See docs/state-machines.md.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { batchWrite } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { listingPage } from './cursor.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';
import type { InvitationMail } from './outbox.ts';

export type InvitationStatus = 'pending' | 'started' | 'completed' | 'revoked';

export interface Candidate {
  name?: string;
  email?: string;
  externalId?: string;
  /** The language of the candidate app's texts (`en` when absent). */
  locale?: string;
}

export interface Invitation extends InvitationMail {
  invitationId: string;
  org: string;
  assessmentId: string;
  tokenHash: string;
  status: InvitationStatus;
  expiresAt: string;
  candidate: Candidate;
  extraTimePercent: number;
  createdAt: string;
  attemptId?: string;
  /** Set when the invitation started its attempt. */
  startedAt?: string;
  /** The attempt's current `due`, once an extension moved it (docs/state-machines.md). */
  dueAt?: string;
  /** When its link was last replaced by a new one (resend): the older tokens no longer match. */
  linkReplacedAt?: string;
  /** The internal invitation of an employer's preview: never listed, no usable token. */
  preview?: boolean;
  /** When its one reminder is due (its entry in the reminder index); see data/outbox.ts. */
  remindAt?: string;
  ttl: number;
}

const strip = ({
  PK: _p,
  SK: _s,
  GSI1PK: _g,
  GSI1SK: _h,
  GSI2PK: _d,
  GSI2SK: _e,
  ...rest
}: Record<string, unknown>) => rest as unknown as Invitation;

const item = (inv: Invitation) => ({
  ...keys.invitation(inv.invitationId),
  ...keys.invitationListing(inv.org, inv.assessmentId, inv.invitationId),
  ...(inv.remindAt ? keys.reminder(new Date(inv.remindAt), inv.invitationId) : {}),
  ...inv,
});

/** Store new invitations: BatchWrite, 25 a call, retrying what DynamoDB leaves unprocessed. */
export async function putInvitations(invitations: readonly Invitation[]): Promise<void> {
  await batchWrite(invitations.map((inv) => ({ PutRequest: { Item: item(inv) } })));
}

/**
 * Store the internal invitation of a preview attempt, already `started`: no listing keys (it is
 * never listed under its assessment), the due-index entry of its attempt (the sweeper finds it
 * as it finds a candidate's), and the hash of a secret nobody holds (no link starts it). Written
 * once: it is new.
 */
export async function putPreviewInvitation(inv: Invitation, dueAt: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.invitation(inv.invitationId),
        ...keys.due(dueAt, inv.attemptId!),
        ...inv,
        preview: true,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/**
 * Store invitations that may already exist (the retry path of an Idempotency-Key): each Put is
 * conditioned on the item being absent, so a late or repeated write never resets an invitation
 * that has since been started, revoked or erased.
 */
export async function putInvitationsIfAbsent(invitations: readonly Invitation[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < invitations.length) {
      const inv = invitations[next++]!;
      try {
        await db().send(
          new PutCommand({
            TableName: tableName(),
            Item: item(inv),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, invitations.length) }, worker));
}

/**
 * An invitation, strongly consistent unless `consistent` is false (the start reads it eventually
 * consistent first: the conditional write that follows re-checks everything it read).
 */
export async function getInvitation(
  invitationId: string,
  consistent = true,
): Promise<Invitation | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.invitation(invitationId),
      ...(consistent ? { ConsistentRead: true } : {}),
    }),
  );
  return res.Item ? strip(res.Item) : undefined;
}

export async function listInvitations(
  org: string,
  assessmentId: string,
  limit: number,
  cursor?: string,
) {
  const page = await listingPage(
    keys.invitationListing(org, assessmentId, '').GSI1PK,
    limit,
    cursor,
  );
  return { items: page.rows.map(strip), nextCursor: page.nextCursor };
}

/** pending -> revoked. A started or finished invitation is not revoked (409); revoking twice is fine. */
export async function revokeInvitation(
  org: string,
  invitationId: string,
  now: Date,
): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :revoked, revokedAt = :now',
        ConditionExpression: 'org = :org AND #s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':revoked': 'revoked',
          ':pending': 'pending',
          ':org': org,
          ':now': now.toISOString(),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = (err as { Item?: Record<string, { S?: string }> }).Item;
    if (!old || old.org?.S !== org) throw new NotFoundError(`Invitation ${invitationId}`);
    if (old.status?.S === 'revoked') return;
    throw new DomainError(
      'conflict',
      `Invitation ${invitationId} is ${old.status?.S}: its attempt has begun and runs to its end. Erase the candidate's data instead if that is what you need.`,
    );
  }
}

/** What every Idempotency-Key record holds, whatever the request it guards. */
export interface ClaimRecord {
  /** SHA-256 of the request (path and body): a key reused with another request is refused. */
  requestHash: string;
  /** This request's own random value: tells its own earlier write from another request's. */
  nonce: string;
  createdAt: string;
}

export interface IdempotencyRecord extends ClaimRecord {
  invitationIds: string[];
  /** 256-bit random, base64url: with the Idempotency-Key it derives the tokens. */
  nonce: string;
}

/**
 * Claim an Idempotency-Key for a request before doing its work. Returns undefined when this
 * request claimed it (also when the SDK's retry of this very Put finds the record its first,
 * timed-out attempt wrote), or the record of the request that did (a retry, or a concurrent
 * twin).
 */
export async function claimIdempotencyKey<R extends ClaimRecord = IdempotencyRecord>(
  org: string,
  scope: string,
  key: string,
  rec: R,
  ttlSeconds: number,
): Promise<R | undefined> {
  // The key derives tokens, so it is stored only as a hash.
  const k = keys.idempotency(
    org,
    `${scope}#${createHash('sha256').update(key).digest('base64url')}`,
  );
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...k, ...rec, ttl: Math.floor(Date.parse(rec.createdAt) / 1000) + ttlSeconds },
        // A record past its TTL is over even if DynamoDB has not deleted it yet.
        ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': Math.floor(Date.parse(rec.createdAt) / 1000) },
      }),
    );
    return undefined;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const res = await db().send(
      new GetCommand({ TableName: tableName(), Key: k, ConsistentRead: true }),
    );
    // Our own claim: the SDK sent the Put again after a first attempt that landed but whose
    // answer was lost (a timeout). The nonce is this request's own random value.
    if (res.Item?.nonce === rec.nonce) return undefined;
    return res.Item as R;
  }
}

/**
 * Remove a candidate's personal data from an invitation (erasure). An invitation that never
 * started an attempt is also revoked in the same write, so its link cannot start one that would
 * collect data again; one that did is erased only if it still points at the attempt already
 * erased. Returns false when the invitation changed in between (a start raced the erasure).
 */
export async function eraseInvitationCandidate(
  org: string,
  inv: Pick<Invitation, 'invitationId' | 'attemptId'>,
  now: Date,
): Promise<boolean> {
  const started = inv.attemptId !== undefined;
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(inv.invitationId),
        UpdateExpression: started
          ? 'SET candidate = :empty, erasedAt = :now'
          : 'SET candidate = :empty, erasedAt = :now, #s = :revoked, revokedAt = if_not_exists(revokedAt, :now)',
        ConditionExpression: started
          ? 'org = :org AND attemptId = :a'
          : 'org = :org AND attribute_not_exists(attemptId)',
        ...(started ? {} : { ExpressionAttributeNames: { '#s': 'status' } }),
        ExpressionAttributeValues: {
          ':empty': {},
          ':org': org,
          ':now': now.toISOString(),
          ...(started ? { ':a': inv.attemptId } : { ':revoked': 'revoked' }),
        },
      }),
    ),
  );
}
