/**
 * Assessments: their question pools are frozen at creation, and their content (time limit,
 * sections, grace period) is frozen for good by the first attempt's start (`contentLockedAt`);
 * the rest (title, instructions, pass mark, visibility, reminders, archive) may change, so a
 * Lambda caches them for a minute. See docs/access-patterns.md (patterns 7-9) and
 * docs/assessment-lifecycle.md.
 */
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QuestionRef, Section, SectionDifficulty } from '../domain/assessment.ts';
import type { ItemCalibration } from '../domain/psychometrics.ts';
import type { QuestionTypeId } from '../domain/question-types/type.ts';
import { type BankSnapshot, isVisible } from './bank-visibility.ts';
import { db, tableName } from './client.ts';
import { listingPage } from './cursor.ts';
import { keys } from './keys.ts';

export interface Assessment {
  assessmentId: string;
  org: string;
  title: string;
  timeLimitMinutes: number;
  gracePeriodSeconds: number;
  passingScore?: number;
  showResultToCandidate: boolean;
  sections: Section[];
  questionCount: number;
  createdAt: string;
  createdBy: string;
  /** What the candidate should prepare (shown in the invitation email). */
  instructions?: string;
  /** Hours before expiry that unstarted candidates are reminded (absent: the default, 24). */
  remindBeforeExpiryHours?: number;
  /** Revision of the content; +1 per edit of it. Absent on assessments from before edits. */
  contentRev?: number;
  /**
   * When the first attempt started: from then on the content never changes. Read from the
   * content item's `lockedAt` (or, locked before that item existed, the assessment item's own).
   */
  contentLockedAt?: string;
  /** Archived: no new invitations, no reminders. */
  archivedAt?: string;
  updatedAt?: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A sampled question with what its uncalibrated model reads (difficulty label, authored
 * parameters): an adaptive section's reach is worked out from it (`bestStandardError`); the
 * pool stores the reference only.
 */
export type SampledRef = QuestionRef & { calibration: ItemCalibration };

/**
 * Up to `cap` published questions of one area (and difficulty) from one organisation, read
 * from a random point of the listing index and wrapping around once: a bounded, unbiased-
 * enough sample whatever the size of the bank, and never a Scan. `snap` is the organisation's
 * bank snapshot, which the caller reads once for all the sections of an assessment.
 */
export async function samplePool(
  org: string,
  area: string,
  difficulty: SectionDifficulty,
  cap: number,
  random: () => number,
  snap: BankSnapshot,
): Promise<SampledRef[]> {
  const partition = keys.questionListingPartition(org, 'published');
  const prefix = difficulty === 'mixed' ? `${area}#` : `${area}#${difficulty}#`;
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  const start = `${prefix}${difficulty === 'mixed' ? `${pick('123')}#` : ''}${pick(ALPHABET)}${pick(ALPHABET)}`;
  const refs: SampledRef[] = [];
  // Questions an open import staged, and heads a committed one replaced, are not in the pool
  // (docs/imports.md, "The visibility rule").
  const query = async (from: string, to: string) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
          // The index projects every attribute: the model's parameters cost no more read units.
          ProjectionExpression:
            'id, version, #t, GSI1SK, seq, prevOf, difficulty, discrimination, difficultyParam',
          ExpressionAttributeNames: { '#t': 'type' },
          Limit: cap - refs.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const i of res.Items ?? []) {
        if (!isVisible(i, snap)) continue;
        refs.push({
          o: org,
          q: i.id as string,
          v: i.version as number,
          t: i.type as QuestionTypeId,
          calibration: {
            difficulty: i.difficulty as ItemCalibration['difficulty'],
            ...(typeof i.discrimination === 'number' ? { discrimination: i.discrimination } : {}),
            ...(typeof i.difficultyParam === 'number'
              ? { difficultyParam: i.difficultyParam }
              : {}),
          },
        });
      }
      startKey = res.LastEvaluatedKey;
    } while (startKey && refs.length < cap);
  };
  await query(start, `${prefix}\uffff`);
  if (refs.length < cap) await query(prefix, start);
  return refs;
}

export async function putAssessment(a: Assessment): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.assessment(a.org, a.assessmentId),
        ...keys.assessmentListing(a.org, a.assessmentId),
        ...a,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

const cache = new Map<string, { a: Assessment; at: number }>();

/**
 * How long a warm function trusts its copy. The content a start relies on is checked by a
 * conditional write (`lockAssessmentContent`); the editable fields may lag this long.
 */
export const ASSESSMENT_CACHE_MS = 60_000;

/** The content item as stored: the current revision and the lock (absent: see `readAssessment`). */
export interface ContentState {
  rev?: number;
  lockedAt?: string;
  /** A tombstone: the assessment was deleted. */
  deletedAt?: string;
}

/**
 * An assessment of this organisation (cached for a minute), or undefined. `fresh` reads it
 * strongly consistent and refreshes the cache. One Query returns the assessment item and its
 * content item (the lock) for the price of the assessment item alone.
 */
export async function getAssessment(
  org: string,
  assessmentId: string,
  opts: { fresh?: boolean } = {},
): Promise<Assessment | undefined> {
  const k = `${org}/${assessmentId}`;
  const hit = cache.get(k);
  if (hit && !opts.fresh && Date.now() - hit.at < ASSESSMENT_CACHE_MS) return hit.a;
  const { item, content } = await readAssessment(org, assessmentId, Boolean(opts.fresh));
  if (!item) {
    cache.delete(k);
    return undefined;
  }
  return remember(item, content);
}

/**
 * The assessment item and its content item, read together (`ASSESSMENT` < `CONTENT` in the
 * partition; `NORMS` sorts after both). Not a snapshot of a transaction: a caller that
 * conditions a write on the content relies on the assessment item's `contentRev`.
 */
export async function readAssessment(
  org: string,
  assessmentId: string,
  consistent: boolean,
): Promise<{ item?: Record<string, unknown>; content?: ContentState }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :c',
      ExpressionAttributeValues: {
        ':pk': keys.assessment(org, assessmentId).PK,
        ':a': keys.assessment(org, assessmentId).SK,
        ':c': keys.assessmentContent(org, assessmentId).SK,
      },
      ...(consistent ? { ConsistentRead: true } : {}),
    }),
  );
  const items = res.Items ?? [];
  return {
    item: items.find((i) => i.SK === keys.assessment(org, assessmentId).SK),
    content: items.find((i) => i.SK === keys.assessmentContent(org, assessmentId).SK) as
      | ContentState
      | undefined,
  };
}

/**
 * Cache an assessment item as read or written, with its content item's lock when known;
 * returns the assessment. A lock on the assessment item itself (taken before the content item
 * existed) is the earlier one and stays.
 */
export function remember(item: Record<string, unknown>, content?: ContentState): Assessment {
  const { PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _h, ...rest } = item;
  const a = rest as unknown as Assessment;
  if (content?.lockedAt && !a.contentLockedAt) a.contentLockedAt = content.lockedAt;
  if (cache.size > 1000) cache.clear();
  cache.set(`${a.org}/${a.assessmentId}`, { a, at: Date.now() });
  return a;
}

/** Forget an assessment (deleted). */
export function forget(org: string, assessmentId: string): void {
  cache.delete(`${org}/${assessmentId}`);
}

/** Forget every cached assessment (tests and the bench measure the cold path). */
export function clearAssessmentCache(): void {
  cache.clear();
}

/**
 * Newest first, each with its content lock: the page's content items in one BatchGetItem
 * (eventually consistent, 0.5 RCU each; only for assessments that may not be locked yet).
 */
export async function listAssessments(
  org: string,
  limit: number,
  cursor?: string,
): Promise<{ items: Assessment[]; nextCursor: string | null }> {
  const page = await listingPage(keys.assessmentListing(org, '').GSI1PK, limit, cursor, {
    newestFirst: true,
  });
  const items = page.rows as unknown as Assessment[];
  const open = items.filter((a) => a.contentRev !== undefined && !a.contentLockedAt);
  const locks = new Map<string, string>();
  // A page is at most 100 assessments: one BatchGetItem, repeated only for unprocessed keys.
  let pending: Record<string, unknown>[] = open.map((a) => ({
    ...keys.assessmentContent(org, a.assessmentId),
  }));
  for (let round = 0; pending.length; round++) {
    if (round) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
    const res = await db().send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: pending.slice(0, 100) } },
      }),
    );
    for (const c of res.Responses?.[tableName()] ?? []) {
      if (c.lockedAt) locks.set(c.PK as string, c.lockedAt as string);
    }
    pending = [
      ...((res.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[]),
      ...pending.slice(100),
    ];
  }
  return {
    items: items.map((a) => {
      const at = locks.get(keys.assessment(org, a.assessmentId).PK);
      return at ? { ...a, contentLockedAt: at } : a;
    }),
    nextCursor: page.nextCursor,
  };
}
