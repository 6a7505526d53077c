/**
 * Preview attempts (issue 16 item 6): an employer takes their own assessment as a candidate
 * would, and the preview counts nowhere: not in results (JSON or CSV), norms, item statistics,
 * the statistics consumer's work, or AttemptCompleted events; it uses no invitation.
 * docs/state-machines.md#preview-attempts.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDraw } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import type { AttemptCompletedDetail } from '../../functions/data/events.ts';
import { keys } from '../../functions/data/keys.ts';
import { readNorms } from '../../functions/data/statistics.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { clock } from '../../functions/domain/clock.ts';
import { handler as statistics } from '../../functions/jobs/stream.ts';
import { sweep } from '../../functions/jobs/sweeper.ts';
import { perfectAnswer, sampleBank } from './fixtures.ts';
import { type ApiResponse, useTestApi } from './support.ts';

// Every AttemptCompleted the consumer publishes, still published by the real function.
const published = vi.hoisted(() => [] as string[]);
vi.mock('../../functions/data/events.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../functions/data/events.ts')>();
  return {
    ...real,
    publishAttemptCompleted: async (d: AttemptCompletedDetail) => {
      published.push(d.attemptId);
      return real.publishAttemptCompleted(d);
    },
  };
});

const api = useTestApi({ streams: true });
let employer: string;
let author: string;
let assessmentId: string;
const ORG = 'pv';

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

beforeAll(async () => {
  employer = await api.token('employer', ORG);
  author = await api.token('author', ORG);
  expect(
    (await api.request('POST', '/v1/banks', { token: author, body: sampleBank('pv', 6) })).status,
  ).toBe(201);
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Preview me',
      timeLimitMinutes: 20,
      sections: [
        { area: 'security', count: 4 },
        { area: 'collaboration', count: 4 },
      ],
      showResultToCandidate: true,
    },
  });
  expect(created.status).toBe(201);
  assessmentId = created.body.assessmentId;
}, 60_000);

const preview = (id = assessmentId, token = employer) =>
  api.request('POST', `/v1/assessments/${id}/preview`, { token });

interface View {
  attemptId: string;
  attemptToken: string;
  deadline: string;
  gracePeriodSeconds: number;
  questions: { questionId: string; type: string }[];
}

/** The bank ids of an attempt's questions, as the employer's report names them. */
async function reportedIds(attemptId: string): Promise<string[]> {
  const report = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
    token: employer,
  });
  expect(report.status).toBe(200);
  return report.body.questions.map((q: { questionId: string }) => q.questionId);
}

async function answerAllAndSubmit(v: View): Promise<ApiResponse> {
  for (const q of v.questions) {
    const res = await api.request('PUT', `/v1/attempts/${v.attemptId}/answers/${q.questionId}`, {
      token: v.attemptToken,
      body: { answer: perfectAnswer(q) },
    });
    expect(res.status).toBe(200);
  }
  return api.request('POST', `/v1/attempts/${v.attemptId}/submit`, { token: v.attemptToken });
}

async function candidateAttempt(): Promise<View> {
  const inv = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: [{ name: 'Real candidate' }],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  const res = await api.request('POST', '/v1/attempts', {
    body: { invitationToken: inv.body.invitations[0].token },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const invitations = async () =>
  (
    await api.request('GET', `/v1/assessments/${assessmentId}/invitations?limit=200`, {
      token: employer,
    })
  ).body.items as { invitationId: string }[];

async function rawItem(key: { PK: string; SK: string }) {
  return (
    await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))
  ).Item;
}

describe('starting a preview', () => {
  it("returns what a candidate's start returns, a take link with the token in its fragment, and no key", async () => {
    const before = (await invitations()).length;
    const res = await preview();
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const v = res.body;
    expect(v).toMatchObject({
      status: 'active',
      preview: true,
      assessment: { title: 'Preview me' },
    });
    expect(v.questions).toHaveLength(8);
    expect(v.attemptToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(v.takeUrl).toBe(`/take#preview:${v.attemptId}.${v.attemptToken}`);
    // The link keeps the token after `#`: a browser never sends it to a server.
    expect(new URL(v.takeUrl, 'http://x').pathname).toBe('/take');
    for (const q of v.questions)
      for (const field of Object.keys(q))
        expect(['questionId', 'area', 'type', 'prompt', 'options']).toContain(field);
    // The candidate routes take it like any attempt.
    const view = await api.request('GET', `/v1/attempts/${v.attemptId}`, {
      token: v.attemptToken,
    });
    expect(view.status).toBe(200);
    expect(view.body.preview).toBe(true);
    // No invitation of the assessment was used or listed.
    expect((await invitations()).length).toBe(before);
  });

  it('uses an internal invitation that no link can start and that is never listed', async () => {
    const v = (await preview()).body;
    const draw = (await getDraw(v.attemptId))!;
    expect(draw.preview).toBe(true);
    const inv = await rawItem(keys.invitation(draw.invitationId));
    expect(inv).toMatchObject({ status: 'started', preview: true, attemptId: v.attemptId });
    expect(inv?.GSI1PK).toBeUndefined();
    expect((await invitations()).map((i) => i.invitationId)).not.toContain(draw.invitationId);
    const forged = `${draw.invitationId}.${'A'.repeat(43)}`;
    expect(
      (await api.request('POST', '/v1/attempts', { body: { invitationToken: forged } })).status,
    ).toBe(401);
    expect(
      (await api.request('POST', '/v1/invitations/inspect', { body: { invitationToken: forged } }))
        .status,
    ).toBe(401);
  });

  it('is for employers of the assessment’s organisation only', async () => {
    expect((await preview(assessmentId, await api.token('employer', 'elsewhere'))).status).toBe(
      404,
    );
    expect((await preview(assessmentId, author)).status).toBe(403);
    expect((await preview('01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  });
});

describe('a finished preview counts nowhere', () => {
  let candidate: View;
  let previewed: View;
  let drawnByCandidate: Set<string>;

  beforeAll(async () => {
    candidate = await candidateAttempt();
    expect((await answerAllAndSubmit(candidate)).status).toBe(200);
    previewed = (await preview()).body;
    expect((await answerAllAndSubmit(previewed)).status).toBe(200);
    // The candidate views name questions by handle; the employer's reports by bank id.
    drawnByCandidate = new Set(await reportedIds(candidate.attemptId));
    // The statistics consumer sees every record of the table's stream.
    await createStreamPoller((e) => statistics(e)).drain();
  }, 60_000);

  it('is graded and has a report marked as a preview, without a percentile', async () => {
    const report = await api.request('GET', `/v1/attempts/${previewed.attemptId}/report`, {
      token: employer,
    });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ status: 'submitted', preview: true, score: 100 });
    expect(report.body.percentile).toBeUndefined();
    const html = await api.request('GET', `/v1/attempts/${previewed.attemptId}/report.html`, {
      token: employer,
    });
    expect(html.text).toContain('Preview: not counted in results, norms or statistics');
  });

  it('is absent from the ranked results, as JSON and as CSV', async () => {
    const json = await api.request('GET', `/v1/assessments/${assessmentId}/results`, {
      token: employer,
    });
    const ids = json.body.items.map((i: { attemptId: string }) => i.attemptId);
    expect(ids).toContain(candidate.attemptId);
    expect(ids).not.toContain(previewed.attemptId);
    const csv = await api.request('GET', `/v1/assessments/${assessmentId}/results`, {
      token: employer,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text).toContain(candidate.attemptId);
    expect(csv.text).not.toContain(previewed.attemptId);
    expect(await rawItem(keys.attemptRow(previewed.attemptId))).toBeUndefined();
  });

  it('is absent from the norms', async () => {
    const norms = await readNorms(ORG, assessmentId);
    // Only completed candidates' attempts: the ones this file submitted by invitation.
    expect(norms.n).toBe(1);
  });

  it('is absent from the item statistics of every question it drew', async () => {
    const drawn = await reportedIds(previewed.attemptId);
    expect(drawn).toHaveLength(previewed.questions.length);
    for (const id of drawn) {
      const res = await api.request('GET', `/v1/questions/${id}/stats`, { token: author });
      expect(res.status).toBe(200);
      expect(res.body.attempts, id).toBe(drawnByCandidate.has(id) ? 1 : 0);
    }
  });

  it('is skipped whole by the statistics consumer: no event, no marker, nothing derived', async () => {
    expect(published).toContain(candidate.attemptId);
    expect(published).not.toContain(previewed.attemptId);
    // The consumer writes its marker last, after norms, statistics and (later) calibration
    // responses; a preview's record stops before any of them.
    expect(await rawItem(keys.statsMarker(candidate.attemptId))).toBeDefined();
    expect(await rawItem(keys.statsMarker(previewed.attemptId))).toBeUndefined();
  });
});

describe('a preview whose time runs out', () => {
  it('is expired by the sweeper like any attempt, and still counts nowhere', async () => {
    const v = (await preview()).body as View;
    const after = new Date(Date.parse(v.deadline) + v.gracePeriodSeconds * 1000 + 1000);
    clock.now = () => after;
    await sweep(after);
    const report = await api.request('GET', `/v1/attempts/${v.attemptId}/report`, {
      token: employer,
    });
    expect(report.body).toMatchObject({
      status: 'expired',
      preview: true,
      completedAt: v.deadline,
    });
    expect(await rawItem(keys.attemptRow(v.attemptId))).toBeUndefined();
    const draw = (await getDraw(v.attemptId))!;
    // The completion's last write took the internal invitation out of the due index.
    const inv = await rawItem(keys.invitation(draw.invitationId));
    expect(inv).toMatchObject({ status: 'completed' });
    expect(inv?.GSI2PK).toBeUndefined();
  });

  it('can be given more time by its employer', async () => {
    const v = (await preview()).body as View;
    const res = await api.request('POST', `/v1/attempts/${v.attemptId}/extend`, {
      token: employer,
      body: { minutes: 10, reason: 'Trying the extension' },
    });
    expect(res.status).toBe(200);
    expect(res.body.previousDeadline).toBe(v.deadline);
  });
});
