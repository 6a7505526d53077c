/**
 * Assessments: immutable once created (their question pools are frozen), so a Lambda may
 * cache them in memory. See docs/access-patterns.md (patterns 7-9).
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QuestionRef, Section, SectionDifficulty } from '../domain/assessment.ts';
import type { QuestionTypeId } from '../domain/question-types/type.ts';
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
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Up to `cap` published questions of one area (and difficulty) from one organisation, read
 * from a random point of the listing index and wrapping around once: a bounded, unbiased-
 * enough sample whatever the size of the bank, and never a Scan.
 */
export async function samplePool(
  org: string,
  area: string,
  difficulty: SectionDifficulty,
  cap: number,
  random: () => number,
): Promise<QuestionRef[]> {
  const partition = keys.questionListingPartition(org, 'published');
  const prefix = difficulty === 'mixed' ? `${area}#` : `${area}#${difficulty}#`;
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  const start = `${prefix}${difficulty === 'mixed' ? `${pick('123')}#` : ''}${pick(ALPHABET)}${pick(ALPHABET)}`;
  const refs: QuestionRef[] = [];
  const query = async (from: string, to: string) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
          ProjectionExpression: 'id, version, #t, GSI1SK',
          ExpressionAttributeNames: { '#t': 'type' },
          Limit: cap - refs.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const i of res.Items ?? []) {
        refs.push({
          o: org,
          q: i.id as string,
          v: i.version as number,
          t: i.type as QuestionTypeId,
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

const cache = new Map<string, Assessment>();

/** An assessment of this organisation (cached: immutable), or undefined. */
export async function getAssessment(
  org: string,
  assessmentId: string,
): Promise<Assessment | undefined> {
  const k = `${org}/${assessmentId}`;
  const hit = cache.get(k);
  if (hit) return hit;
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.assessment(org, assessmentId) }),
  );
  if (!res.Item) return undefined;
  const { PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _h, ...a } = res.Item;
  if (cache.size > 1000) cache.clear();
  cache.set(k, a as Assessment);
  return a as Assessment;
}

/** Forget every cached assessment (tests and the bench measure the cold path). */
export function clearAssessmentCache(): void {
  cache.clear();
}

/** Newest first. */
export async function listAssessments(
  org: string,
  limit: number,
  cursor?: string,
): Promise<{ items: Assessment[]; nextCursor: string | null }> {
  const page = await listingPage(keys.assessmentListing(org, '').GSI1PK, limit, cursor, {
    newestFirst: true,
  });
  return { items: page.rows as unknown as Assessment[], nextCursor: page.nextCursor };
}
