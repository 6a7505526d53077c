/**
 * Opaque per-attempt handles (docs/state-machines.md#question-handles-what-a-candidate-calls-a-question):
 * a candidate never sees a bank question id or a bank option id, every handle they send back is
 * mapped to the right question and option, the employer's report keeps the real ids, and an
 * unknown or hostile handle is a 4xx like an unknown question.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDraw } from '../../functions/data/attempts.ts';
import { inviteAndStart } from './fixtures.ts';
import { type TestApi, useTestApi } from './support.ts';

const api: TestApi = useTestApi();
let employer: string;

/** Ids that name their answer, as in the shipped bank; prompts that do not contain them. */
const KEY = 'retry-after-header';
const OPTIONS = [
  { id: KEY, text: 'Wait for the time the server named' },
  { id: 'exponential-backoff-jitter', text: 'Back off exponentially with jitter' },
  { id: 'circuit-breaker-open', text: 'Open a circuit breaker' },
  { id: 'idempotency-key-resend', text: 'Resend at once with the same key' },
];
const SJT_OPTIONS = [
  { id: 'escalate-to-manager', text: 'Take it to your manager' },
  { id: 'pair-with-colleague', text: 'Pair on it with the colleague' },
  { id: 'ignore-and-ship', text: 'Ship without a word' },
];

function handlesBank() {
  const security = Array.from({ length: 12 }, (_, i) => ({
    id: `hx-api-rate-limit-429-retry-after-${i}`,
    area: 'security',
    type: 'single',
    difficulty: (i % 3) + 1,
    prompt: `Scenario ${i + 1}: a client keeps being throttled by an API. What does it honour first?`,
    options: OPTIONS,
    answer: KEY,
    explanation: 'The server knows when it can take the request again.',
    tags: ['fixture'],
  }));
  const collaboration = Array.from({ length: 4 }, (_, i) => ({
    id: `hx-col-pair-with-colleague-${i}`,
    area: 'collaboration',
    type: 'sjt',
    difficulty: 2,
    prompt: `Situation ${i + 1}: a colleague is stuck on a review you could unblock. What do you do?`,
    options: SJT_OPTIONS,
    answer: {
      weights: { 'pair-with-colleague': 1, 'escalate-to-manager': 0.5, 'ignore-and-ship': 0 },
    },
    explanation: 'Unblocking together is fastest.',
    tags: ['fixture'],
  }));
  return {
    bank: { id: 'handles-bank', title: 'Handles bank' },
    questions: [...security, ...collaboration],
  };
}

const BANK_OPTION_IDS = [...OPTIONS, ...SJT_OPTIONS].map((o) => o.id);

beforeAll(async () => {
  employer = await api.token('employer', 'handles-org');
  const author = await api.token('author', 'handles-org');
  const up = await api.request('POST', '/v1/banks', { token: author, body: handlesBank() });
  expect(up.status, up.text).toBe(201);
}, 60_000);

async function startAttempt(sections: unknown[]) {
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: { title: 'Handles', timeLimitMinutes: 30, sections, showResultToCandidate: false },
  });
  expect(created.status, created.text).toBe(201);
  return inviteAndStart(api, employer, created.body.assessmentId, 'Hana');
}

const FIXED = [
  { area: 'security', count: 3 },
  { area: 'collaboration', count: 2 },
];

type Shown = { questionId: string; prompt: string; options?: { id: string; text: string }[] };

/** The handle of the option showing this text. */
const handleOfText = (q: Shown, text: string) => q.options!.find((o) => o.text === text)!.id;

const save = (
  attemptId: string,
  token: string,
  handle: string,
  answer: unknown,
  ifMatch?: string,
) =>
  api.request('PUT', `/v1/attempts/${attemptId}/answers/${encodeURIComponent(handle)}`, {
    token,
    body: { answer },
    ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
  });

/** Every bank id an attempt drew: its fixed questions and its adaptive pools. */
async function drawnIds(attemptId: string): Promise<string[]> {
  const draw = (await getDraw(attemptId))!;
  return [
    ...draw.questions.map((q) => q.q),
    ...(draw.adaptive ?? []).flatMap((a) => a.pool.map((e) => e.q)),
  ];
}

/** The bank ids (question and option) found anywhere in a response's text. */
const leaked = (text: string, ids: readonly string[]) => ids.filter((id) => text.includes(id));

describe('what a candidate sees', () => {
  it("puts no bank question or option id anywhere in a start's, a read's, a save's or a resume's response", async () => {
    const { invitationToken, started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    const ids = await drawnIds(attemptId);
    expect(ids).toHaveLength(5);

    expect(leaked(started.text, [...ids, ...BANK_OPTION_IDS])).toEqual([]);
    expect(started.body.questions.map((q: Shown) => q.questionId)).toEqual([
      'q1',
      'q2',
      'q3',
      'q4',
      'q5',
    ]);
    for (const q of started.body.questions as Shown[])
      expect(q.options!.map((o) => o.id)).toEqual(q.options!.map((_, k) => `o${k + 1}`));
    expect(started.body.sections.map((s: { questionIds: string[] }) => s.questionIds)).toEqual([
      ['q1', 'q2', 'q3'],
      ['q4', 'q5'],
    ]);

    const q2: Shown = started.body.questions[1];
    const saved = await save(attemptId, attemptToken, 'q2', handleOfText(q2, OPTIONS[0]!.text));
    expect(saved.status, saved.text).toBe(200);
    const read = await api.request('GET', `/v1/attempts/${attemptId}`, { token: attemptToken });
    const resumed = await api.request('POST', '/v1/attempts', { body: { invitationToken } });
    expect(resumed.status).toBe(200);
    for (const res of [saved, read, resumed])
      expect(leaked(res.text, [...ids, ...BANK_OPTION_IDS])).toEqual([]);
    // The answer comes back under the question's handle, naming the option's handle.
    expect(read.body.answers).toEqual({ q2: handleOfText(q2, OPTIONS[0]!.text) });
    expect(Object.keys(read.body.revisions)).toEqual(['q2']);
    // A resume shows the same handles for the same questions and options.
    expect(resumed.body.questions).toEqual(started.body.questions);
    expect(resumed.body.answers).toEqual(read.body.answers);
  });
});

describe('what a candidate sends back', () => {
  it("stores a save by handle on that question, which the employer's report shows under its real id", async () => {
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    const draw = (await getDraw(attemptId))!;
    const q3: Shown = started.body.questions[2];
    const q1: Shown = started.body.questions[0];

    const right = await save(attemptId, attemptToken, 'q3', handleOfText(q3, OPTIONS[0]!.text));
    const wrong = await save(attemptId, attemptToken, 'q1', handleOfText(q1, OPTIONS[2]!.text));
    expect([right.status, wrong.status]).toEqual([200, 200]);
    await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken });
    const report = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });

    expect(report.status).toBe(200);
    const byId = new Map(
      report.body.questions.map((q: { questionId: string }) => [q.questionId, q]),
    );
    // Slot 2 (q3) and slot 0 (q1) of the draw, under their bank ids, with the bank's option ids.
    expect(byId.get(draw.questions[2]!.q)).toMatchObject({
      prompt: q3.prompt,
      score: 1,
      answer: `${KEY} — ${OPTIONS[0]!.text}`,
    });
    expect(byId.get(draw.questions[0]!.q)).toMatchObject({
      prompt: q1.prompt,
      score: 0,
      answer: `circuit-breaker-open — ${OPTIONS[2]!.text}`,
    });
    expect(byId.get(draw.questions[1]!.q)).not.toHaveProperty('answer');
  });

  it('refuses a handle with a control character as a 400 naming path.questionId, and echoes none of it', async () => {
    // Found from outside: `answers/%00` was a 404 whose detail echoed the NUL (JSON-escaped).
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    for (const handle of [
      '\u0000',
      'q1\u0000',
      'q1\n',
      '\u001b[31mq1',
      'q1\u007f',
      'q\u202e1',
      'q1\u2028',
    ]) {
      const name = JSON.stringify(handle);
      const res = await save(attemptId, attemptToken, handle, 'o1');
      expect(res.status, name).toBe(400);
      expect(res.headers.get('content-type'), name).toMatch(/application\/problem\+json/);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        name,
      ).toEqual(['path.questionId']);
      // Neither the character itself nor its JSON escape anywhere in the answer.
      expect(res.text, name).not.toMatch(/\\u[0-9a-fA-F]{4}|\\n|[\p{C}\p{Zl}\p{Zp}]/u);
    }
    const read = await api.request('GET', `/v1/attempts/${attemptId}`, { token: attemptToken });
    expect(read.body.answers).toEqual({});
  });

  it('answers an unknown or hostile handle with the 404 of an unknown question, and never stores it', async () => {
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    const [bankId] = await drawnIds(attemptId);
    const handles = [
      'q0',
      'q01',
      'q6',
      'q999',
      'q99999',
      'Q1',
      'q1 ',
      'q-1',
      'q1.0',
      '__proto__',
      'constructor',
      'toString',
      bankId!,
      'o1',
    ];
    for (const handle of handles) {
      const res = await save(attemptId, attemptToken, handle, 'o1');
      expect(res.status, handle).toBe(404);
      expect(res.headers.get('content-type'), handle).toMatch(/application\/problem\+json/);
      expect(res.body.detail, handle).toMatch(/in this attempt/);
    }
    const read = await api.request('GET', `/v1/attempts/${attemptId}`, { token: attemptToken });
    expect(read.body.answers).toEqual({});
  });

  it("refuses an option that is not one of the question's handles with 400 naming the handles, never a bank id", async () => {
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    for (const answer of [KEY, '__proto__', 'o0', 'o5', 'a']) {
      const res = await save(attemptId, attemptToken, 'q1', answer);
      expect(res.status, answer).toBe(400);
      expect(res.body.errors[0].message, answer).toMatch(/option ids: o1, o2, o3, o4\.$/);
      expect(
        leaked(
          res.text,
          BANK_OPTION_IDS.filter((id) => id !== answer),
        ),
      ).toEqual([]);
    }
  });

  it("answers a stale If-Match with the current answer named by the option's handle", async () => {
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    const q4: Shown = started.body.questions[3];
    const pick = handleOfText(q4, SJT_OPTIONS[1]!.text);
    expect((await save(attemptId, attemptToken, 'q4', pick, '"0"')).status).toBe(200);

    // Another option than the stored one: the same one again would be a retry that landed.
    const other = q4.options!.find((o) => o.id !== pick)!.id;
    const stale = await save(attemptId, attemptToken, 'q4', other, '"0"');

    expect(stale.status).toBe(412);
    expect(stale.body.current).toMatchObject({ answer: pick, revision: 1 });
    expect(leaked(stale.text, BANK_OPTION_IDS)).toEqual([]);
  });

  it("stores a page event's handle as its question's bank id, for the employer's report", async () => {
    const { started } = await startAttempt(FIXED);
    const { attemptId, attemptToken } = started.body;
    const draw = (await getDraw(attemptId))!;
    const posted = await api.request('POST', `/v1/attempts/${attemptId}/events`, {
      token: attemptToken,
      body: {
        events: [
          { type: 'paste', ageMs: 0, questionId: 'q2', chars: 40 },
          // A bank id is not a handle: the event is kept without a question.
          { type: 'paste', ageMs: 0, questionId: draw.questions[0]!.q, chars: 2 },
        ],
      },
    });
    expect(posted.status, posted.text).toBe(200);
    await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken });

    const report = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });

    const paste = report.body.integrity.signals.find((s: { type: string }) => s.type === 'paste');
    expect(paste).toMatchObject({ count: 2, questionIds: [draw.questions[1]!.q] });
  });
});

describe('an adaptive section', () => {
  const MIXED = [
    { area: 'collaboration', count: 2 },
    { area: 'security', mode: 'adaptive', minItems: 3, maxItems: 5, targetStandardError: 0.1 },
  ];

  it('names each item it reaches by the next handle of its slots, and saves by it', async () => {
    const { started } = await startAttempt(MIXED);
    const { attemptId, attemptToken } = started.body;
    const ids = await drawnIds(attemptId);
    // The fixed questions take slots 0-1 (q1, q2); the adaptive section's begin at slot 2.
    expect(started.body.sections[1]).toMatchObject({ current: 'q3', questionIds: ['q3'] });
    expect(started.body.questions.map((q: Shown) => q.questionId)).toEqual(['q1', 'q2', 'q3']);
    expect(leaked(started.text, [...ids, ...BANK_OPTION_IDS])).toEqual([]);
    // A slot the section has not reached is no question of this attempt yet.
    expect((await save(attemptId, attemptToken, 'q4', 'o1')).status).toBe(404);

    const first: Shown = started.body.questions[2];
    const one = await save(attemptId, attemptToken, 'q3', handleOfText(first, OPTIONS[0]!.text));

    expect(one.status, one.text).toBe(200);
    expect(one.body.next.questionId).toBe('q4');
    expect(one.body.section).toMatchObject({ current: 'q4', questionIds: ['q3', 'q4'] });
    expect(leaked(one.text, [...ids, ...BANK_OPTION_IDS])).toEqual([]);
    const two = await save(
      attemptId,
      attemptToken,
      'q4',
      handleOfText(one.body.next, OPTIONS[1]!.text),
    );
    expect(two.status, two.text).toBe(200);
    expect(two.body.next.questionId).toBe('q5');
    // An answered item is closed: its stored answer comes back by handle.
    const stored = handleOfText(first, OPTIONS[0]!.text);
    const other = first.options!.find((o) => o.id !== stored)!.id;
    const again = await save(attemptId, attemptToken, 'q3', other);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'adaptive-item-closed', current: { answer: stored } });
    expect(again.body.section.current).toBe('q5');
    const read = await api.request('GET', `/v1/attempts/${attemptId}`, { token: attemptToken });
    expect(read.body.questions.map((q: Shown) => q.questionId)).toEqual([
      'q1',
      'q2',
      'q3',
      'q4',
      'q5',
    ]);
    expect(read.body.answers).toEqual({
      q3: handleOfText(first, OPTIONS[0]!.text),
      q4: handleOfText(one.body.next, OPTIONS[1]!.text),
    });

    await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken });
    const report = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });
    const answered = report.body.questions.filter(
      (q: { area: string; answer?: string }) => q.area === 'security' && q.answer,
    );
    // The report names the adaptive items by their bank ids, each with its own prompt.
    expect(answered.map((q: { prompt: string }) => q.prompt)).toEqual([
      first.prompt,
      one.body.next.prompt,
    ]);
    for (const q of answered) expect(ids).toContain(q.questionId);
    expect(answered.map((q: { score: number }) => q.score)).toEqual([1, 0]);
  });
});
