import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db, tableName } from '../../functions/data/client.ts';
import { getInvitation } from '../../functions/data/invitations.ts';
import { keys } from '../../functions/data/keys.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { handler as mailJob } from '../../functions/jobs/mail.ts';
import { sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let employer: string;

const BLUEPRINT = {
  title: 'Backend screen',
  timeLimitMinutes: 30,
  sections: [{ area: 'security', count: 2 }],
};

async function newAssessment(extra: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: { ...BLUEPRINT, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body as { assessmentId: string; contentEditable: boolean };
}

async function invite(assessmentId: string, n = 1) {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: n }, (_, i) => ({ name: `Candidate ${i}` })),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  return res;
}

async function tokenFor(assessmentId: string) {
  const res = await invite(assessmentId);
  expect(res.status).toBe(201);
  return res.body.invitations[0] as { invitationId: string; token: string };
}

const patch = (id: string, body: unknown) =>
  api.request('PATCH', `/v1/assessments/${id}`, { token: employer, body });
const start = (token: string) =>
  api.request('POST', '/v1/attempts', { body: { invitationToken: token } });

beforeAll(async () => {
  employer = await api.token('employer', 'acme');
  const author = await api.token('author', 'acme');
  expect(
    (await api.request('POST', '/v1/banks', { token: author, body: sampleBank('lc') })).status,
  ).toBe(201);
}, 60_000);

describe('editing an assessment', () => {
  it('changes title, instructions, pass mark, visibility and reminders at any time', async () => {
    const a = await newAssessment({ passingScore: 50, instructions: 'Bring a pen.' });
    const { token } = await tokenFor(a.assessmentId);
    expect((await start(token)).status).toBe(201);

    const res = await patch(a.assessmentId, {
      title: 'Senior backend screen',
      instructions: null,
      passingScore: 70,
      showResultToCandidate: true,
      remindBeforeExpiryHours: 48,
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: 'Senior backend screen',
      passingScore: 70,
      showResultToCandidate: true,
      remindBeforeExpiryHours: 48,
      contentEditable: false,
    });
    expect(res.body.instructions).toBeUndefined();
    const read = await api.request('GET', `/v1/assessments/${a.assessmentId}`, { token: employer });
    expect(read.body.title).toBe('Senior backend screen');
  });

  it('changes time limit and sections while no attempt has started, with a new pool', async () => {
    const a = await newAssessment();
    expect(a.contentEditable).toBe(true);

    const res = await patch(a.assessmentId, {
      timeLimitMinutes: 45,
      sections: [{ area: 'collaboration', count: 3 }],
    });

    expect(res.status).toBe(200);
    expect(res.body.timeLimitMinutes).toBe(45);
    expect(res.body.questionCount).toBe(3);
    expect(res.body.sections).toEqual([
      { area: 'collaboration', count: 3, difficulty: 'mixed', questionPool: 12 },
    ]);
    const { token } = await tokenFor(a.assessmentId);
    const attempt = await start(token);
    expect(attempt.body.assessment.timeLimitMinutes).toBe(45);
    expect(attempt.body.questions.map((q: { area: string }) => q.area)).toEqual([
      'collaboration',
      'collaboration',
      'collaboration',
    ]);
  });

  it('refuses a new time limit once an attempt has started, naming when, and changes nothing', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    expect((await start(token)).status).toBe(201);

    const res = await patch(a.assessmentId, { timeLimitMinutes: 90, title: 'Renamed' });

    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(
      /An attempt started at \S+: the time limit, sections and grace period/,
    );
    expect(res.body.contentLockedAt).toEqual(expect.any(String));
    const read = await api.request('GET', `/v1/assessments/${a.assessmentId}`, { token: employer });
    expect(read.body).toMatchObject({ title: 'Backend screen', timeLimitMinutes: 30 });
    expect(read.body.contentLockedAt).toBe(res.body.contentLockedAt);
  });

  it('names every invalid field and refuses an empty edit', async () => {
    const a = await newAssessment();
    const bad = await patch(a.assessmentId, {
      timeLimitMinutes: 0,
      remindBeforeExpiryHours: 500,
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['timeLimitMinutes', 'remindBeforeExpiryHours']));
    expect(bad.body.detail).toContain('colour');
    const empty = await patch(a.assessmentId, {});
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('Name at least one field');
  });

  it('decides a race of new sections against a starting attempt one way: the attempt draws from what the assessment says when it starts', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const a = await newAssessment();
      const { token } = await tokenFor(a.assessmentId);
      const [edit, attempt] = await Promise.all([
        patch(a.assessmentId, { sections: [{ area: 'collaboration', count: 2 }] }),
        start(token),
      ]);
      expect(attempt.status).toBe(201);
      const drew = new Set(attempt.body.questions.map((q: { area: string }) => q.area));
      if (edit.status === 200) {
        // The edit landed first: the attempt drew from the new sections.
        expect([...drew]).toEqual(['collaboration']);
        outcomes.add('edit first');
      } else {
        expect(edit.status).toBe(409);
        expect([...drew]).toEqual(['security']);
        outcomes.add('start first');
      }
      const read = await api.request('GET', `/v1/assessments/${a.assessmentId}`, {
        token: employer,
      });
      expect(read.body.sections[0].area).toBe([...drew][0]);
      expect(read.body.contentEditable).toBe(false);
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 120_000);

  it('refuses content edits and deletion of an assessment from before edits, which cannot prove no attempt started', async () => {
    const a = await newAssessment();
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.assessment('acme', a.assessmentId),
        UpdateExpression: 'REMOVE contentRev',
      }),
    );
    const edit = await patch(a.assessmentId, { timeLimitMinutes: 20 });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toContain('created before assessments could be edited');
    expect(
      (await api.request('DELETE', `/v1/assessments/${a.assessmentId}`, { token: employer }))
        .status,
    ).toBe(409);
    expect((await patch(a.assessmentId, { title: 'Still renamable' })).status).toBe(200);
  });
});

describe('archive, delete and clone', () => {
  it('archives: no new invitations, while a running attempt finishes and comes back with unarchive', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    const attempt = await start(token);
    expect(attempt.status).toBe(201);

    const archived = await api.request('POST', `/v1/assessments/${a.assessmentId}/archive`, {
      token: employer,
    });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));

    const refused = await invite(a.assessmentId);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('takes no new invitations');
    const submitted = await api.request('POST', `/v1/attempts/${attempt.body.attemptId}/submit`, {
      token: attempt.body.attemptToken,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');

    const back = await api.request('DELETE', `/v1/assessments/${a.assessmentId}/archive`, {
      token: employer,
    });
    expect(back.status).toBe(200);
    expect(back.body.archivedAt).toBeUndefined();
    expect((await invite(a.assessmentId)).status).toBe(201);
  });

  it('deletes an assessment nobody started, its links then start nothing and its invitations go', async () => {
    const a = await newAssessment();
    const inv = await tokenFor(a.assessmentId);

    const res = await api.request('DELETE', `/v1/assessments/${a.assessmentId}`, {
      token: employer,
    });

    expect(res.status).toBe(204);
    expect(
      (await api.request('GET', `/v1/assessments/${a.assessmentId}`, { token: employer })).status,
    ).toBe(404);
    const late = await start(inv.token);
    expect(late.status).toBe(410);
    expect(late.body.reason).toBe('revoked');
    await createStreamPoller((e) => mailJob(e)).drain();
    expect(await getInvitation(inv.invitationId)).toBeUndefined();
  }, 60_000);

  it('refuses to delete an assessment with an attempt, and says to archive it', async () => {
    const a = await newAssessment();
    expect((await start((await tokenFor(a.assessmentId)).token)).status).toBe(201);
    const res = await api.request('DELETE', `/v1/assessments/${a.assessmentId}`, {
      token: employer,
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('Archive it instead');
  });

  it('clones the blueprint and settings into a new, editable assessment', async () => {
    const a = await newAssessment({ passingScore: 65, remindBeforeExpiryHours: 12 });
    expect((await start((await tokenFor(a.assessmentId)).token)).status).toBe(201);

    const res = await api.request('POST', `/v1/assessments/${a.assessmentId}/clone`, {
      token: employer,
    });

    expect(res.status).toBe(201);
    expect(res.body.assessmentId).not.toBe(a.assessmentId);
    expect(res.body).toMatchObject({
      title: 'Backend screen (copy)',
      timeLimitMinutes: 30,
      passingScore: 65,
      remindBeforeExpiryHours: 12,
      contentEditable: true,
      sections: [{ area: 'security', count: 2, difficulty: 'mixed' }],
    });
    const named = await api.request('POST', `/v1/assessments/${a.assessmentId}/clone`, {
      token: employer,
      body: { title: 'Autumn intake' },
    });
    expect(named.body.title).toBe('Autumn intake');
  });

  it("answers 404 for another organisation's assessment, whatever the action", async () => {
    const a = await newAssessment();
    const other = await api.token('employer', 'globex');
    for (const [method, path] of [
      ['PATCH', `/v1/assessments/${a.assessmentId}`],
      ['DELETE', `/v1/assessments/${a.assessmentId}`],
      ['POST', `/v1/assessments/${a.assessmentId}/archive`],
      ['POST', `/v1/assessments/${a.assessmentId}/clone`],
    ] as const) {
      const res = await api.request(method, path, {
        token: other,
        ...(method === 'PATCH' ? { body: { title: 'x' } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});
