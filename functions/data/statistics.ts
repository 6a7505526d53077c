/**
 * Norms (score histogram per assessment) and item statistics (running sums per question
 * version), updated as attempts complete by the stream consumer. Stream records arrive at least
 * once, so each completion is applied with one conditional write per target (no transaction:
 * docs/access-patterns.md#capacity explains the trade) and a marker once all of them are in.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ItemSums, scoreBin } from '../domain/statistics.ts';
import type { Completion } from './attempt-results.ts';
import { db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { type Key, keys } from './keys.ts';

export interface Norms {
  n: number;
  histogram: Map<number, number>;
}

export function normsOf(item: Record<string, unknown> | undefined): Norms {
  const histogram = new Map<number, number>();
  for (const [k, v] of Object.entries(item ?? {}))
    if (k.startsWith('b_') && typeof v === 'number') histogram.set(Number(k.slice(2)), v);
  return { n: (item?.n as number | undefined) ?? 0, histogram };
}

/** An assessment's norms, eventually consistent: a percentile a moment old is harmless. */
export async function readNorms(org: string, assessmentId: string): Promise<Norms> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.norms(org, assessmentId) }),
  );
  return normsOf(res.Item);
}

const SUM_FIELDS = ['n', 'sx', 'sxx', 'sy', 'syy', 'sxy', 'seconds'] as const;

interface Marker {
  done?: boolean;
  /** Targets applied by a run that then failed: 0 the norms, i + 1 question i. */
  applied?: number[];
}

async function readMarker(attemptId: string, oldLayout: boolean): Promise<Marker> {
  if (!oldLayout) {
    const res = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.statsMarker(attemptId),
        ConsistentRead: true,
      }),
    );
    return (res.Item as Marker | undefined) ?? {};
  }
  // A completion recorded by the old code may have been applied by the old consumer.
  const res = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: [keys.statsMarker(attemptId), keys.oldStatsMarker(attemptId)],
          ConsistentRead: true,
        },
      },
    }),
  );
  const items = res.Responses?.[tableName()] ?? [];
  if (items.some((i) => i.SK === keys.oldStatsMarker(attemptId).SK)) return { done: true };
  return (items[0] as Marker | undefined) ?? {};
}

/**
 * One target's update: add this completion's contribution unless the target says this attempt
 * was the last one applied to it (a retry after the consumer died mid-way).
 */
async function addOnce(
  key: Key,
  attemptId: string,
  add: Record<string, number>,
  set: Record<string, unknown> = {},
) {
  const adds = Object.entries(add);
  const sets = Object.entries(set);
  const names: Record<string, string> = { '#last': 'last' };
  const values: Record<string, unknown> = { ':id': attemptId };
  const addParts = adds.map(([f, v], i) => {
    names[`#a${i}`] = f;
    values[`:a${i}`] = v;
    return `#a${i} :a${i}`;
  });
  const setParts = sets.map(([f, v], i) => {
    names[`#s${i}`] = f;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `ADD ${addParts.join(', ')} SET ${['#last = :id', ...setParts].join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#last) OR #last <> :id',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (err) {
    // This attempt was the last one applied here: a retry after a run that died mid-way.
    if (!isConditionFailure(err)) throw err;
  }
}

/**
 * Add a completed attempt to its assessment's norms and to the statistics of every question
 * version it was given: one conditional UpdateItem per target, in parallel, then the marker.
 * A redelivered record finds the marker and changes nothing; a run that fails part-way records
 * which targets it applied, so the retry applies only the others.
 */
export async function applyCompletion(
  c: Pick<Completion, 'attemptId' | 'org' | 'assessmentId' | 'result' | 'questionOrgs'>,
  contributions: ReadonlyMap<number, ItemSums>,
  opts: {
    oldLayout?: boolean;
    ttl?: number;
    /**
     * Further idempotent writes of the completion under the same marker, after the norms and
     * the questions' statistics (the response records for calibration).
     */
    also?: readonly (() => Promise<void>)[];
  } = {},
): Promise<'applied' | 'already-applied'> {
  const marker = await readMarker(c.attemptId, opts.oldLayout ?? false);
  if (marker.done) return 'already-applied';
  const done = new Set(marker.applied ?? []);
  const listing = keys.resultListing(c.org, c.assessmentId, '#NORMS');
  const targets: (() => Promise<void>)[] = [
    () =>
      addOnce(
        keys.norms(c.org, c.assessmentId),
        c.attemptId,
        { n: 1, [`b_${scoreBin(c.result.score)}`]: 1 },
        { GSI1PK: listing.GSI1PK, GSI1SK: listing.GSI1SK },
      ),
    ...c.result.questions.map((q, i) => () => {
      const s = contributions.get(i);
      if (!s) return Promise.resolve();
      return addOnce(
        keys.itemStats(c.org, c.questionOrgs[i]!, q.questionId, q.version),
        c.attemptId,
        Object.fromEntries(SUM_FIELDS.map((f) => [f, s[f]])),
      );
    }),
    ...(opts.also ?? []),
  ];
  const outcomes = await Promise.allSettled(
    targets.map((t, i) => (done.has(i) ? Promise.resolve() : t())),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  const applied = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.statsMarker(c.attemptId),
        ...(failed ? { applied } : { done: true }),
        ...(opts.ttl ? { ttl: opts.ttl } : {}),
      },
    }),
  );
  if (failed) throw failed.reason;
  return 'applied';
}

/** This organisation's running sums for every version of a question: one Query. */
export async function readItemSums(
  org: string,
  questionOrg: string,
  questionId: string,
): Promise<Map<number, ItemSums>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.itemStatsPartition(org, questionOrg, questionId) },
    }),
  );
  const out = new Map<number, ItemSums>();
  for (const i of res.Items ?? []) {
    out.set(
      Number(String(i.SK).slice('V#'.length)),
      Object.fromEntries(SUM_FIELDS.map((f) => [f, (i[f] as number) ?? 0])) as unknown as ItemSums,
    );
  }
  return out;
}
