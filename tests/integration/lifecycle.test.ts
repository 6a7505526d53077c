import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacity, installRecorder, watch, writeUnits } from '../../bench/lib/dynamo.ts';
import {
  deleteAssessment,
  lockAssessmentContent,
  updateAssessment,
} from '../../functions/data/assessment-lifecycle.ts';
import {
  type Assessment,
  clearAssessmentCache,
  getAssessment,
  remember,
} from '../../functions/data/assessments.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { getInvitation } from '../../functions/data/invitations.ts';
import { keys } from '../../functions/data/keys.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { handler as mailJob } from '../../functions/jobs/mail.ts';
import { sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
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
    // The candidate's intro, before the invitations go: withdrawn (it was an undeclared 404).
    const intro = await api.request('POST', '/v1/invitations/inspect', {
      body: { invitationToken: inv.token },
    });
    expect(intro.status).toBe(410);
    expect(intro.body.reason).toBe('revoked');
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

const raw = async (key: { PK: string; SK: string }) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true })))
    .Item;
const contentItem = (id: string) => raw(keys.assessmentContent('acme', id));
const fresh = async (id: string) =>
  (await getAssessment('acme', id, { fresh: true })) as Assessment;
const view = async (id: string) =>
  (await api.request('GET', `/v1/assessments/${id}`, { token: employer })).body;

/** Set attributes on the assessment item directly, as an older version of Assay left them. */
async function storeOnAssessmentItem(id: string, update: string, values?: Record<string, unknown>) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.assessment('acme', id),
      UpdateExpression: update,
      ...(values ? { ExpressionAttributeValues: values } : {}),
    }),
  );
  // The in-process API caches assessments for a minute: forget what it read before.
  clearAssessmentCache();
}

describe('the content lock on its own small item', () => {
  it('locks with one UpdateItem of at most 1 WCU on the content item, leaving the assessment item as it was', async () => {
    const a = await newAssessment();
    const before = await raw(keys.assessment('acme', a.assessmentId));
    const read = await fresh(a.assessmentId);
    installRecorder();
    capacity.enabled = true;

    const w = watch();
    const locked = await lockAssessmentContent(read, new Date());
    const win = w.stop();
    capacity.enabled = false;

    expect(win.calls.map((c) => c.operation)).toEqual(['UpdateItem']);
    expect(writeUnits(win.capacity)).toBeGreaterThan(0);
    expect(writeUnits(win.capacity)).toBeLessThanOrEqual(1);
    expect(locked?.contentLockedAt).toEqual(expect.any(String));
    expect(await raw(keys.assessment('acme', a.assessmentId))).toEqual(before);
    expect(await contentItem(a.assessmentId)).toMatchObject({
      rev: 0,
      lockedAt: locked!.contentLockedAt,
    });
    expect(await view(a.assessmentId)).toMatchObject({
      contentEditable: false,
      contentLockedAt: locked!.contentLockedAt,
    });
  });

  it('refuses the lock of a start that read the content before an edit, and the start reads again and draws from the edit', async () => {
    const a = await newAssessment();
    const stale = await fresh(a.assessmentId);
    expect(
      (await patch(a.assessmentId, { sections: [{ area: 'collaboration', count: 2 }] })).status,
    ).toBe(200);

    const lock = await lockAssessmentContent(stale, new Date());

    expect(lock).toBeUndefined();
    expect(await contentItem(a.assessmentId)).toEqual(expect.objectContaining({ rev: 1 }));
    expect((await contentItem(a.assessmentId))?.lockedAt).toBeUndefined();
    // A warm function still holding the copy from before the edit: its start's claim carries
    // the stale lock, is refused whole, and the start reads again.
    const { token } = await tokenFor(a.assessmentId);
    remember({ ...stale });
    const started = await start(token);
    expect(started.status).toBe(201);
    expect(started.body.questions).toHaveLength(2);
    for (const q of started.body.questions) expect(q.area).toBe('collaboration');
    expect(await contentItem(a.assessmentId)).toMatchObject({
      rev: 1,
      lockedAt: expect.any(String),
    });
  });

  it('refuses an edit built on the revision a start has since locked, naming when, and changes nothing', async () => {
    const a = await newAssessment();
    const read = await fresh(a.assessmentId);
    const locked = await lockAssessmentContent(read, new Date());

    const edit = await updateAssessment(
      'acme',
      a.assessmentId,
      { timeLimitMinutes: 90, title: 'Renamed' },
      new Date(),
      read.contentRev,
    );

    expect(edit).toMatchObject({ ok: false, why: 'locked', at: locked!.contentLockedAt });
    expect(await fresh(a.assessmentId)).toMatchObject({
      title: 'Backend screen',
      timeLimitMinutes: 30,
      contentRev: 0,
    });
    expect(await contentItem(a.assessmentId)).toMatchObject({ rev: 0 });
  });

  it('decides an edit and a lock racing on the same revision one way, every time', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const a = await newAssessment();
      const read = await fresh(a.assessmentId);

      const [edit, lock] = await Promise.all([
        updateAssessment('acme', a.assessmentId, { timeLimitMinutes: 45 }, new Date(), 0),
        lockAssessmentContent({ ...read }, new Date()),
      ]);

      const stored = await fresh(a.assessmentId);
      const content = await contentItem(a.assessmentId);
      if (edit.ok) {
        expect(lock).toBeUndefined();
        expect(stored).toMatchObject({ timeLimitMinutes: 45, contentRev: 1 });
        expect(content).toEqual(expect.objectContaining({ rev: 1 }));
        expect(content?.lockedAt).toBeUndefined();
        outcomes.add('edit first');
      } else {
        expect(edit).toMatchObject({ why: 'locked', at: lock?.contentLockedAt });
        expect(stored).toMatchObject({ timeLimitMinutes: 30, contentRev: 0 });
        expect(content).toMatchObject({ rev: 0, lockedAt: lock?.contentLockedAt });
        outcomes.add('lock first');
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 60_000);

  it('shares one lock among starts racing on the same revision: each succeeds and the first time stays', async () => {
    const a = await newAssessment();
    const read = await fresh(a.assessmentId);
    const times = [1, 2, 3, 4, 5].map((s) => new Date(Date.UTC(2026, 0, 1, 9, 0, s)));

    const locks = await Promise.all(times.map((t) => lockAssessmentContent({ ...read }, t)));

    const stored = (await contentItem(a.assessmentId))?.lockedAt;
    expect(times.map((t) => t.toISOString())).toContain(stored);
    for (const lock of locks) expect(lock?.contentLockedAt).toBe(stored);
  });

  it('refuses to delete an assessment once locked, and keeps it', async () => {
    const a = await newAssessment();
    const locked = await lockAssessmentContent(await fresh(a.assessmentId), new Date());

    const gone = await deleteAssessment('acme', a.assessmentId, new Date());

    expect(gone).toMatchObject({ ok: false, why: 'locked', at: locked!.contentLockedAt });
    expect(await raw(keys.assessment('acme', a.assessmentId))).toBeDefined();
  });

  it('leaves a tombstone on delete, so a start that read the assessment before cannot lock it and answers 410', async () => {
    const a = await newAssessment();
    const { invitationId, token } = await tokenFor(a.assessmentId);
    const stale = await fresh(a.assessmentId);
    const now = new Date();

    expect(await deleteAssessment('acme', a.assessmentId, now)).toEqual({ ok: true });

    expect(await lockAssessmentContent({ ...stale }, new Date())).toBeUndefined();
    const tombstone = await contentItem(a.assessmentId);
    expect(tombstone).toMatchObject({ deletedAt: now.toISOString(), ttl: expect.any(Number) });
    expect(tombstone?.lockedAt).toBeUndefined();
    remember({ ...stale });
    const refused = await start(token);
    expect(refused.status).toBe(410);
    expect(refused.body.reason).toBe('revoked');
    expect(await getInvitation(invitationId, true)).toMatchObject({ status: 'pending' });
  });

  it('lists each assessment with its lock, read from the content items', async () => {
    const open = await newAssessment();
    const started = await newAssessment();
    expect((await start((await tokenFor(started.assessmentId)).token)).status).toBe(201);
    const lockedAt = (await contentItem(started.assessmentId))?.lockedAt;

    const list = await api.request('GET', '/v1/assessments?limit=100', { token: employer });

    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((i: { assessmentId: string }) => [i.assessmentId, i]));
    expect(byId.get(started.assessmentId)).toMatchObject({
      contentEditable: false,
      contentLockedAt: lockedAt,
    });
    expect(byId.get(open.assessmentId)).toMatchObject({ contentEditable: true });
    expect(byId.get(open.assessmentId)).not.toHaveProperty('contentLockedAt');
  });
});

describe('assessments stored before the content item', () => {
  it('keeps an assessment locked on its own item locked: its view, edits, delete and starts', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    const at = '2026-01-02T03:04:05.000Z';
    await storeOnAssessmentItem(a.assessmentId, 'SET contentLockedAt = :at', { ':at': at });

    expect(await view(a.assessmentId)).toMatchObject({
      contentEditable: false,
      contentLockedAt: at,
    });
    const edit = await patch(a.assessmentId, { timeLimitMinutes: 45 });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toContain(`An attempt started at ${at}`);
    const del = await api.request('DELETE', `/v1/assessments/${a.assessmentId}`, {
      token: employer,
    });
    expect(del.status).toBe(409);
    expect(del.body.detail).toContain('Archive it instead');
    expect((await start(token)).status).toBe(201);
    // Already locked: the start wrote no lock of its own.
    expect(await contentItem(a.assessmentId)).toBeUndefined();
    const renamed = await patch(a.assessmentId, { title: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ contentEditable: false, contentLockedAt: at });
  });

  it('refuses a content edit of an assessment locked on its own item even when the copy read said it was open', async () => {
    const a = await newAssessment();
    const at = '2026-01-02T03:04:05.000Z';
    await storeOnAssessmentItem(a.assessmentId, 'SET contentLockedAt = :at', { ':at': at });

    const edit = await updateAssessment(
      'acme',
      a.assessmentId,
      { timeLimitMinutes: 45 },
      new Date(),
      0,
    );

    expect(edit).toMatchObject({ ok: false, why: 'locked', at });
    expect(await contentItem(a.assessmentId)).toBeUndefined();
    expect(await fresh(a.assessmentId)).toMatchObject({ timeLimitMinutes: 30 });
  });

  it('locks an assessment edited before the content item from its own revision, and refuses edits after', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    await storeOnAssessmentItem(a.assessmentId, 'SET contentRev = :two', { ':two': 2 });

    expect((await start(token)).status).toBe(201);

    const content = await contentItem(a.assessmentId);
    expect(content).toMatchObject({ rev: 2, lockedAt: expect.any(String) });
    expect((await patch(a.assessmentId, { timeLimitMinutes: 45 })).status).toBe(409);
    expect(await view(a.assessmentId)).toMatchObject({
      contentEditable: false,
      contentLockedAt: content?.lockedAt,
      timeLimitMinutes: 30,
    });
  });

  it('edits an assessment edited before the content item from its own revision, and a start then draws the edit', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    await storeOnAssessmentItem(a.assessmentId, 'SET contentRev = :two', { ':two': 2 });

    const edit = await patch(a.assessmentId, { timeLimitMinutes: 45 });

    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ timeLimitMinutes: 45, contentEditable: true });
    expect(await contentItem(a.assessmentId)).toEqual(expect.objectContaining({ rev: 3 }));
    const attempt = await start(token);
    expect(attempt.status).toBe(201);
    const minutes = (Date.parse(attempt.body.deadline) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(40);
    expect(minutes).toBeLessThanOrEqual(45);
    expect(await contentItem(a.assessmentId)).toMatchObject({
      rev: 3,
      lockedAt: expect.any(String),
    });
  });

  it('starts an assessment from before edits without any lock, and it stays not editable', async () => {
    const a = await newAssessment();
    const { token } = await tokenFor(a.assessmentId);
    await storeOnAssessmentItem(a.assessmentId, 'REMOVE contentRev');

    expect((await start(token)).status).toBe(201);

    expect(await contentItem(a.assessmentId)).toBeUndefined();
    const read = await view(a.assessmentId);
    expect(read.contentEditable).toBe(false);
    expect(read).not.toHaveProperty('contentLockedAt');
  });
});
