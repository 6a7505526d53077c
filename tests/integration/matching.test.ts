import { beforeAll, describe, expect, it } from 'vitest';
import { rightId } from '../../functions/domain/question-types/matching.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();

const PAIRS = [
  { left: 'The request body is not valid JSON', right: '400' },
  { left: 'The bearer token has expired', right: '401' },
  { left: 'The If-Match version is stale', right: '412' },
  { left: 'Too many requests from this client', right: '429' },
];

let author: string;
let employer: string;

beforeAll(async () => {
  author = await api.token('author', 'match');
  employer = await api.token('employer', 'match');
  const up = await api.request('POST', '/v1/banks', {
    token: author,
    body: {
      bank: { id: 'match-bank', title: 'Matching' },
      questions: [
        {
          id: 'status-codes',
          area: 'api-first',
          type: 'matching',
          difficulty: 1,
          prompt: 'Match each situation with the status code a REST API should answer.',
          answer: { pairs: PAIRS },
          explanation: '400 malformed, 401 credentials, 412 precondition, 429 rate limit.',
          tags: ['http-status-codes'],
        },
      ],
    },
  });
  expect(up.status).toBe(201);
});

async function startOne() {
  const a = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: { title: 'Codes', timeLimitMinutes: 5, sections: [{ area: 'api-first', count: 1 }] },
  });
  expect(a.status).toBe(201);
  const inv = await api.request('POST', `/v1/assessments/${a.body.assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: [{ name: 'M' }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  return api.request('POST', '/v1/attempts', {
    body: { invitationToken: inv.body.invitations[0].token },
  });
}

describe('a matching question over HTTP', () => {
  it('is stored as uploaded and shown to its author with its pairs', async () => {
    const q = await api.request('GET', '/v1/questions/status-codes', { token: author });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ type: 'matching', answer: { pairs: PAIRS } });
  });

  it('shows a candidate the left-hand items in order and the right-hand ones without the pairs', async () => {
    const s = await startOne();
    expect(s.status).toBe(201);
    const [q] = s.body.questions;
    expect(Object.keys(q).sort()).toEqual([
      'area',
      'left',
      'prompt',
      'questionId',
      'right',
      'type',
    ]);
    expect(q.left).toEqual(PAIRS.map((p) => p.left));
    expect(q.right.map((r: { text: string }) => r.text).sort()).toEqual([
      '400',
      '401',
      '412',
      '429',
    ]);
    for (const r of q.right) expect(r.id).toMatch(/^r[0-9a-f]{10}$/);
    expect(s.text).not.toContain('pairs');
    expect(s.text).not.toContain('400 malformed');
    const again = await api.request('GET', `/v1/attempts/${s.body.attemptId}`, {
      token: s.body.attemptToken,
    });
    expect(again.body.questions[0]).toEqual(q);
  });

  it('refuses an answer that is not one entry per left-hand item, saying what it takes', async () => {
    const s = await startOne();
    const q = s.body.questions[0];
    const res = await api.request(
      'PUT',
      `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`,
      {
        token: s.body.attemptToken,
        body: { answer: [q.right[0].id] },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('answer');
    expect(res.body.errors[0].message).toMatch(/matching question takes a list/);
  });
  it('saves answers with unmatched items, grades each correct pair, and reports the pairs', async () => {
    const s = await startOne();
    const auth = { token: s.body.attemptToken };
    const put = (answer: unknown) =>
      // The attempt's one question, by its handle; its right-hand ids are hashes, not handles.
      api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/q1`, {
        ...auth,
        body: { answer },
      });
    const ids = PAIRS.map((p) => rightId(p.right));
    expect((await put([ids[0], null, null, null])).status).toBe(200);
    const saved = await put([ids[0], ids[1], ids[2], null]);
    expect(saved.status, saved.text).toBe(200);
    const view = await api.request('GET', `/v1/attempts/${s.body.attemptId}`, auth);
    expect(view.body.answers.q1).toEqual([ids[0], ids[1], ids[2], null]);
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, auth);
    const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.questions[0]).toMatchObject({
      questionId: 'status-codes',
      score: 0.75,
      answer:
        'The request body is not valid JSON → 400; The bearer token has expired → 401; The If-Match version is stale → 412; Too many requests from this client → (no match)',
    });
  });
});
