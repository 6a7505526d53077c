/**
 * More time for a running attempt (issue 16 item 5): the deadline moves everywhere a save, a
 * reader or the sweeper looks for it, in one transaction with its audit; a save racing the
 * extension is decided by DynamoDB and never lost. docs/state-machines.md#more-time.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDraw, readHead } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { dueBucket, keys } from '../../functions/data/keys.ts';
import { clock } from '../../functions/domain/clock.ts';
import type { DomainError } from '../../functions/domain/errors.ts';
import type { Principal } from '../../functions/http/principal.ts';
import { sweep } from '../../functions/jobs/sweeper.ts';
import { answer, finalise, load, submit } from '../../functions/services/attempts.ts';
import { extendAttempt } from '../../functions/services/employer-attempts.ts';
import { perfectAnswer, reportEntryOf, sampleAssessment } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let employer: string;
let assessmentId: string;
const boss: Principal = { subject: 'employer@ext', org: 'ext', roles: ['employer'] };

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

const MIN = 60_000;
const at = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs);

beforeAll(async () => {
  ({ employer, assessmentId } = await sampleAssessment(api, {
    org: 'ext',
    bankPrefix: 'ext',
    title: 'Extensions',
    perArea: 5,
  }));
}, 60_000);

interface Started {
  attemptId: string;
  attemptToken: string;
  deadline: string;
  gracePeriodSeconds: number;
  questions: { questionId: string; type: string; prompt: string }[];
  invitationToken: string;
  invitationId: string;
}

async function startOne(): Promise<Started> {
  const inv = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: [{ name: 'Ada' }],
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    },
  });
  expect(inv.status).toBe(201);
  const { token, invitationId } = inv.body.invitations[0];
  const res = await api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
  expect(res.status).toBe(201);
  return { ...res.body, invitationToken: token, invitationId };
}

const extend = (attemptId: string, body: unknown, token = employer) =>
  api.request('POST', `/v1/attempts/${attemptId}/extend`, { token, body });

const save = (a: Started, q: { questionId: string; type: string }) =>
  api.request('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, {
    token: a.attemptToken,
    body: { answer: perfectAnswer(q) },
  });

async function rawItem(key: { PK: string; SK: string }) {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return res.Item;
}

describe('extending a running attempt', () => {
  it('moves the deadline of the view, of saves, of the intro and of the due index, and audits who, when and why', async () => {
    const a = await startOne();
    const res = await extend(a.attemptId, { minutes: 30, reason: '  Fire alarm in the building ' });
    expect(res.status).toBe(200);
    const moved = at(a.deadline, 30 * MIN).toISOString();
    expect(res.body).toMatchObject({
      attemptId: a.attemptId,
      status: 'active',
      deadline: moved,
      previousDeadline: a.deadline,
      extensionCount: 1,
      extension: {
        minutes: 30,
        reason: 'Fire alarm in the building',
        by: 'employer@ext',
        from: a.deadline,
        to: moved,
      },
    });
    expect(Date.parse(res.body.extension.at)).toBeGreaterThan(Date.now() - MIN);

    const view = await api.request('GET', `/v1/attempts/${a.attemptId}`, {
      token: a.attemptToken,
    });
    expect(view.body.deadline).toBe(moved);
    const saved = await save(a, a.questions[0]!);
    expect(saved.status).toBe(200);
    expect(saved.body.deadline).toBe(moved);
    const intro = await api.request('POST', '/v1/invitations/inspect', {
      body: { invitationToken: a.invitationToken },
    });
    expect(intro.body.deadline).toBe(moved);

    // Every copy moved: the head (where saves check it) and the sweeper's entry.
    const dueAt = at(moved, a.gracePeriodSeconds * 1000);
    const head = await rawItem(keys.attempt(a.attemptId));
    expect(head?.due).toBe(dueAt.toISOString());
    const inv = await rawItem(keys.invitation(a.invitationId));
    expect(inv?.GSI2PK).toBe(dueBucket(dueAt));
    expect(inv?.GSI2SK).toBe(`${dueAt.toISOString()}#${a.attemptId}`);
    // The cached, immutable draw keeps the first deadline: nothing reads it to decide.
    expect((await getDraw(a.attemptId))!.deadline).toBe(a.deadline);

    // The audit is kept with the attempt and shown in the report, running and finished.
    const running = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
      token: employer,
    });
    expect(running.body.deadline).toBe(moved);
    expect(running.body.extensions).toEqual([res.body.extension]);
    expect(
      (await api.request('POST', `/v1/attempts/${a.attemptId}/submit`, { token: a.attemptToken }))
        .status,
    ).toBe(200);
    const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.extensions).toEqual([res.body.extension]);
    expect(report.body.deadline).toBe(moved);
    const html = await api.request('GET', `/v1/attempts/${a.attemptId}/report.html`, {
      token: employer,
    });
    expect(html.text).toContain('Fire alarm in the building');
    expect(html.text).toContain('+30 min');
  });

  it('adds a second extension to the first, and keeps both', async () => {
    const a = await startOne();
    expect((await extend(a.attemptId, { minutes: 10, reason: 'Late start' })).status).toBe(200);
    const second = await extend(a.attemptId, { minutes: 5, reason: 'Network outage' });
    expect(second.body).toMatchObject({
      deadline: at(a.deadline, 15 * MIN).toISOString(),
      previousDeadline: at(a.deadline, 10 * MIN).toISOString(),
      extensionCount: 2,
    });
    const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.extensions.map((e: { reason: string }) => e.reason)).toEqual([
      'Late start',
      'Network outage',
    ]);
  });

  it('accepts saves after the first deadline, and the sweeper expires the attempt at the new one', async () => {
    const a = await startOne();
    expect((await extend(a.attemptId, { minutes: 20, reason: 'Accommodation' })).status).toBe(200);
    const graceMs = a.gracePeriodSeconds * 1000;
    // Past the first deadline and its grace period, before the new deadline.
    clock.now = () => at(a.deadline, graceMs + 5 * MIN);
    const late = await save(a, a.questions[1]!);
    expect(late.status).toBe(200);
    await sweep(clock.now());
    expect((await load(a.attemptId))!.state.status).toBe('active');
    // Past the new deadline and its grace period: the sweeper finds the moved entry.
    clock.now = () => at(a.deadline, 20 * MIN + graceMs + 1000);
    await sweep(clock.now());
    const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.status).toBe('expired');
    expect(report.body.completedAt).toBe(at(a.deadline, 20 * MIN).toISOString());
    const q = reportEntryOf(report.body, a.questions[1]!);
    expect(q).toMatchObject({ answered: true, outcome: 'correct' });
  });

  it('lets a submit after the first deadline seal as submitted, not expired, once extended', async () => {
    const a = await startOne();
    expect((await extend(a.attemptId, { minutes: 20, reason: 'Accommodation' })).status).toBe(200);
    const now = at(a.deadline, a.gracePeriodSeconds * 1000 + MIN);
    // The cached draw still says the first deadline: the failed expiry seal brings the head.
    const body = await submit(a.attemptId, a.attemptToken, now);
    expect(body.status).toBe('submitted');
  });

  it('refuses to expire an attempt whose deadline moved after it was read', async () => {
    const a = await startOne();
    const loaded = (await load(a.attemptId))!;
    expect((await extend(a.attemptId, { minutes: 20, reason: 'Accommodation' })).status).toBe(200);
    const now = at(a.deadline, a.gracePeriodSeconds * 1000 + MIN);
    // An expiry decided on the `due` read before the extension: its seal condition fails.
    expect(await finalise(loaded.draw, 'expire', now, undefined, false, loaded.state.dueAt)).toBe(
      undefined,
    );
    expect((await load(a.attemptId))!.state.status).toBe('active');
  });

  it('moves the deadline on every answer page of a long attempt at once', async () => {
    const author = await api.token('author', 'ext');
    const questions = Array.from({ length: 40 }, (_, i) => ({
      id: `ext-long-${i}`,
      area: 'cloud-native',
      type: 'text',
      difficulty: 2,
      prompt: `Name the pattern number ${i}, please.`,
      answer: ['idempotency key'],
      explanation: 'It is the idempotency key, as explained.',
      tags: ['long'],
    }));
    const up = await api.request('POST', '/v1/banks', {
      token: author,
      body: { bank: { id: 'ext-long', title: 'Long' }, questions },
    });
    expect(up.status).toBe(201);
    const created = await api.request('POST', '/v1/assessments', {
      token: employer,
      body: {
        title: 'Long',
        timeLimitMinutes: 60,
        sections: [{ area: 'cloud-native', count: 40 }],
      },
    });
    const inv = await api.request(
      'POST',
      `/v1/assessments/${created.body.assessmentId}/invitations`,
      {
        token: employer,
        body: {
          candidates: [{ name: 'Long' }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    const started = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv.body.invitations[0].token },
    });
    const a = started.body as Started;
    const draw = (await getDraw(a.attemptId))!;
    const pages = Math.max(...draw.pages) + 1;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect((await extend(a.attemptId, { minutes: 15, reason: 'Outage' })).status).toBe(200);
    const due = at(a.deadline, 15 * MIN + a.gracePeriodSeconds * 1000).toISOString();
    const items = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :h',
        ExpressionAttributeValues: { ':pk': `ATT#${a.attemptId}`, ':a': 'A#', ':h': 'ATT' },
        ConsistentRead: true,
      }),
    );
    expect(items.Items).toHaveLength(pages);
    for (const item of items.Items!) expect(item.due, String(item.SK)).toBe(due);
    // A save on the last page after the first deadline lands.
    const lastIndex = draw.pages.lastIndexOf(pages - 1);
    clock.now = () => at(a.deadline, a.gracePeriodSeconds * 1000 + MIN);
    const late = await api.request('PUT', `/v1/attempts/${a.attemptId}/answers/q${lastIndex + 1}`, {
      token: a.attemptToken,
      body: { answer: 'idempotency key' },
    });
    expect(late.status).toBe(200);
  }, 60_000);
});

describe('a save racing an extension', () => {
  it('is decided by DynamoDB: stored under the new deadline, or refused because the attempt expired first; never lost', async () => {
    // Each round: the extension is asked for a second before the first deadline (with its grace
    // period), the save two seconds after it. Whichever DynamoDB applies first decides.
    const seen = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const a = await startOne();
      const due = at(a.deadline, a.gracePeriodSeconds * 1000);
      const q = a.questions[round % a.questions.length]!;
      const [ext, saved] = await Promise.allSettled([
        extendAttempt(
          boss,
          a.attemptId,
          { minutes: 10, reason: 'Race' },
          new Date(due.getTime() - 1000),
        ),
        answer(
          a.attemptId,
          a.attemptToken,
          q.questionId,
          perfectAnswer(q),
          at(due.toISOString(), 2000),
        ),
      ]);
      const extended = ext.status === 'fulfilled';
      const stored = saved.status === 'fulfilled';
      seen.add(`${extended ? 'extended' : 'finished'}/${stored ? 'saved' : 'refused'}`);
      if (!extended) {
        expect((ext.reason as DomainError).code).toBe('conflict');
      }
      if (!stored) {
        expect((saved.reason as DomainError).code).toBe('time-is-up');
      }
      // The two outcomes agree: an extension that happened admits the save; a save refused as
      // time-is-up means the attempt expired, so no extension happened.
      expect(stored).toBe(extended);
      // Finish the attempt and read what was graded.
      const after = at(due.toISOString(), 15 * MIN);
      await sweep(after);
      const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
        token: employer,
      });
      const graded = reportEntryOf(report.body, q)!;
      expect(graded.answered).toBe(stored);
      expect(report.body.status).toBe('expired');
      expect(report.body.completedAt).toBe(
        extended ? at(a.deadline, 10 * MIN).toISOString() : a.deadline,
      );
      const head = await readHead(a.attemptId);
      expect(head?.layout === 'v2' && head.state.status).toBe('expired');
    }
    console.log(`outcomes seen: ${[...seen].join(', ')}`);
  }, 120_000);

  it('stores a save sent after the extension, and refuses one that the expiry sealed out', async () => {
    // Extension first: the save two seconds after the first due lands.
    const first = await startOne();
    const due1 = at(first.deadline, first.gracePeriodSeconds * 1000);
    await extendAttempt(
      boss,
      first.attemptId,
      { minutes: 10, reason: 'x' },
      at(due1.toISOString(), -1000),
    );
    const q = first.questions[0]!;
    const ok = await answer(
      first.attemptId,
      first.attemptToken,
      q.questionId,
      perfectAnswer(q),
      at(due1.toISOString(), 2000),
    );
    expect(ok.deadline).toBe(at(first.deadline, 10 * MIN).toISOString());
    // Save first: it finds the attempt due and seals it; the extension that follows is 409.
    const second = await startOne();
    const due2 = at(second.deadline, second.gracePeriodSeconds * 1000);
    const q2 = second.questions[0]!;
    await expect(
      answer(
        second.attemptId,
        second.attemptToken,
        q2.questionId,
        perfectAnswer(q2),
        at(due2.toISOString(), 2000),
      ),
    ).rejects.toMatchObject({ code: 'time-is-up' });
    await expect(
      extendAttempt(
        boss,
        second.attemptId,
        { minutes: 10, reason: 'x' },
        at(due2.toISOString(), 3000),
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('retrying an extension', () => {
  it('extends once per Idempotency-Key, answering a retry (even a concurrent one) what the first request did', async () => {
    const a = await startOne();
    const key = crypto.randomUUID();
    const send = (minutes: number) =>
      api.request('POST', `/v1/attempts/${a.attemptId}/extend`, {
        token: employer,
        body: { minutes, reason: 'Lost response' },
        headers: { 'idempotency-key': key },
      });
    const [first, twin] = await Promise.all([send(20), send(20)]);
    expect(first.status).toBe(200);
    expect(twin.status).toBe(200);
    expect(twin.body.deadline).toBe(first.body.deadline);
    expect(first.body.deadline).toBe(at(a.deadline, 20 * MIN).toISOString());
    const again = await send(20);
    expect(again.body).toMatchObject({ deadline: first.body.deadline, extensionCount: 1 });
    expect(again.body.extension).toEqual(first.body.extension);
    // The same key for a different extension is refused; a new key extends again.
    expect((await send(30)).status).toBe(422);
    const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.extensions).toHaveLength(1);
    const short = await api.request('POST', `/v1/attempts/${a.attemptId}/extend`, {
      token: employer,
      body: { minutes: 5, reason: 'x' },
      headers: { 'idempotency-key': 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].path).toBe('header.idempotency-key');
  });
});

describe('what an extension refuses', () => {
  it('answers 409 for a submitted attempt and for one whose time ran out (finalising it)', async () => {
    const done = await startOne();
    await api.request('POST', `/v1/attempts/${done.attemptId}/submit`, {
      token: done.attemptToken,
    });
    const late = await extend(done.attemptId, { minutes: 5, reason: 'Too late' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toMatch(/problem\+json/);
    expect(late.body.detail).toMatch(/has finished \(submitted at /);
    expect(late.body.attemptStatus).toBe('submitted');

    const due = await startOne();
    clock.now = () => at(due.deadline, due.gracePeriodSeconds * 1000 + 1000);
    const expired = await extend(due.attemptId, { minutes: 5, reason: 'Too late' });
    expect(expired.status).toBe(409);
    expect(expired.body.detail).toMatch(/has finished \(expired at /);
    expect((await load(due.attemptId))!.state.status).toBe('expired');
  });

  it('names every invalid field: minutes 1-600 and a reason are required', async () => {
    const a = await startOne();
    const bad = await extend(a.attemptId, { minutes: 0, reason: '   ' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'minutes',
      'reason',
    ]);
    expect((await extend(a.attemptId, { minutes: 601, reason: 'x' })).status).toBe(400);
    expect((await extend(a.attemptId, { minutes: 1.5, reason: 'x' })).status).toBe(400);
    const missing = await extend(a.attemptId, { minutes: 5 });
    expect(missing.body.errors[0].path).toBe('reason');
    expect((await extend(a.attemptId, { minutes: 5, reason: 'x', extra: 1 })).status).toBe(400);
    // Nothing moved.
    const view = await api.request('GET', `/v1/attempts/${a.attemptId}`, {
      token: a.attemptToken,
    });
    expect(view.body.deadline).toBe(a.deadline);
  });

  it('bounds the total to 24 hours', async () => {
    const a = await startOne();
    expect((await extend(a.attemptId, { minutes: 600, reason: 'a' })).status).toBe(200);
    expect((await extend(a.attemptId, { minutes: 600, reason: 'b' })).status).toBe(200);
    const third = await extend(a.attemptId, { minutes: 600, reason: 'c' });
    expect(third.status).toBe(409);
    expect(third.body.detail).toContain('at most 240 minutes more');
    expect((await extend(a.attemptId, { minutes: 240, reason: 'c' })).status).toBe(200);
  });

  it('keeps other organisations and candidates out', async () => {
    const a = await startOne();
    const other = await api.token('employer', 'someone-else');
    expect((await extend(a.attemptId, { minutes: 5, reason: 'x' }, other)).status).toBe(404);
    expect((await extend(a.attemptId, { minutes: 5, reason: 'x' }, a.attemptToken)).status).toBe(
      401,
    );
    const author = await api.token('author', 'ext');
    expect((await extend(a.attemptId, { minutes: 5, reason: 'x' }, author)).status).toBe(403);
  });
});
