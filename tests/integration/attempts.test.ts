import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CallRecord, onDynamoCall } from '../../functions/data/client.ts';
import { clearQuestionCache } from '../../functions/data/question-cache.ts';
import { clock } from '../../functions/domain/clock.ts';
import { sweep } from '../../functions/jobs/sweeper.ts';
import { perfectAnswer, reportEntryOf, sampleBank } from './fixtures.ts';
import { type TestApi, useTestApi } from './support.ts';

const api = useTestApi();
let employer: string;
let assessmentId: string;

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

/** Freeze the server clock at `at` (ISO or Date); returns a setter to move it. */
function freezeClock(at: Date) {
  let now = at;
  clock.now = () => now;
  return (next: Date) => {
    now = next;
  };
}

async function invite(a: TestApi, n: number, extra: Record<string, unknown> = {}) {
  const res = await a.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: n }, (_, i) => ({
        name: `Candidate ${i}`,
        email: `c${i}@example.com`,
        ...extra,
      })),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations as { invitationId: string; token: string }[];
}

async function start(token: string) {
  return api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
}

function countCalls() {
  const calls: CallRecord[] = [];
  const stop = onDynamoCall((c) => calls.push(c));
  return { calls, stop };
}

beforeAll(async () => {
  employer = await api.token('employer', 'acme');
  const author = await api.token('author', 'acme');
  const up = await api.request('POST', '/v1/banks', { token: author, body: sampleBank('fx') });
  expect(up.status).toBe(201);
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Backend screen',
      timeLimitMinutes: 30,
      sections: [
        { area: 'security', count: 10 },
        { area: 'collaboration', count: 10 },
      ],
      passingScore: 60,
      showResultToCandidate: true,
    },
  });
  expect(created.status).toBe(201);
  assessmentId = created.body.assessmentId;
});

describe('assessments', () => {
  it('freezes a question pool per section and reports its size', async () => {
    const res = await api.request('GET', `/v1/assessments/${assessmentId}`, { token: employer });
    expect(res.body.sections).toEqual([
      { area: 'security', count: 10, difficulty: 'mixed', questionPool: expect.any(Number) },
      { area: 'collaboration', count: 10, difficulty: 'mixed', questionPool: expect.any(Number) },
    ]);
    expect(res.body.sections[0].questionPool).toBeGreaterThanOrEqual(10);
  });

  it('answers 422 naming each section the bank cannot fill and by how many', async () => {
    const res = await api.request('POST', '/v1/assessments', {
      token: employer,
      body: {
        title: 'Too big',
        timeLimitMinutes: 10,
        sections: [
          { area: 'security', count: 100, difficulty: 3 },
          { area: 'ai-ml', count: 5 },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'sections[0]',
      'sections[1]',
    ]);
    expect(res.body.detail).toMatch(
      /security at difficulty 3: needs 100 questions, the bank has \d+ published, \d+ short/,
    );
    expect(res.body.detail).toMatch(/ai-ml: needs 5 questions, the bank has 0 published, 5 short/);
  });

  it('rejects overlapping sections', async () => {
    const res = await api.request('POST', '/v1/assessments', {
      token: employer,
      body: {
        title: 'Overlap',
        timeLimitMinutes: 10,
        sections: [
          { area: 'security', count: 2 },
          { area: 'security', count: 2, difficulty: 1 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('sections[1]');
  });

  it("answers 404 for another organisation's assessment", async () => {
    const other = await api.token('employer', 'globex');
    const res = await api.request('GET', `/v1/assessments/${assessmentId}`, { token: other });
    expect(res.status).toBe(404);
  });
});

describe('starting an attempt', () => {
  it('yields exactly one attempt however many starts race', async () => {
    const [inv] = await invite(api, 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => start(inv!.token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.attemptId)).size).toBe(1);
    const list = await api.request('GET', `/v1/assessments/${assessmentId}/invitations?limit=200`, {
      token: employer,
    });
    expect(
      list.body.items.find((i: { invitationId: string }) => i.invitationId === inv!.invitationId)
        .status,
    ).toBe('started');
  }, 30_000);

  it('resumes with a new token that replaces the old one, showing the same test', async () => {
    const [inv] = await invite(api, 1);
    const first = await start(inv!.token);
    expect(first.status).toBe(201);
    const again = await start(inv!.token);
    expect(again.status).toBe(200);
    expect(again.body.attemptToken).not.toBe(first.body.attemptToken);
    expect(again.body.questions).toEqual(first.body.questions);
    const old = await api.request('GET', `/v1/attempts/${first.body.attemptId}`, {
      token: first.body.attemptToken,
    });
    expect(old.status).toBe(401);
    const fresh = await api.request('GET', `/v1/attempts/${first.body.attemptId}`, {
      token: again.body.attemptToken,
    });
    expect(fresh.status).toBe(200);
  });

  it('draws different tests for different candidates and shuffles options', async () => {
    const invs = await invite(api, 4);
    const tests = await Promise.all(
      invs.map(async (i) =>
        // Handles are q1..qN in every attempt: the prompts say which questions were drawn.
        (await start(i.token)).body.questions.map((q: { prompt: string }) => q.prompt).join(),
      ),
    );
    expect(new Set(tests).size).toBeGreaterThan(1);
  });

  it('answers 410 with a reason for revoked, expired and finished invitations', async () => {
    const [revoked, finished] = await invite(api, 2);
    expect(
      (await api.request('DELETE', `/v1/invitations/${revoked!.invitationId}`, { token: employer }))
        .status,
    ).toBe(204);
    const r = await start(revoked!.token);
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe('revoked');

    const s = await start(finished!.token);
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    const f = await start(finished!.token);
    expect(f.status).toBe(410);
    expect(f.body.reason).toBe('finished');

    const [late] = await invite(api, 1);
    freezeClock(new Date(Date.now() + 2 * 86_400_000));
    const e = await start(late!.token);
    expect(e.status).toBe(410);
    expect(e.body.reason).toBe('expired');
  });

  it('rejects a forged token with 401', async () => {
    const [inv] = await invite(api, 1);
    const forged = `${inv!.invitationId}.${'A'.repeat(43)}`;
    expect((await start(forged)).status).toBe(401);
    expect((await start('garbage')).status).toBe(401);
  });
});

describe('the server clock', () => {
  it('accepts an answer at deadline + grace - 1s and rejects one at deadline + grace + 1s', async () => {
    const t0 = new Date('2026-11-21T10:00:00.000Z');
    const setNow = freezeClock(t0);
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    expect(s.body.deadline).toBe('2026-11-21T10:30:00.000Z');
    const q = s.body.questions[0];
    const put = () =>
      api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
        token: s.body.attemptToken,
        body: { answer: perfectAnswer(q) },
      });
    setNow(new Date(Date.parse(s.body.deadline) + 10_000 - 1_000));
    expect((await put()).status).toBe(200);
    setNow(new Date(Date.parse(s.body.deadline) + 10_000 + 1_000));
    const late = await put();
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('time-is-up');
    const after = await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    expect(after.body.status).toBe('expired');
  });

  it('stretches the deadline by extraTimePercent', async () => {
    freezeClock(new Date('2026-11-21T10:00:00.000Z'));
    const [inv] = await invite(api, 1, { extraTimePercent: 50 });
    const s = await start(inv!.token);
    expect(s.body.deadline).toBe('2026-11-21T10:45:00.000Z');
  });
});

describe('answers', () => {
  it('rejects an option id that is not in the question, naming the allowed ones', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const q = s.body.questions.find((x: { type: string }) => x.type === 'sjt');
    const res = await api.request(
      'PUT',
      `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`,
      { token: s.body.attemptToken, body: { answer: 'zz' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'answer' });
    // Named by this attempt's handles (in the order shown), never the bank's ids.
    expect(res.body.errors[0].message).toMatch(/option ids: o1, o2, o3, o4\.$/);
    const missing = await api.request(
      'PUT',
      `/v1/attempts/${s.body.attemptId}/answers/not-in-this-attempt`,
      { token: s.body.attemptToken, body: { answer: 'a' } },
    );
    expect(missing.status).toBe(404);
  });

  it('answers numbers DynamoDB cannot store with 400, not 500', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const q = s.body.questions[0];
    for (const answer of ['1e308', '9007199254740993', '1.2345678901234567e-300']) {
      const res = await api.request(
        'PUT',
        `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`,
        {
          token: s.body.attemptToken,
          raw: `{"answer":${answer}}`,
          contentType: 'application/json',
        },
      );
      expect(res.status, String(answer)).toBe(400);
      expect(res.body.errors[0].path).toBe('answer');
    }
  });

  it('loses no acknowledged answer with 50 candidates saving 20 answers each at once', async () => {
    const invs = await invite(api, 50);
    const attempts = await Promise.all(invs.map(async (i) => (await start(i.token)).body));
    const responses = await Promise.all(
      attempts.flatMap((a) =>
        a.questions.map((q: { questionId: string; type: string }) =>
          api
            .request('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, {
              token: a.attemptToken,
              body: { answer: perfectAnswer(q) },
            })
            .then((r) => ({ a, q, r })),
        ),
      ),
    );
    expect(responses.filter((x) => x.r.status >= 500)).toEqual([]);
    expect(responses.every((x) => x.r.status === 200)).toBe(true);
    const submitted = await Promise.all(
      attempts.map((a) =>
        api.request('POST', `/v1/attempts/${a.attemptId}/submit`, { token: a.attemptToken }),
      ),
    );
    for (const s of submitted) {
      expect(s.status).toBe(200);
      expect(s.body.result.score).toBe(100);
    }
    for (const a of attempts) {
      const report = await api.request('GET', `/v1/attempts/${a.attemptId}/report`, {
        token: employer,
      });
      expect(report.body.questions).toHaveLength(20);
      expect(report.body.questions.every((q: { score: number }) => q.score === 1)).toBe(true);
    }
  }, 120_000);
});

describe('finishing', () => {
  it('grades every answer acknowledged with 200, even when saves race the submit', async () => {
    const invs = await invite(api, 8);
    for (const inv of invs) {
      const s = await start(inv.token);
      const auth = { token: s.body.attemptToken };
      const saves = s.body.questions.map(
        (q: { questionId: string; type: string; prompt: string }) =>
          api
            .request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
              ...auth,
              body: { answer: perfectAnswer(q) },
            })
            .then((r) => ({ q, ok: r.status === 200 })),
      );
      const submit = new Promise((r) => setTimeout(r, 5)).then(() =>
        api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, auth),
      );
      const [acks, sub] = await Promise.all([Promise.all(saves), submit]);
      expect(sub.status).toBe(200);
      const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
        token: employer,
      });
      for (const a of acks.filter((x) => x.ok))
        expect(reportEntryOf(report.body, a.q)?.score, a.q.questionId).toBe(1);
    }
  }, 60_000);

  it("shows each saved answer in the report as its question's type renders it", async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const auth = { token: s.body.attemptToken };
    const [unanswered, ...answered] = s.body.questions as {
      questionId: string;
      type: string;
      prompt: string;
    }[];
    for (const q of answered) {
      const save = await api.request(
        'PUT',
        `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`,
        { ...auth, body: { answer: perfectAnswer(q) } },
      );
      expect(save.status).toBe(200);
    }
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, auth);
    const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: employer,
    });
    const rendered: Record<string, string> = {
      single: 'b — Bravo',
      multi: 'a — Alpha; c — Charlie',
      order: '1. d — Delta; 2. c — Charlie; 3. b — Bravo; 4. a — Alpha',
      numeric: '42',
      text: '"Idempotency Key"',
      sjt: 'a — Alpha',
    };
    expect(reportEntryOf(report.body, unanswered!)?.answer).toBeUndefined();
    for (const q of answered)
      expect(reportEntryOf(report.body, q)?.answer, q.type).toBe(rendered[q.type]);
  });

  it('returns identical bodies when submit is called twice', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const one = await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    const two = await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    expect(one.status).toBe(200);
    expect(two.text).toBe(one.text);
    expect(one.body.status).toBe('submitted');
    const save = await api.request(
      'PUT',
      `/v1/attempts/${s.body.attemptId}/answers/${s.body.questions[0].questionId}`,
      { token: s.body.attemptToken, body: { answer: 'a' } },
    );
    expect(save.status).toBe(409);
    expect(save.body.code).toBe('already-submitted');
  });

  it("finalises a timed-out attempt in the sweeper with its saved answers, and submit then returns the sweeper's result", async () => {
    const t0 = new Date('2026-11-21T12:00:00.000Z');
    const setNow = freezeClock(t0);
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const q = s.body.questions[0];
    await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
      token: s.body.attemptToken,
      body: { answer: perfectAnswer(q) },
    });
    setNow(new Date(t0.getTime() + 31 * 60_000));
    const first = await sweep(clock.now());
    expect(first.finalised).toBeGreaterThanOrEqual(1);
    const second = await sweep(clock.now());
    expect(second.finalised).toBe(0);
    const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.status).toBe('expired');
    expect(report.body.completedAt).toBe(s.body.deadline);
    expect(reportEntryOf(report.body, q)?.score).toBe(1);
    const sub = await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    expect(sub.body.status).toBe('expired');
    expect(sub.body.result.score).toBe(report.body.score);
  });
});

describe('results', () => {
  it('ranks completed attempts best first and serves CSV with one row each', async () => {
    const res = await api.request('GET', `/v1/assessments/${assessmentId}/results?limit=200`, {
      token: employer,
    });
    expect(res.status).toBe(200);
    const scores = res.body.items.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const csv = await api.request('GET', `/v1/assessments/${assessmentId}/results?limit=200`, {
      token: employer,
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(res.body.items.length + 1);
  });

  it('answers in the media type the Accept header prefers, by its q-values', async () => {
    const as = async (accept: string) =>
      (
        await api.request('GET', `/v1/assessments/${assessmentId}/results?limit=5`, {
          token: employer,
          headers: { accept },
        })
      ).headers.get('content-type');

    expect(await as('text/csv;q=0.5, application/json')).toMatch(/application\/json/);
    expect(await as('application/json;q=0.5, text/csv')).toMatch(/text\/csv/);
    expect(await as('text/*')).toMatch(/text\/csv/);
    expect(await as('*/*')).toMatch(/application\/json/);
    expect(await as('text/csv;q=0')).toMatch(/application\/json/);
  });
});

describe('access control', () => {
  it('refuses a candidate token on a staff route with 401', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const res = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: s.body.attemptToken,
    });
    expect(res.status).toBe(401);
  });

  it("answers 404 for another organisation's attempt report", async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const other = await api.token('employer', 'globex');
    expect(
      (await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, { token: other }))
        .status,
    ).toBe(404);
  });

  it('refuses to erase the data of an attempt still in progress, and erases it once finished', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    const erase = () =>
      api.request('DELETE', `/v1/invitations/${inv!.invitationId}/candidate-data`, {
        token: employer,
      });
    const early = await erase();
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/in progress until/);
    const q = s.body.questions[0];
    await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
      token: s.body.attemptToken,
      body: { answer: perfectAnswer(q) },
    });
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    const reportNow = () =>
      api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, { token: employer });
    const before = await reportNow();
    expect(before.body.questions[0].answer).toBeTypeOf('string');
    expect((await erase()).status).toBe(204);
    const report = await reportNow();
    expect(report.body.integrity.signals).toEqual([]);
    // The answer as text is the candidate's: erased; the score stays.
    expect(report.body.questions.map((x: { answer?: string }) => x.answer)).toEqual(
      report.body.questions.map(() => undefined),
    );
    expect(report.body.questions[0].score).toBe(before.body.questions[0].score);
  });

  it('keeps resuming however often a client resumes, recording only the first sessions', async () => {
    const [inv] = await invite(api, 1);
    let last = await start(inv!.token);
    for (let i = 0; i < 25; i++) {
      last = await api.request('POST', '/v1/attempts', {
        body: { invitationToken: inv!.token },
        headers: { 'user-agent': `agent-${i}-${'x'.repeat(150)}` },
      });
      expect(last.status).toBe(200);
    }
    const attempt = await api.request('GET', `/v1/attempts/${last.body.attemptId}`, {
      token: last.body.attemptToken,
    });
    expect(attempt.status).toBe(200);
    const { db, tableName } = await import('../../functions/data/client.ts');
    const { QueryCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { MAX_RECORDED_SESSIONS } = await import('../../functions/data/attempts.ts');
    const { keys } = await import('../../functions/data/keys.ts');
    const sessions = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ses)',
        ExpressionAttributeValues: { ':pk': `ATT#${last.body.attemptId}`, ':ses': 'SES#' },
      }),
    );
    // The start is the first recorded session (on the draw); resumes fill the rest.
    expect(sessions.Items).toHaveLength(MAX_RECORDED_SESSIONS - 1);
    const head = await db().send(
      new GetCommand({ TableName: tableName(), Key: keys.attempt(last.body.attemptId) }),
    );
    expect(head.Item!.rc).toBe(25);
  });

  it('revokes an unused invitation when erasing its candidate, so the link collects nothing more', async () => {
    const [inv] = await invite(api, 1);
    expect(
      (
        await api.request('DELETE', `/v1/invitations/${inv!.invitationId}/candidate-data`, {
          token: employer,
        })
      ).status,
    ).toBe(204);
    const res = await start(inv!.token);
    expect(res.status).toBe(410);
    expect(res.body.reason).toBe('revoked');
  });

  it('erases a candidate’s personal data but keeps the score', async () => {
    const [inv] = await invite(api, 1);
    const s = await start(inv!.token);
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    expect(
      (
        await api.request('DELETE', `/v1/invitations/${inv!.invitationId}/candidate-data`, {
          token: employer,
        })
      ).status,
    ).toBe(204);
    const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.candidate).toEqual({});
    expect(report.body.score).toBeTypeOf('number');
  });
});

describe('idempotent invitations', () => {
  const body = () => ({
    candidates: [{ name: 'Ada' }, { name: 'Linus' }],
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });

  it('returns the same invitations with the same tokens for a retry with the same Idempotency-Key', async () => {
    const b = body();
    const send = () =>
      api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
        token: employer,
        body: b,
        headers: { 'idempotency-key': 'a3c1f6e2-batch-42-7d1e' },
      });
    const one = await send();
    const two = await send();
    expect(two.status).toBe(201);
    expect(two.body.invitations).toEqual(one.body.invitations);
    expect((await start(one.body.invitations[0].token)).status).toBe(201);
    const list = await api.request('GET', `/v1/assessments/${assessmentId}/invitations?limit=200`, {
      token: employer,
    });
    expect(
      list.body.items.filter((i: { candidate: { name?: string } }) => i.candidate.name === 'Linus')
        .length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('gives concurrent retries the same tokens, all of which work', async () => {
    const b = body();
    const sends = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
          token: employer,
          body: b,
          headers: { 'idempotency-key': 'b7d2e4f1-concurrent-7' },
        }),
      ),
    );
    for (const r of sends) expect(r.status).toBe(201);
    const tokens = new Set(sends.map((r) => r.body.invitations[0].token));
    expect(tokens.size).toBe(1);
    expect((await start([...tokens][0]!)).status).toBe(201);
  });

  it('shows a token again only while its invitation is unused', async () => {
    const b = body();
    const send = () =>
      api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
        token: employer,
        body: b,
        headers: { 'idempotency-key': 'd4e5f6a7-used-then-retried' },
      });
    const one = await send();
    expect((await start(one.body.invitations[0].token)).status).toBe(201);
    const two = await send();
    expect(two.body.invitations[0]).toMatchObject({
      invitationId: one.body.invitations[0].invitationId,
      status: 'started',
    });
    expect(two.body.invitations[0].token).toBeUndefined();
    expect(two.body.invitations[1].token).toBe(one.body.invitations[1].token);
  });

  it('refuses a guessable Idempotency-Key: the tokens derive from it', async () => {
    const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
      token: employer,
      body: body(),
      headers: { 'idempotency-key': 'order-42' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('header.idempotency-key');
  });

  it('refuses a reused Idempotency-Key with a different body with 422', async () => {
    const send = (name: string) =>
      api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
        token: employer,
        body: {
          candidates: [{ name }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        headers: { 'idempotency-key': 'c9e8d7f6-reused-key' },
      });
    expect((await send('First')).status).toBe(201);
    const second = await send('Second');
    expect(second.status).toBe(422);
  });
});

describe('DynamoDB calls per operation', () => {
  // The layout trades a call for capacity: a start writes the invitation, the draw and the head
  // separately (6 WCU instead of a 13 WCU transaction), submit seals, reads, then writes the
  // result, the row and the invitation (8 WCU instead of 50). docs/access-patterns.md#capacity.
  it('start <= 4 calls plus one batch read of uncached questions; save exactly 1; submit <= 5 without a transaction; results 1 Query; no Scan', async () => {
    const [inv] = await invite(api, 1);
    clearQuestionCache();
    const c = countCalls();
    const s = await start(inv!.token);
    const startCalls = c.calls.splice(0).map((x) => x.operation);
    expect(startCalls.filter((o) => o !== 'BatchGetItem').length).toBeLessThanOrEqual(4);
    expect(startCalls.filter((o) => o === 'BatchGetItem').length).toBeLessThanOrEqual(1);
    const q = s.body.questions[0];
    await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
      token: s.body.attemptToken,
      body: { answer: perfectAnswer(q) },
    });
    expect(c.calls.splice(0).map((x) => x.operation)).toEqual(['UpdateItem']);
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
      token: s.body.attemptToken,
    });
    const submitCalls = c.calls.splice(0).map((x) => x.operation);
    expect(submitCalls.length).toBeLessThanOrEqual(5);
    expect(submitCalls).not.toContain('TransactWriteItems');
    await api.request('GET', `/v1/assessments/${assessmentId}/results`, { token: employer });
    expect(c.calls.splice(0).map((x) => x.operation)).toEqual(['Query']);
    c.stop();
    console.log(`calls: start ${startCalls.join('+')}, submit ${submitCalls.join('+')}`);
  });
});
