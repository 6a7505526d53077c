/**
 * The attempt layout's behaviour: answer revisions (two tabs), submit racing saves, what a crash
 * between two writes leaves and who finishes it, and attempts stored in the old layout finished
 * by the new code. docs/state-machines.md describes each case.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { perfectAnswer as bankAnswer } from '../../bench/lib/answers.ts';
import { capacity, installRecorder, watch, writeUnits } from '../../bench/lib/dynamo.ts';
import { getAssessment } from '../../functions/data/assessments.ts';
import { claimInvitation, getDraw, sealAttempt } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { getInvitation } from '../../functions/data/invitations.ts';
import { dueBucket, keys } from '../../functions/data/keys.ts';
import { questionVersions } from '../../functions/data/question-cache.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { deadlineOf, drawQuestions, dueAtOf } from '../../functions/domain/assessment.ts';
import { clock } from '../../functions/domain/clock.ts';
import { startQuestion } from '../../functions/domain/question.ts';
import { scoreAttempt } from '../../functions/domain/result.ts';
import { hashSecret, newSecret } from '../../functions/domain/tokens.ts';
import { handler as statistics } from '../../functions/jobs/stream.ts';
import { sweep } from '../../functions/jobs/sweeper.ts';
import { perfectAnswer, sampleAssessment, shownAnswer, textQuestions } from './fixtures.ts';
import { type ApiResponse, useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
let employer: string;
let assessmentId: string;

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

beforeAll(async () => {
  ({ employer, assessmentId } = await sampleAssessment(api, {
    org: 'layout',
    bankPrefix: 'ly',
    title: 'Layout',
    perArea: 10,
  }));
}, 60_000);

async function invite(n = 1) {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: n }, (_, i) => ({ name: `Candidate ${i}` })),
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations as { invitationId: string; token: string }[];
}

const start = (token: string) =>
  api.request('POST', '/v1/attempts', { body: { invitationToken: token } });

interface Q {
  questionId: string;
  type: string;
  prompt: string;
  options?: { id: string; text: string }[];
}

const save = (
  a: { attemptId: string; attemptToken: string },
  q: Q,
  answer: unknown,
  headers: Record<string, string> = {},
) =>
  api.request('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, {
    token: a.attemptToken,
    body: { answer },
    headers,
  });

const report = (attemptId: string) =>
  api.request('GET', `/v1/attempts/${attemptId}/report`, { token: employer });

/**
 * Each graded question's score by its prompt: the report names questions by bank id, the
 * candidate by handle; the fixture prompts are unique.
 */
const scores = (r: ApiResponse) =>
  new Map<string, number>(
    r.body.questions.map((q: { prompt: string; score: number }) => [q.prompt, q.score]),
  );

async function invitationStatus(invitationId: string) {
  return (await getInvitation(invitationId))?.status;
}

describe('answer revisions', () => {
  it('numbers each answer, sends it as an ETag and shows it in the attempt', async () => {
    const [inv] = await invite();
    const a = (await start(inv!.token)).body;
    const q = a.questions.find((x: Q) => x.type === 'sjt');
    const first = await save(a, q, shownAnswer(q, 'a'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ revision: 1, deadline: a.deadline });
    expect(first.headers.get('etag')).toBe('"1"');
    const second = await save(a, q, shownAnswer(q, 'b'));
    expect(second.body.revision).toBe(2);
    expect(second.headers.get('etag')).toBe('"2"');
    const view = await api.request('GET', `/v1/attempts/${a.attemptId}`, {
      token: a.attemptToken,
    });
    expect(view.body.answers[q.questionId]).toBe(shownAnswer(q, 'b'));
    expect(view.body.revisions[q.questionId]).toEqual({
      revision: 2,
      savedAt: second.body.savedAt,
    });
  });

  it('tells a second tab that its answer was overwritten, with 412 and the current answer', async () => {
    const [inv] = await invite();
    const a = (await start(inv!.token)).body;
    const q = a.questions.find((x: Q) => x.type === 'sjt');
    // Both tabs load the attempt: the question is unanswered (revision 0).
    const tabA = await save(a, q, shownAnswer(q, 'a'), { 'if-match': '"0"' });
    expect(tabA.status).toBe(200);
    expect(tabA.body.revision).toBe(1);
    const tabB = await save(a, q, shownAnswer(q, 'c'), { 'if-match': '"0"' });
    expect(tabB.status).toBe(412);
    expect(tabB.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(tabB.body.code).toBe('revision-mismatch');
    expect(tabB.body.current).toEqual({
      answer: shownAnswer(q, 'a'),
      revision: 1,
      savedAt: tabA.body.savedAt,
    });
    // Tab B reloads, sees revision 1 and saves on top of it (a bare integer works too).
    const retry = await save(a, q, shownAnswer(q, 'c'), { 'if-match': '1' });
    expect(retry.status).toBe(200);
    expect(retry.body.revision).toBe(2);
    // Tab A's next save with its stale revision is refused; without If-Match the last write wins.
    expect((await save(a, q, shownAnswer(q, 'd'), { 'if-match': '"1"' })).status).toBe(412);
    const blind = await save(a, q, shownAnswer(q, 'd'));
    expect(blind.status).toBe(200);
    expect(blind.body.revision).toBe(3);
  });

  it('refuses an If-Match that is not a revision with 400 naming the header', async () => {
    const [inv] = await invite();
    const a = (await start(inv!.token)).body;
    const res = await save(a, a.questions[0], perfectAnswer(a.questions[0]), {
      'if-match': 'W/"abc"',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('header.if-match');
  });
});

describe('saving', () => {
  it('checks the answer against the question before writing, and the token first', async () => {
    const [inv] = await invite();
    const a = (await start(inv!.token)).body;
    const sjt = a.questions.find((x: Q) => x.type === 'sjt');
    const wrong = await save(a, sjt, 'zz');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('answer');
    expect(
      (await save(a, { questionId: 'not-in-this-attempt', type: 'single', prompt: '' }, 'o1'))
        .status,
    ).toBe(404);
    const forged = { attemptId: a.attemptId, attemptToken: newSecret() };
    expect((await save(forged, sjt, 'zz')).status).toBe(401);
    expect((await save(forged, sjt, 'o1')).status).toBe(401);
  });
});

describe('submit racing saves', () => {
  it('always ends with a finalised attempt that grades every acknowledged answer', async () => {
    const invs = await invite(6);
    for (const inv of invs) {
      const a = (await start(inv.token)).body;
      const saves = a.questions.map((q: Q) =>
        save(a, q, perfectAnswer(q)).then((r) => ({ q, status: r.status, code: r.body?.code })),
      );
      const submits = [3, 6].map((ms) =>
        new Promise((r) => setTimeout(r, ms)).then(() =>
          api.request('POST', `/v1/attempts/${a.attemptId}/submit`, { token: a.attemptToken }),
        ),
      );
      const [acks, subs] = await Promise.all([Promise.all(saves), Promise.all(submits)]);
      for (const s of subs) expect(s.status).toBe(200);
      expect(subs[1]!.text).toBe(subs[0]!.text);
      for (const x of acks) {
        if (x.status !== 200) expect(x).toMatchObject({ status: 409, code: 'already-submitted' });
      }
      const view = await api.request('GET', `/v1/attempts/${a.attemptId}`, {
        token: a.attemptToken,
      });
      expect(view.body.status).toBe('submitted');
      const graded = scores(await report(a.attemptId));
      for (const x of acks.filter((y: { status: number }) => y.status === 200))
        expect(graded.get(x.q.prompt), x.q.questionId).toBe(1);
      expect(await invitationStatus(inv.invitationId)).toBe('completed');
    }
  }, 60_000);
});

describe('a crash between two writes', () => {
  it('after the invitation was started: a retried start builds the attempt', async () => {
    const [inv] = await invite();
    const stored = (await getInvitation(inv!.invitationId))!;
    const attemptId = ulid();
    const now = clock.now();
    const assessment = (await getAssessment('layout', assessmentId))!;
    const dueAt = dueAtOf(deadlineOf(now, assessment.timeLimitMinutes, 0), 10);
    expect(await claimInvitation(stored, attemptId, now, dueAt)).toBe(true);
    const res = await start(inv!.token);
    expect(res.status).toBe(201);
    expect(res.body.attemptId).toBe(attemptId);
    expect(res.body.questions).toHaveLength(20);
    expect(res.body.startedAt).toBe(now.toISOString());
    const q = res.body.questions[0];
    expect((await save(res.body, q, perfectAnswer(q))).status).toBe(200);
  });

  it('after the invitation was started: the sweeper builds and expires it at its deadline', async () => {
    const [inv] = await invite();
    const stored = (await getInvitation(inv!.invitationId))!;
    const attemptId = ulid();
    const t0 = new Date('2026-11-22T09:00:00.000Z');
    const dueAt = dueAtOf(deadlineOf(t0, 30, 0), 10);
    expect(await claimInvitation(stored, attemptId, t0, dueAt)).toBe(true);
    clock.now = () => new Date(dueAt.getTime() + 60_000);
    await sweep(clock.now());
    const r = await report(attemptId);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('expired');
    expect(r.body.completedAt).toBe(deadlineOf(t0, 30, 0).toISOString());
    expect(await invitationStatus(inv!.invitationId)).toBe('completed');
  }, 30_000);

  it('after the seal: the candidate’s result read finishes the completion', async () => {
    const [inv] = await invite();
    const a = (await start(inv!.token)).body;
    const q = a.questions[0];
    expect((await save(a, q, perfectAnswer(q))).status).toBe(200);
    const now = clock.now();
    const sealed = await sealAttempt(a.attemptId, {
      status: 'submitted',
      completedAt: now.toISOString(),
      now,
      tokenHash: hashSecret(a.attemptToken),
    });
    expect(sealed.sealed).toBe(true);
    const result = await api.request('GET', `/v1/attempts/${a.attemptId}/result`, {
      token: a.attemptToken,
    });
    expect(result.status).toBe(200);
    expect(scores(await report(a.attemptId)).get(q.prompt)).toBe(1);
    expect(await invitationStatus(inv!.invitationId)).toBe('completed');
    const again = await api.request('POST', `/v1/attempts/${a.attemptId}/submit`, {
      token: a.attemptToken,
    });
    expect(again.body).toMatchObject({ status: 'submitted' });
  });

  it('before the invitation was completed: starting again is 410 finished, and the sweeper completes it', async () => {
    const [inv] = await invite();
    const t0 = new Date(Date.now() - 60_000);
    clock.now = () => t0;
    const a = (await start(inv!.token)).body;
    expect(
      (await api.request('POST', `/v1/attempts/${a.attemptId}/submit`, { token: a.attemptToken }))
        .status,
    ).toBe(200);
    const before = await report(a.attemptId);
    // The state a crash before the last write leaves: the invitation still started, due entry kept.
    const due = new Date(Date.parse(a.deadline) + a.gracePeriodSeconds * 1000);
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(inv!.invitationId),
        UpdateExpression: 'SET #s = :started, GSI2PK = :pk, GSI2SK = :sk REMOVE completedAt',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':started': 'started',
          ':pk': keys.due(due, a.attemptId).GSI2PK,
          ':sk': keys.due(due, a.attemptId).GSI2SK,
        },
      }),
    );
    clock.now = realNow;
    const again = await start(inv!.token);
    expect(again.status).toBe(410);
    expect(again.body.reason).toBe('finished');
    const erase = await api.request(
      'DELETE',
      `/v1/invitations/${inv!.invitationId}/candidate-data`,
      { token: employer },
    );
    expect(erase.status).toBe(204);
    await sweep(new Date(due.getTime() + 60_000));
    expect(await invitationStatus(inv!.invitationId)).toBe('completed');
    const after = await report(a.attemptId);
    expect(after.body.score).toBe(before.body.score);
    expect(after.body.candidate).toEqual({});
  }, 30_000);
});

describe('a long attempt over several answer pages', () => {
  it('saves every answer for 1 WCU, resumes on every page, and grades every page', async () => {
    const author = await api.token('author', 'layout-long');
    const boss = await api.token('employer', 'layout-long');
    const questions = textQuestions('long', 40);
    expect(
      (
        await api.request('POST', '/v1/banks', {
          token: author,
          body: { bank: { id: 'long-bank', title: 'Long' }, questions },
        })
      ).status,
    ).toBe(201);
    const created = await api.request('POST', '/v1/assessments', {
      token: boss,
      body: { title: 'Long', timeLimitMinutes: 60, sections: [{ area: 'security', count: 40 }] },
    });
    const invited = await api.request(
      'POST',
      `/v1/assessments/${created.body.assessmentId}/invitations`,
      {
        token: boss,
        body: {
          candidates: [{ name: 'Long' }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    const token = invited.body.invitations[0].token;
    const first = (await start(token)).body;
    const draw = (await getDraw(first.attemptId))!;
    expect(Math.max(...draw.pages)).toBeGreaterThanOrEqual(3);
    installRecorder();
    capacity.enabled = true;
    let again: typeof first;
    try {
      // The first tab answers half, then a second device resumes: the first token stops working
      // on every page, the new one works on every page.
      for (const q of first.questions.slice(0, 20)) {
        const w = watch();
        expect((await save(first, q, 'Idempotency Key')).status).toBe(200);
        expect(writeUnits(w.stop().capacity)).toBeLessThanOrEqual(1);
      }
      again = (await start(token)).body;
      expect(Object.keys(again.answers)).toHaveLength(20);
      for (const q of first.questions.slice(20)) {
        expect((await save(first, q, 'Idempotency Key')).status).toBe(401);
        const w = watch();
        expect((await save(again, q, 'Idempotency Key')).status).toBe(200);
        expect(writeUnits(w.stop().capacity)).toBeLessThanOrEqual(1);
      }
    } finally {
      capacity.enabled = false;
    }
    const sub = await api.request('POST', `/v1/attempts/${first.attemptId}/submit`, {
      token: again.attemptToken,
    });
    expect(sub.status).toBe(200);
    const r = await api.request('GET', `/v1/attempts/${first.attemptId}/report`, { token: boss });
    expect(r.body.score).toBe(100);
    expect(r.body.questions).toHaveLength(40);
    const late = await save(again, first.questions.at(-1), 'too late');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('already-submitted');
  }, 60_000);
});

describe('attempts stored in the old layout', () => {
  /** What the previous code stored at start: one item, and the invitation started, in a transaction. */
  async function oldLayoutAttempt(invitationId: string, startedAt: Date) {
    const inv = (await getInvitation(invitationId))!;
    const assessment = (await getAssessment('layout', assessmentId))!;
    const attemptId = ulid(startedAt.getTime());
    const refs = drawQuestions(assessment.sections, attemptId);
    const contents = await questionVersions(refs);
    const questions = refs.map((r) => {
      const c = contents.get(r.q)!;
      return { ...r, area: c.area, ...startQuestion(c, attemptId) };
    });
    const deadline = deadlineOf(startedAt, assessment.timeLimitMinutes, 0);
    const dueAt = dueAtOf(deadline, assessment.gracePeriodSeconds);
    const secret = newSecret();
    const attempt = {
      attemptId,
      org: inv.org,
      assessmentId,
      invitationId,
      status: 'active',
      tokenHash: hashSecret(secret),
      startedAt: startedAt.toISOString(),
      deadline: deadline.toISOString(),
      dueAt: dueAt.toISOString(),
      gracePeriodSeconds: assessment.gracePeriodSeconds,
      timeLimitMinutes: assessment.timeLimitMinutes,
      extraTimePercent: 0,
      title: assessment.title,
      showResultToCandidate: assessment.showResultToCandidate,
      candidate: inv.candidate,
      questions,
      qs: Object.fromEntries(
        questions.map((q) => [
          q.q,
          { t: q.t, o: contents.get(q.q)!.options?.map((o) => o.id) ?? [] },
        ]),
      ),
      answers: {},
      rev: 0,
      resumes: [{ at: startedAt.toISOString(), userAgent: 'old-browser' }],
    };
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.invitation(invitationId),
              UpdateExpression: 'SET #s = :started, attemptId = :a, startedAt = :now',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':started': 'started',
                ':a': attemptId,
                ':now': startedAt.toISOString(),
              },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.attempt(attemptId),
                GSI2PK: dueBucket(dueAt),
                GSI2SK: `${dueAt.toISOString()}#${attemptId}`,
                ...attempt,
              },
            },
          },
        ],
      }),
    );
    return { attemptId, attemptToken: secret, questions, contents, attempt };
  }

  /** An answer saved by the previous code: `answers.<qid>` and `rev + 1` on the one item. */
  async function oldLayoutSave(attemptId: string, questionId: string, value: unknown, at: Date) {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        UpdateExpression: 'SET answers.#q = :ans ADD rev :one',
        ExpressionAttributeNames: { '#q': questionId },
        ExpressionAttributeValues: { ':ans': { value, savedAt: at.toISOString() }, ':one': 1 },
      }),
    );
  }

  it('finishes a running old-layout attempt with the new code, keeping every saved answer', async () => {
    const [inv] = await invite();
    const t0 = new Date(Date.now() - 5 * 60_000);
    const old = await oldLayoutAttempt(inv!.invitationId, t0);
    const [q0, q1] = old.questions;
    const typeOf = (id: string) => old.contents.get(id)!.type;
    // The previous code stored (and its candidates sent) the bank's question and option ids.
    await oldLayoutSave(old.attemptId, q0!.q, bankAnswer(typeOf(q0!.q)), t0);
    await oldLayoutSave(old.attemptId, q1!.q, bankAnswer(typeOf(q1!.q)), t0);
    const a = { attemptId: old.attemptId, attemptToken: old.attemptToken };

    const view = await api.request('GET', `/v1/attempts/${a.attemptId}`, {
      token: a.attemptToken,
    });
    expect(view.status).toBe(200);
    // The new code shows them by handle: its answer slots are the old item's question order.
    const [v0, v1] = view.body.questions;
    expect(view.body.answers).toEqual({ q1: perfectAnswer(v0), q2: perfectAnswer(v1) });
    expect(view.body.revisions.q1.revision).toBe(1);
    expect([v0.questionId, v0.prompt]).toEqual(['q1', old.contents.get(q0!.q)!.prompt]);
    for (const q of view.body.questions.slice(2)) {
      expect((await save(a, q, perfectAnswer(q))).status).toBe(200);
    }
    const again = await save(a, view.body.questions[0], perfectAnswer(view.body.questions[0]), {
      'if-match': '"1"',
    });
    expect(again.body.revision).toBe(2);
    const sub = await api.request('POST', `/v1/attempts/${a.attemptId}/submit`, {
      token: a.attemptToken,
    });
    expect(sub.status).toBe(200);
    expect(sub.body.result.score).toBe(100);
    expect([...scores(await report(a.attemptId)).values()].every((s) => s === 1)).toBe(true);
    expect(await invitationStatus(inv!.invitationId)).toBe('completed');
    const results = await api.request('GET', `/v1/assessments/${assessmentId}/results?limit=200`, {
      token: employer,
    });
    expect(
      results.body.items.filter((i: { attemptId: string }) => i.attemptId === a.attemptId),
    ).toHaveLength(1);
  });

  it('lets the sweeper expire a running old-layout attempt', async () => {
    const [inv] = await invite();
    const t0 = new Date('2026-11-22T07:00:00.000Z');
    const old = await oldLayoutAttempt(inv!.invitationId, t0);
    const q = old.questions[0]!;
    await oldLayoutSave(old.attemptId, q.q, bankAnswer(old.contents.get(q.q)!.type), t0);
    const due = Date.parse(old.attempt.dueAt);
    await sweep(new Date(due + 60_000));
    const r = await report(old.attemptId);
    expect(r.body.status).toBe('expired');
    expect(scores(r).get(old.contents.get(q.q)!.prompt)).toBe(1);
  });

  it('reads, lists and erases a finished old-layout attempt in place, and counts it once', async () => {
    const poller = createStreamPoller((e) => statistics(e));
    await poller.drain();
    const [inv] = await invite();
    const t0 = new Date(Date.now() - 10 * 60_000);
    const old = await oldLayoutAttempt(inv!.invitationId, t0);
    const answers = Object.fromEntries(
      old.questions.map((q) => [
        q.q,
        { value: bankAnswer(old.contents.get(q.q)!.type), savedAt: t0.toISOString() },
      ]),
    );
    // The previous code's finalising: result and ranking keys on the item, invitation completed.
    const completedAt = new Date(t0.getTime() + 60_000).toISOString();
    const result = scoreAttempt({
      questions: old.questions.map((q) => ({ content: old.contents.get(q.q)!, version: q.v })),
      answers,
      startedAt: old.attempt.startedAt,
      deadline: old.attempt.deadline,
      resumes: old.attempt.resumes,
    });
    const rank = `${String(10000 - Math.round(result.score * 100)).padStart(5, '0')}#${completedAt}#${old.attemptId}`;
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(old.attemptId),
        UpdateExpression:
          'SET #s = :submitted, completedAt = :at, #r = :result, answers = :answers, GSI1PK = :g1pk, GSI1SK = :g1sk REMOVE GSI2PK, GSI2SK',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'result' },
        ExpressionAttributeValues: {
          ':submitted': 'submitted',
          ':at': completedAt,
          ':result': result,
          ':answers': answers,
          ':g1pk': keys.resultListing('layout', assessmentId, '').GSI1PK,
          ':g1sk': rank,
        },
      }),
    );
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(inv!.invitationId),
        UpdateExpression: 'SET #s = :completed, completedAt = :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':at': completedAt },
      }),
    );

    const r = await report(old.attemptId);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'submitted', score: 100, completedAt });
    const own = await api.request('GET', `/v1/attempts/${old.attemptId}/result`, {
      token: old.attemptToken,
    });
    expect(own.status).toBe(200);
    expect(own.body.score).toBe(100);
    const listed = await api.request('GET', `/v1/assessments/${assessmentId}/results?limit=200`, {
      token: employer,
    });
    expect(
      listed.body.items.find((i: { attemptId: string }) => i.attemptId === old.attemptId),
    ).toMatchObject({ score: 100, status: 'submitted', candidate: { name: 'Candidate 0' } });

    // The stream record of that completion is applied once, however often it is read.
    const statsBefore = await db().send(
      new GetCommand({ TableName: tableName(), Key: keys.norms('layout', assessmentId) }),
    );
    await poller.drain();
    await createStreamPoller((e) => statistics(e)).drain();
    const statsAfter = await db().send(
      new GetCommand({ TableName: tableName(), Key: keys.norms('layout', assessmentId) }),
    );
    expect((statsAfter.Item?.n as number) - ((statsBefore.Item?.n as number) ?? 0)).toBe(1);

    const erase = await api.request(
      'DELETE',
      `/v1/invitations/${inv!.invitationId}/candidate-data`,
      { token: employer },
    );
    expect(erase.status).toBe(204);
    const erased = await report(old.attemptId);
    expect(erased.body.candidate).toEqual({});
    expect(erased.body.score).toBe(100);
    const item = await db().send(
      new GetCommand({ TableName: tableName(), Key: keys.attempt(old.attemptId) }),
    );
    expect(item.Item!.answers).toEqual({});
  }, 60_000);

  it('keeps an old-layout item readable even when written without a revision counter', async () => {
    const [inv] = await invite();
    const old = await oldLayoutAttempt(inv!.invitationId, new Date(Date.now() - 60_000));
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...(
            await db().send(
              new GetCommand({ TableName: tableName(), Key: keys.attempt(old.attemptId) }),
            )
          ).Item,
          rev: undefined,
        },
      }),
    );
    const sub = await api.request('POST', `/v1/attempts/${old.attemptId}/submit`, {
      token: old.attemptToken,
    });
    expect(sub.status).toBe(200);
    expect(sub.body.status).toBe('submitted');
  });
});
