import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { handler as statistics } from '../../functions/jobs/stream.ts';
import { useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
const drain = () => createStreamPoller((e) => statistics(e)).drain();

/** Ten single-choice questions (key b) in security and four sjt items in collaboration. */
function bank() {
  const options = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `Option ${id}` }));
  const questions = [
    ...Array.from({ length: 10 }, (_, i) => ({
      id: `prof-sec-${i}`,
      area: 'security',
      type: 'single',
      difficulty: (i % 3) + 1,
      prompt: `Security question ${i}: which is right?`,
      options,
      answer: 'b',
      explanation: 'B is right because of the reasons given here.',
      tags: ['profile-fixture'],
    })),
    ...Array.from({ length: 4 }, (_, i) => ({
      id: `prof-col-${i}`,
      area: 'collaboration',
      type: 'sjt',
      difficulty: 2,
      prompt: `Collaboration scenario ${i}: what do you do?`,
      options,
      answer: { weights: { a: 1, b: 0.5, c: 0.25, d: 0 } },
      explanation: 'A is most effective; the others less so, in that order.',
      tags: ['profile-fixture'],
    })),
  ];
  return { bank: { id: 'profile-bank', title: 'Profile fixture' }, questions };
}

interface Taken {
  attemptId: string;
  name: string;
  correct: number;
}

type Shown = {
  questionId: string;
  area: string;
  prompt: string;
  options: { id: string; text: string }[];
};

/** The handle this attempt shows the bank's option `id` under (its text is `Option <id>`). */
const option = (q: Shown, id: string) => q.options.find((o) => o.text === `Option ${id}`)!.id;

/** Candidate k answers the first k security questions right (in a fixed order) and the rest wrong. */
async function take(k: number, token: string): Promise<Taken> {
  const s = await api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
  // In the order of their prompts: handles say nothing about which question is which.
  const security = (s.body.questions as Shown[])
    .filter((q) => q.area === 'security')
    .sort((x, y) => x.prompt.localeCompare(y.prompt));
  for (const [i, q] of security.entries()) {
    await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
      token: s.body.attemptToken,
      body: { answer: option(q, i < k ? 'b' : 'c') },
    });
  }
  for (const q of (s.body.questions as Shown[]).filter((x) => x.area === 'collaboration')) {
    await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
      token: s.body.attemptToken,
      body: { answer: option(q, k >= 5 ? 'a' : 'd') },
    });
  }
  const sub = await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
    token: s.body.attemptToken,
  });
  expect(sub.status).toBe(200);
  return { attemptId: s.body.attemptId, name: `k${k}`, correct: k };
}

interface Cohort {
  org: string;
  author: string;
  employer: string;
  assessmentId: string;
  tokens: string[];
}

/** An organisation with the fixture bank, an assessment over it and 12 invitations. */
async function cohort(org: string): Promise<Cohort> {
  const author = await api.token('author', org);
  const employer = await api.token('employer', org);
  expect((await api.request('POST', '/v1/banks', { token: author, body: bank() })).status).toBe(
    201,
  );
  const a = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Profiles',
      timeLimitMinutes: 30,
      passingScore: 50,
      sections: [
        { area: 'security', count: 10 },
        { area: 'collaboration', count: 4 },
      ],
    },
  });
  const inv = await api.request('POST', `/v1/assessments/${a.body.assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: 12 }, (_, k) => ({ name: `k${k}` })),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  expect(inv.status).toBe(201);
  return {
    org,
    author,
    employer,
    assessmentId: a.body.assessmentId,
    tokens: inv.body.invitations.map((i: { token: string }) => i.token),
  };
}

/** Candidate k of a cohort (k of 10 security items right), k = 0..11 in order. */
const takeAll = async (c: Cohort, after?: (k: number) => Promise<void>) => {
  const taken: Taken[] = [];
  for (let k = 0; k < 12; k++) {
    taken.push(await take(Math.min(k, 10), c.tokens[k]!));
    await after?.(k);
  }
  return taken;
};

/** A cohort of another organisation that has completed, for the tests that read reports. */
let done: Cohort & { taken: Taken[] };

beforeAll(async () => {
  const c = await cohort('profiles-done');
  done = { ...c, taken: await takeAll(c) };
  await drain();
}, 180_000);

describe('12 candidates complete one assessment', () => {
  it('ranks them, shows percentiles only from the 10th completion, and keeps item statistics', async () => {
    const c = await cohort('profiles-ranked');
    const { assessmentId, employer, author } = c;
    // Scores rise with k (k of 10 security items right); candidates finish in the order 0..11.
    const taken = await takeAll(c, async (k) => {
      await drain();
      const results = await api.request('GET', `/v1/assessments/${assessmentId}/results`, {
        token: employer,
      });
      expect(results.body.items).toHaveLength(k + 1);
      const withPercentile = results.body.items.filter(
        (i: { percentile?: number }) => i.percentile !== undefined,
      );
      expect(withPercentile.length, `after ${k + 1} completions`).toBe(k + 1 >= 10 ? k + 1 : 0);
    });

    const results = await api.request('GET', `/v1/assessments/${assessmentId}/results`, {
      token: employer,
    });
    const scores = results.body.items.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(results.body.items[0].candidate.name).toMatch(/^k1[01]$/);
    expect(results.body.items.at(-1).candidate.name).toBe('k0');
    expect(results.body.items.at(-1).percentile).toBeLessThan(10);
    expect(results.body.items[0].percentile).toBeGreaterThan(85);

    const csv = await api.request('GET', `/v1/assessments/${assessmentId}/results`, {
      token: employer,
      headers: { accept: 'text/csv' },
    });
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toContain('percentile');

    // Security item 0 was answered right by every candidate with k >= 1: facility 11/12.
    const ids = ['prof-sec-0', 'prof-sec-9'];
    const stats = await Promise.all(
      ids.map((id) => api.request('GET', `/v1/questions/${id}/stats`, { token: author })),
    );
    const attemptsOn = (s: { body: { attempts: number } }) => s.body.attempts;
    expect(stats.map(attemptsOn)).toEqual([12, 12]);
    // Which question each candidate met first differs (order is shuffled per attempt), so facility is checked in sum.
    const all = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('GET', `/v1/questions/prof-sec-${i}/stats`, { token: author }),
      ),
    );
    const totalCorrect = all.reduce((s, r) => s + r.body.facility * r.body.attempts, 0);
    expect(Math.round(totalCorrect)).toBe(taken.reduce((s, t) => s + t.correct, 0));
    for (const r of all) expect(r.body.discrimination).toBeGreaterThan(0);
  }, 300_000);

  it('applies a stream record twice without counting it twice', async () => {
    const { author } = done;
    const before = await api.request('GET', '/v1/questions/prof-sec-0/stats', { token: author });
    expect(before.body.attempts).toBe(12);
    const poller = createStreamPoller((e) => statistics(e));
    await poller.drain(); // a fresh poller re-reads the stream from its start
    const after = await api.request('GET', '/v1/questions/prof-sec-0/stats', { token: author });
    expect(after.body).toEqual(before.body);
  });

  it('reports a full skill profile to the employer', async () => {
    const { taken, employer } = done;
    const best = taken.find((t) => t.correct === 10)!;
    const res = await api.request('GET', `/v1/attempts/${best.attemptId}/report`, {
      token: employer,
    });
    expect(res.status).toBe(200);
    const security = res.body.areas.find((a: { area: string }) => a.area === 'security');
    expect(security).toMatchObject({ kind: 'technical', score: 100, items: 10, correct: 10 });
    expect(security.ability.theta).toBeGreaterThan(1);
    expect(['advanced', 'expert']).toContain(security.level);
    expect(res.body.strengths).toContain('security');
    expect(
      res.body.development.find((d: { area: string }) => d.area === 'security').suggestion.length,
    ).toBeGreaterThan(20);
    expect(res.body.percentile).toBeGreaterThan(80);
    expect(res.body.integrity.signals).toBeInstanceOf(Array);
    expect(res.body.questions).toHaveLength(14);

    const worst = taken.find((t) => t.correct === 0)!;
    const low = await api.request('GET', `/v1/attempts/${worst.attemptId}/report`, {
      token: employer,
    });
    expect(low.body.gaps).toContain('security');
  });

  it('draws the profile as an SVG radar chart that parses and names every area', async () => {
    const res = await api.request('GET', `/v1/attempts/${done.taken[5]!.attemptId}/report.svg`, {
      token: done.employer,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(XMLValidator.validate(res.text)).toBe(true);
    const svg = new XMLParser({ ignoreAttributes: false }).parse(res.text);
    expect(svg.svg).toBeDefined();
    expect(res.text).toContain('Security');
    expect(res.text).toContain('Collaboration');
  });
});
