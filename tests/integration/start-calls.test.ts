/**
 * The calls of a start (`POST /v1/attempts`), pinned: on a fresh function (every cache empty) 5
 * calls and 1 batch read, the calibration sets read in the batch of the question versions and
 * the content lock in one transaction with the claim; warm, 4 calls. What each call does and
 * why none of the five can go: docs/access-patterns.md#the-starts-calls.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { calibrate, capacity, installRecorder, watch, writeUnits } from '../../bench/lib/dynamo.ts';
import { updateAssessment } from '../../functions/data/assessment-lifecycle.ts';
import { getAssessment, remember } from '../../functions/data/assessments.ts';
import {
  claimInvitation,
  claimInvitationAndLock,
  clearAttemptCaches,
} from '../../functions/data/attempts.ts';
import { type SetEntry, writeCalibrationSet } from '../../functions/data/calibrations.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { getInvitation } from '../../functions/data/invitations.ts';
import { keys } from '../../functions/data/keys.ts';
import { dueAtOf } from '../../functions/domain/assessment.ts';
import { versionKey } from '../../functions/domain/response-records.ts';
import { sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
const ORG = 'startcalls';
let employer: string;

const SECTIONS = [
  { area: 'security', count: 3 },
  { area: 'collaboration', count: 3 },
];

async function newAssessment(): Promise<string> {
  const res = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: { title: 'Start calls', timeLimitMinutes: 30, sections: SECTIONS },
  });
  expect(res.status).toBe(201);
  return res.body.assessmentId;
}

async function invite(assessmentId: string, n = 1) {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: n }, (_, i) => ({ name: `Candidate ${i}` })),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations as { invitationId: string; token: string }[];
}

const start = (token: string) =>
  api.request('POST', '/v1/attempts', { body: { invitationToken: token } });

/** A start, nothing else in flight: its status, its calls in order, its write units. */
async function measuredStart(token: string) {
  installRecorder();
  capacity.enabled = true;
  try {
    const w = watch();
    const res = await start(token);
    const win = w.stop();
    return {
      res,
      calls: win.calls.map((c) => c.operation),
      wcu: writeUnits(win.capacity),
      records: win.capacity,
    };
  } finally {
    capacity.enabled = false;
  }
}

const raw = async (key: { PK: string; SK: string }) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true })))
    .Item;

beforeAll(async () => {
  installRecorder();
  // Price transactions as AWS does, from what this DynamoDB Local reports (bench/lib/dynamo.ts).
  await calibrate();
  employer = await api.token('employer', ORG);
  const author = await api.token('author', ORG);
  expect(
    (await api.request('POST', '/v1/banks', { token: author, body: sampleBank('sc') })).status,
  ).toBe(201);
}, 60_000);

describe('the calls of a start', () => {
  it('starts the first attempt of a new assessment on a fresh function with 5 calls and 1 batch read, the lock in one transaction with the claim', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId);
    clearAttemptCaches();

    const s = await measuredStart(inv!.token);

    expect(s.res.status).toBe(201);
    expect(s.calls).toEqual([
      'GetItem',
      'Query',
      'TransactWriteItems',
      'BatchGetItem',
      'PutItem',
      'PutItem',
    ]);
    console.log(
      `fresh start of a new assessment: ${s.records.map((r) => `${r.operation} ${r.aws}`).join(', ')}`,
    );
    // The lock and the claim, 1 + 3 WCU apart, cost twice that in the transaction.
    const tx = s.records.find((r) => r.operation === 'TransactWriteItems')!;
    expect(tx.aws).toBeLessThanOrEqual(8);
    expect(s.wcu).toBeLessThanOrEqual(11);
    const content = await raw(keys.assessmentContent(ORG, assessmentId));
    expect(content).toMatchObject({ rev: 0, lockedAt: expect.any(String) });
    expect(await getInvitation(inv!.invitationId, true)).toMatchObject({
      status: 'started',
      attemptId: s.res.body.attemptId,
    });
    // The function remembers the lock it took, with the stored time.
    expect((await getAssessment(ORG, assessmentId))?.contentLockedAt).toBe(content!.lockedAt);
  });

  it('claims with a plain write when its copy of the assessment predates another start’s lock, and remembers the stored lock time', async () => {
    const assessmentId = await newAssessment();
    const [first, second] = await invite(assessmentId, 2);
    const stale = (await getAssessment(ORG, assessmentId, { fresh: true }))!;
    expect((await start(first!.token)).status).toBe(201);
    const lockedAt = (await raw(keys.assessmentContent(ORG, assessmentId)))!.lockedAt;
    // Another function, still holding the copy it read before that start.
    clearAttemptCaches();
    remember({ ...stale });

    const s = await measuredStart(second!.token);

    expect(s.res.status).toBe(201);
    // The refused transaction is not among the calls answered (it failed its condition).
    expect(s.calls).toEqual(['GetItem', 'UpdateItem', 'BatchGetItem', 'PutItem', 'PutItem']);
    expect(await raw(keys.assessmentContent(ORG, assessmentId))).toMatchObject({ lockedAt });
    expect((await getAssessment(ORG, assessmentId))?.contentLockedAt).toBe(lockedAt);
  });

  it('starts an assessment already locked on a fresh function with 5 calls and 1 batch read, and no transaction', async () => {
    const assessmentId = await newAssessment();
    const [first, second] = await invite(assessmentId, 2);
    expect((await start(first!.token)).status).toBe(201);
    clearAttemptCaches();

    const s = await measuredStart(second!.token);

    expect(s.res.status).toBe(201);
    expect(s.calls).toEqual([
      'GetItem',
      'Query',
      'UpdateItem',
      'BatchGetItem',
      'PutItem',
      'PutItem',
    ]);
  });

  it('starts with warm caches in 4 calls: the invitation, the claim, the draw and the head', async () => {
    const assessmentId = await newAssessment();
    const [first, second] = await invite(assessmentId, 2);
    clearAttemptCaches();
    expect((await start(first!.token)).status).toBe(201);
    // The second candidate draws other questions of the same pools: read them all once.
    const a = await getAssessment(ORG, assessmentId);
    const { questionVersions } = await import('../../functions/data/question-cache.ts');
    await questionVersions(a!.sections.flatMap((x) => x.pool));

    const s = await measuredStart(second!.token);

    expect(s.res.status).toBe(201);
    expect(s.calls).toEqual(['GetItem', 'UpdateItem', 'PutItem', 'PutItem']);
  });

  it('freezes in the draw the calibrated parameters it read in the batch of the question versions', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId);
    const a = await getAssessment(ORG, assessmentId);
    // A calibration of every pool question of both areas, each with its own discrimination.
    for (const section of a!.sections) {
      const entries = new Map<string, SetEntry>(
        section.pool.map((r, i) => [
          versionKey(r.q, r.v),
          { p: { a: 1 + i / 100, s: [i / 10], c: [0, 1] } },
        ]),
      );
      await writeCalibrationSet(ORG, section.area, entries, `run-${assessmentId}`);
      onTestFinished(() => writeCalibrationSet(ORG, section.area, new Map(), 'run-cleared'));
    }
    clearAttemptCaches();

    const s = await measuredStart(inv!.token);

    expect(s.res.status).toBe(201);
    expect(s.calls.filter((c) => c === 'Query')).toEqual(['Query']);
    const draw = await raw(keys.attemptDraw(s.res.body.attemptId));
    const questions = draw!.questions as { q: string; v: number; p?: { a: number } }[];
    expect(questions).toHaveLength(6);
    for (const q of questions) {
      const section = a!.sections.find((x) => x.pool.some((r) => r.q === q.q))!;
      const i = section.pool.findIndex((r) => r.q === q.q);
      expect(q.p, q.q).toEqual({ a: 1 + i / 100, s: [i / 10], c: [0, 1] });
    }
  });

  it('yields exactly one attempt when 20 starts of one invitation race on a new assessment, and locks it once', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId);
    clearAttemptCaches();

    const results = await Promise.all(Array.from({ length: 20 }, () => start(inv!.token)));

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.every((x) => x === 201 || x === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.attemptId)).size).toBe(1);
    expect(await raw(keys.assessmentContent(ORG, assessmentId))).toMatchObject({
      lockedAt: expect.any(String),
    });
  }, 30_000);

  it('starts every candidate of a new assessment whose starts race, one attempt each', async () => {
    const assessmentId = await newAssessment();
    const invitations = await invite(assessmentId, 8);
    clearAttemptCaches();

    const results = await Promise.all(invitations.map((i) => start(i.token)));

    expect(results.map((r) => r.status)).toEqual(invitations.map(() => 201));
    expect(new Set(results.map((r) => r.body.attemptId)).size).toBe(8);
  }, 30_000);
});

describe('the claim with the content lock', () => {
  const claimOf = async (assessmentId: string) => {
    const [inv] = await invite(assessmentId);
    const stored = (await getInvitation(inv!.invitationId, true))!;
    return { inv: inv!, stored };
  };
  const dueIn = (now: Date) => dueAtOf(new Date(now.getTime() + 1_800_000), 60);

  it('locks nothing when the claim is refused: the invitation was already started', async () => {
    const assessmentId = await newAssessment();
    const { stored } = await claimOf(assessmentId);
    const a = (await getAssessment(ORG, assessmentId, { fresh: true }))!;
    const now = new Date();
    expect(await claimInvitation(stored, 'ATTEMPT0000000000000000001', now, dueIn(now))).toBe(true);

    const again = await claimInvitationAndLock(
      stored,
      'ATTEMPT0000000000000000002',
      now,
      dueIn(now),
      a,
    );

    expect(again).toBe('taken');
    expect(await raw(keys.assessmentContent(ORG, assessmentId))).toBeUndefined();
  });

  it('claims nothing when an edit moved the content on since the start read it', async () => {
    const assessmentId = await newAssessment();
    const { stored } = await claimOf(assessmentId);
    const stale = (await getAssessment(ORG, assessmentId, { fresh: true }))!;
    const edit = await updateAssessment(
      ORG,
      assessmentId,
      { timeLimitMinutes: 45 },
      new Date(),
      stale.contentRev,
    );
    expect(edit.ok).toBe(true);
    const now = new Date();

    const claimed = await claimInvitationAndLock(
      stored,
      'ATTEMPT0000000000000000003',
      now,
      dueIn(now),
      stale,
    );

    expect(claimed).toBe('content-changed');
    expect(await getInvitation(stored.invitationId, true)).toMatchObject({ status: 'pending' });
    expect((await raw(keys.assessmentContent(ORG, assessmentId)))?.lockedAt).toBeUndefined();
  });
});

describe('the calibration sets read with the question versions', () => {
  it('reads the rest of a set longer than one chunk with one Query, and freezes its parameters', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId);
    const a = await getAssessment(ORG, assessmentId);
    const security = a!.sections.find((x) => x.area === 'security')!;
    // 450 versions: the pool's own come last, in the second chunk of 400.
    const entries = new Map<string, SetEntry>();
    for (let i = 0; i < 450 - security.pool.length; i++)
      entries.set(versionKey(`other-${i}`, 1), { p: { a: 1, s: [0], c: [0, 1] } });
    security.pool.forEach((r, i) => {
      entries.set(versionKey(r.q, r.v), { p: { a: 2 + i / 100, s: [0.5], c: [0, 1] } });
    });
    await writeCalibrationSet(ORG, 'security', entries, `run-long-${assessmentId}`);
    onTestFinished(() => writeCalibrationSet(ORG, 'security', new Map(), 'run-cleared'));
    clearAttemptCaches();

    const s = await measuredStart(inv!.token);

    expect(s.res.status).toBe(201);
    expect(s.calls.filter((c) => c === 'Query')).toEqual(['Query', 'Query']);
    const draw = await raw(keys.attemptDraw(s.res.body.attemptId));
    const drawn = (draw!.questions as { q: string; p?: { a: number } }[]).filter((q) =>
      security.pool.some((r) => r.q === q.q),
    );
    expect(drawn).toHaveLength(3);
    for (const q of drawn) {
      const i = security.pool.findIndex((r) => r.q === q.q);
      expect(q.p?.a, q.q).toBe(2 + i / 100);
    }
  });
});

describe('a lock and claim refused only by contention', () => {
  it('starts with the two writes instead, the lock first: one attempt, the content locked', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId);
    clearAttemptCaches();
    // DynamoDB Local serialises transactions and never refuses one for contention: the refusal
    // real DynamoDB gives a cohort's first starts is injected below the client's own retries.
    const stack = db().middlewareStack as unknown as {
      add(mw: unknown, opts: { step: string; name: string }): void;
      remove(name: string): boolean;
    };
    let refused = 0;
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
          refused++;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled',
            $metadata: {},
            CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
          });
        },
      { step: 'build', name: 'startCallsConflict' },
    );
    let s: Awaited<ReturnType<typeof measuredStart>>;
    try {
      s = await measuredStart(inv!.token);
    } finally {
      stack.remove('startCallsConflict');
    }

    expect(s.res.status).toBe(201);
    expect(refused).toBeGreaterThan(1);
    expect(s.calls).toEqual([
      'GetItem',
      'Query',
      'UpdateItem',
      'UpdateItem',
      'BatchGetItem',
      'PutItem',
      'PutItem',
    ]);
    expect(await raw(keys.assessmentContent(ORG, assessmentId))).toMatchObject({
      lockedAt: expect.any(String),
    });
    expect(await getInvitation(inv!.invitationId, true)).toMatchObject({
      status: 'started',
      attemptId: s.res.body.attemptId,
    });
  }, 30_000);
});
