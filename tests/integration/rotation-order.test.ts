/**
 * Token rotations (resumes) are ordered by time: a rotation whose write lands after a newer one
 * (its request was answered 503 and the client already retried) changes no item, so the retry's
 * token keeps working on every answer page. docs/faults.md (the retry contract) tells the story.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDraw, rotateToken } from '../../functions/data/attempts.ts';
import { hashSecret, newSecret } from '../../functions/domain/tokens.ts';
import { textQuestions } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let invite: () => Promise<string>;

beforeAll(async () => {
  const author = await api.token('author', 'rotation');
  const boss = await api.token('employer', 'rotation');
  // 40 questions: an attempt over several answer pages, each holding a copy of the token.
  const questions = textQuestions('rot', 40);
  const bank = await api.request('POST', '/v1/banks', {
    token: author,
    body: { bank: { id: 'rotation-bank', title: 'Rotation' }, questions },
  });
  expect(bank.status).toBe(201);
  const created = await api.request('POST', '/v1/assessments', {
    token: boss,
    body: { title: 'Rotation', timeLimitMinutes: 60, sections: [{ area: 'security', count: 40 }] },
  });
  expect(created.status).toBe(201);
  invite = async () => {
    const res = await api.request(
      'POST',
      `/v1/assessments/${created.body.assessmentId}/invitations`,
      {
        token: boss,
        body: {
          candidates: [{ name: 'Rotating' }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(res.status).toBe(201);
    return res.body.invitations[0].token as string;
  };
}, 60_000);

async function startMultiPage() {
  const invitationToken = await invite();
  const res = await api.request('POST', '/v1/attempts', { body: { invitationToken } });
  expect(res.status).toBe(201);
  const attempt = res.body as {
    attemptId: string;
    attemptToken: string;
    questions: { questionId: string }[];
  };
  const pages = Math.max(...(await getDraw(attempt.attemptId))!.pages) + 1;
  expect(pages).toBeGreaterThanOrEqual(3);
  return { attempt, pages, invitationToken };
}

/** The status of a save of every question with `token`: one per answer page at least. */
async function savesWith(
  attempt: { attemptId: string; questions: { questionId: string }[] },
  token: string,
) {
  const statuses = new Set<number>();
  for (const q of attempt.questions) {
    const res = await api.request(
      'PUT',
      `/v1/attempts/${attempt.attemptId}/answers/${q.questionId}`,
      {
        token,
        body: { answer: 'idempotency key' },
      },
    );
    statuses.add(res.status);
  }
  return [...statuses];
}

describe('token rotations ordered by time', () => {
  it('leaves every page alone when an older rotation lands after a newer one', async () => {
    const { attempt, pages } = await startMultiPage();
    const now = new Date();
    const retry = newSecret();
    const late = newSecret();

    const rotate = (secret: string, at: number) =>
      rotateToken(attempt.attemptId, pages, hashSecret(secret), now, at);

    const newer = await rotate(retry, now.getTime() + 2000);
    const older = await rotate(late, now.getTime() + 1000);

    expect(newer && 'state' in newer).toBe(true);
    expect(older).toEqual({ newerAt: now.getTime() + 2000 });
    expect(await savesWith(attempt, late)).toEqual([401]);
    expect(await savesWith(attempt, retry)).toEqual([200]);
    expect(await savesWith(attempt, attempt.attemptToken)).toEqual([401]);
  }, 60_000);

  it('gives a resume a working token even after a rotation stamped ahead of its clock', async () => {
    const { attempt, pages, invitationToken } = await startMultiPage();
    const ahead = newSecret();
    const now = new Date();
    await rotateToken(attempt.attemptId, pages, hashSecret(ahead), now, now.getTime() + 60_000);

    // The candidate opens the link again: this request is answered last, so it holds the token.
    const resumed = await api.request('POST', '/v1/attempts', { body: { invitationToken } });

    expect(resumed.status).toBe(200);
    expect(resumed.body.attemptId).toBe(attempt.attemptId);
    expect(await savesWith(attempt, resumed.body.attemptToken)).toEqual([200]);
    expect(await savesWith(attempt, ahead)).toEqual([401]);
  }, 60_000);
});
