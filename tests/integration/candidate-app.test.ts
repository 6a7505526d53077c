import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { clock } from '../../functions/domain/clock.ts';
import { MAX_EVENT_BATCHES } from '../../functions/domain/integrity.ts';
import { reportEntryOf, sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let employer: string;
let assessmentId: string;

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

beforeAll(async () => {
  employer = await api.token('employer', 'initech');
  const author = await api.token('author', 'initech');
  expect(
    (await api.request('POST', '/v1/banks', { token: author, body: sampleBank('ca', 6) })).status,
  ).toBe(201);
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Platform engineer screen',
      timeLimitMinutes: 20,
      sections: [
        { area: 'security', count: 3 },
        { area: 'collaboration', count: 2 },
      ],
      showResultToCandidate: false,
    },
  });
  expect(created.status).toBe(201);
  assessmentId = created.body.assessmentId;
});

async function invite(candidate: Record<string, unknown> = {}, expiresInMs = 86_400_000) {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: [{ name: 'Ada Lovelace', ...candidate }],
      expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations[0] as { invitationId: string; token: string };
}

const inspect = (invitationToken: string) =>
  api.request('POST', '/v1/invitations/inspect', { body: { invitationToken } });

async function startAttempt(token: string) {
  const res = await api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
  expect(res.status).toBe(201);
  return res.body as {
    attemptId: string;
    attemptToken: string;
    questions: { questionId: string; prompt: string }[];
  };
}

describe('POST /v1/invitations/inspect', () => {
  it('describes the invitation for the intro screen without starting anything', async () => {
    const inv = await invite({ extraTimePercent: 25 });

    const res = await inspect(inv.token);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      status: 'pending',
      organisation: { name: 'initech' },
      candidate: { name: 'Ada Lovelace' },
      assessment: {
        title: 'Platform engineer screen',
        timeLimitMinutes: 20,
        extraTimePercent: 25,
        timeAllowedSeconds: 1500,
        questionCount: 5,
        showResultToCandidate: false,
        sections: [
          { area: 'security', name: 'Security', kind: 'technical', count: 3 },
          { area: 'collaboration', name: 'Collaboration', kind: 'soft', count: 2 },
        ],
      },
      expiresAt: expect.any(String),
      locale: 'en',
      serverTime: expect.any(String),
    });
    const listed = await api.request('GET', `/v1/assessments/${assessmentId}/invitations`, {
      token: employer,
    });
    const row = listed.body.items.find(
      (i: { invitationId: string }) => i.invitationId === inv.invitationId,
    );
    expect(row.status).toBe('pending');
    expect(row.attemptId).toBeUndefined();
  });

  it("shows the organisation's display name and the invitation's language", async () => {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.organisationProfile('initech'), name: 'Initech GmbH' },
      }),
    );
    const inv = await invite({ locale: 'ru' });

    const res = await inspect(inv.token);

    expect(res.body.organisation).toEqual({ name: 'Initech GmbH' });
    expect(res.body.locale).toBe('ru');
  });

  it('reports a started attempt with its deadline, so the page offers to continue', async () => {
    const inv = await invite();
    await startAttempt(inv.token);

    const res = await inspect(inv.token);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('started');
    expect(Date.parse(res.body.deadline) - Date.parse(res.body.startedAt)).toBe(20 * 60_000);
  });

  it('answers 401 for a token that is not an invitation and 410 with the reason otherwise', async () => {
    const revoked = await invite();
    await api.request('DELETE', `/v1/invitations/${revoked.invitationId}`, { token: employer });
    const finished = await invite();
    const attempt = await startAttempt(finished.token);
    await api.request('POST', `/v1/attempts/${attempt.attemptId}/submit`, {
      token: attempt.attemptToken,
    });
    const expired = await invite({}, 60_000);
    const running = await invite();
    await startAttempt(running.token);

    const bad = await inspect(`${revoked.token.split('.')[0]}.${'x'.repeat(43)}`);
    const missing = await api.request('POST', '/v1/invitations/inspect', { body: {} });
    const gone = [await inspect(revoked.token), await inspect(finished.token)];
    clock.now = () => new Date(Date.now() + 2 * 60 * 60_000);
    const late = [await inspect(expired.token), await inspect(running.token)];

    expect(bad.status).toBe(401);
    expect(bad.body.detail).toMatch(/not valid/);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('invitationToken');
    expect(gone.map((r) => [r.status, r.body.reason, r.body.locale])).toEqual([
      [410, 'revoked', 'en'],
      [410, 'finished', 'en'],
    ]);
    expect(late.map((r) => [r.status, r.body.reason, r.body.locale])).toEqual([
      [410, 'expired', 'en'],
      [410, 'finished', 'en'],
    ]);
    expect(bad.body.locale).toBeUndefined();
  });

  it("names the candidate's language in a 410, for the inspect and the start alike", async () => {
    const expired = await invite({ locale: 'ru' }, 60_000);
    const revoked = await invite({ locale: 'ru' });
    await api.request('DELETE', `/v1/invitations/${revoked.invitationId}`, { token: employer });
    clock.now = () => new Date(Date.now() + 2 * 60 * 60_000);

    const answers = [
      await inspect(expired.token),
      await api.request('POST', '/v1/attempts', { body: { invitationToken: expired.token } }),
      await inspect(revoked.token),
      await api.request('POST', '/v1/attempts', { body: { invitationToken: revoked.token } }),
    ];

    expect(answers.map((r) => [r.status, r.body.reason, r.body.locale])).toEqual([
      [410, 'expired', 'ru'],
      [410, 'expired', 'ru'],
      [410, 'revoked', 'ru'],
      [410, 'revoked', 'ru'],
    ]);
  });
});

describe('POST /v1/attempts/{attemptId}/events', () => {
  const post = (attemptId: string, token: string, body: unknown) =>
    api.request('POST', `/v1/attempts/${attemptId}/events`, { token, body });

  it('stores page events timed by the server and reports them as signals with counts and times', async () => {
    const inv = await invite();
    const attempt = await startAttempt(inv.token);
    const [q1, q2] = attempt.questions.map((q) => q.questionId);
    const t0 = Date.now();
    clock.now = () => new Date(t0 + 60_000);

    const first = await post(attempt.attemptId, attempt.attemptToken, {
      events: [
        { type: 'hidden', ageMs: 30_000, questionId: q1 },
        { type: 'visible', ageMs: 10_000, questionId: q1 },
        { type: 'paste', ageMs: 5_000, questionId: q2, chars: 120 },
      ],
    });
    clock.now = () => new Date(t0 + 120_000);
    await post(attempt.attemptId, attempt.attemptToken, {
      events: [
        { type: 'hidden', ageMs: 0, questionId: q2 },
        { type: 'paste', ageMs: 0, questionId: 'not-in-this-attempt', chars: 8 },
      ],
    });
    clock.now = () => new Date(t0 + 150_000);
    await post(attempt.attemptId, attempt.attemptToken, {
      events: [{ type: 'visible', ageMs: 0 }],
    });
    await api.request('POST', `/v1/attempts/${attempt.attemptId}/submit`, {
      token: attempt.attemptToken,
    });
    const report = await api.request('GET', `/v1/attempts/${attempt.attemptId}/report`, {
      token: employer,
    });

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ recorded: 3, serverTime: new Date(t0 + 60_000).toISOString() });
    // The events named the questions by handle; the report names them by their bank ids.
    const [id1, id2] = attempt.questions.map((q) => reportEntryOf(report.body, q)!.questionId);
    expect([id1, id2]).not.toContain(q1);
    const signals = report.body.integrity.signals;
    expect(signals.find((s: { type: string }) => s.type === 'page-hidden')).toEqual({
      type: 'page-hidden',
      at: new Date(t0 + 30_000).toISOString(),
      detail:
        'The assessment page was hidden 2 times, 50 s in all (longest 30 s): another tab, window or application was in front.',
      count: 2,
      times: [new Date(t0 + 30_000).toISOString(), new Date(t0 + 120_000).toISOString()],
      questionIds: [id1, id2],
    });
    expect(signals.find((s: { type: string }) => s.type === 'paste')).toEqual({
      type: 'paste',
      at: new Date(t0 + 55_000).toISOString(),
      detail: 'Text was pasted 2 times into the answer of 1 question, 128 characters in all.',
      count: 2,
      times: [new Date(t0 + 55_000).toISOString(), new Date(t0 + 120_000).toISOString()],
      questionIds: [id2],
    });
  });

  it('stores a batch sent again under the same batch id once, and answers the retry as the first', async () => {
    const inv = await invite();
    const attempt = await startAttempt(inv.token);
    const batch = {
      batchId: 'f3a1c29e7b5d4e0f8a6b2c1d9e8f7a60',
      events: [{ type: 'hidden', ageMs: 0 }],
    };

    const first = await post(attempt.attemptId, attempt.attemptToken, batch);
    const retried = await post(attempt.attemptId, attempt.attemptToken, batch);
    const badId = await post(attempt.attemptId, attempt.attemptToken, {
      ...batch,
      batchId: 'short',
    });
    await api.request('POST', `/v1/attempts/${attempt.attemptId}/submit`, {
      token: attempt.attemptToken,
    });
    const report = await api.request('GET', `/v1/attempts/${attempt.attemptId}/report`, {
      token: employer,
    });
    const counter = await db().send(
      new QueryCommand({
        TableName: api.table,
        KeyConditionExpression: 'PK = :pk AND SK = :sk',
        ExpressionAttributeValues: { ':pk': `ATT#${attempt.attemptId}`, ':sk': 'EVENTS' },
      }),
    );

    expect(first.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.body.recorded).toBe(first.body.recorded);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe('batchId');
    const hidden = report.body.integrity.signals.find(
      (s: { type: string }) => s.type === 'page-hidden',
    );
    expect(hidden.count).toBe(1);
    // The retry did not count against the attempt's bound either.
    expect(counter.Items?.[0]?.batches).toBe(1);
  });

  it('refuses a stale token, an invalid batch and a finished attempt', async () => {
    const inv = await invite();
    const attempt = await startAttempt(inv.token);
    const resumed = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv.token },
    });

    const stale = await post(attempt.attemptId, attempt.attemptToken, {
      events: [{ type: 'hidden', ageMs: 0 }],
    });
    const invalid = await post(attempt.attemptId, resumed.body.attemptToken, {
      events: [{ type: 'copy', ageMs: -1, text: 'secret' }],
    });
    const empty = await post(attempt.attemptId, resumed.body.attemptToken, { events: [] });
    await api.request('POST', `/v1/attempts/${attempt.attemptId}/submit`, {
      token: resumed.body.attemptToken,
    });
    const after = await post(attempt.attemptId, resumed.body.attemptToken, {
      events: [{ type: 'visible', ageMs: 0 }],
    });

    expect(stale.status).toBe(401);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'events[0].ageMs',
      'events[0].text',
      'events[0].type',
    ]);
    expect(empty.status).toBe(400);
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('already-submitted');
  });

  it(`keeps at most ${MAX_EVENT_BATCHES} batches per attempt`, async () => {
    const inv = await invite();
    const attempt = await startAttempt(inv.token);
    const send = () =>
      post(attempt.attemptId, attempt.attemptToken, { events: [{ type: 'hidden', ageMs: 0 }] });

    const statuses: number[] = [];
    for (let i = 0; i < MAX_EVENT_BATCHES; i++) statuses.push((await send()).status);
    const over = await send();

    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(over.status).toBe(409);
    expect(over.body.detail).toMatch(/as many page events as it keeps/);
  }, 60_000);

  it("are erased with the candidate's data", async () => {
    const inv = await invite();
    const attempt = await startAttempt(inv.token);
    await post(attempt.attemptId, attempt.attemptToken, {
      events: [{ type: 'paste', ageMs: 0, chars: 3 }],
    });
    await api.request('POST', `/v1/attempts/${attempt.attemptId}/submit`, {
      token: attempt.attemptToken,
    });

    const erased = await api.request(
      'DELETE',
      `/v1/invitations/${inv.invitationId}/candidate-data`,
      { token: employer },
    );
    const left = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ev)',
        ExpressionAttributeValues: { ':pk': `ATT#${attempt.attemptId}`, ':ev': 'EV' },
      }),
    );

    expect(erased.status).toBe(204);
    expect(left.Items).toEqual([]);
  });
});
