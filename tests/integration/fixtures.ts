import { expect } from 'vitest';
import { perfectAnswerShown, type ShownQuestion } from '../../bench/lib/answers.ts';
import type { TestApi } from './support.ts';

/** A small bank with every question type in two areas, for attempt tests. */
export function sampleBank(prefix: string, perArea = 12) {
  const questions: Record<string, unknown>[] = [];
  const areas = ['security', 'collaboration'] as const;
  for (const area of areas) {
    for (let i = 0; i < perArea; i++) {
      const id = `${prefix}-${area}-${i}`;
      const base = {
        id,
        area,
        difficulty: (i % 3) + 1,
        prompt: `Question ${id}: pick well.`,
        explanation: 'The key is right because it is right.',
        tags: ['fixture'],
      };
      const options = [
        { id: 'a', text: 'Alpha' },
        { id: 'b', text: 'Bravo' },
        { id: 'c', text: 'Charlie' },
        { id: 'd', text: 'Delta' },
      ];
      if (area === 'collaboration') {
        questions.push({
          ...base,
          type: 'sjt',
          options,
          answer: { weights: { a: 1, b: 0.5, c: 0.25, d: 0 } },
        });
        continue;
      }
      const type = ['single', 'multi', 'order', 'numeric', 'text'][i % 5];
      if (type === 'single') questions.push({ ...base, type, options, answer: 'b' });
      if (type === 'multi') questions.push({ ...base, type, options, answer: ['a', 'c'] });
      if (type === 'order')
        questions.push({ ...base, type, options, answer: ['d', 'c', 'b', 'a'] });
      if (type === 'numeric')
        questions.push({ ...base, type, answer: { value: 42, tolerance: 0.5 } });
      if (type === 'text') questions.push({ ...base, type, answer: ['idempotency key'] });
    }
  }
  return { bank: { id: `${prefix}-bank`, title: 'Fixture bank' }, questions };
}

/** The bank option id of a fixture option, from its text (`Bravo` is `b`). */
const FIXTURE_OPTION_IDS = new Map([
  ['Alpha', 'a'],
  ['Bravo', 'b'],
  ['Charlie', 'c'],
  ['Delta', 'd'],
]);

/**
 * The bank's option id of an option a candidate is shown: a fixture's (`Bravo` is `b`) or a
 * synthetic bench bank's (`Option b: ...`). The attempt API names options by handle (`o1`...).
 */
export const bankOptionId = (text: string) =>
  FIXTURE_OPTION_IDS.get(text) ?? /^Option ([a-z]):/.exec(text)?.[1];

/**
 * The correct answer to a fixture question as a candidate sends it: the key's option ids named
 * by the handles this attempt shows them under (the bench's synthetic banks use the same keys).
 */
export function perfectAnswer(q: ShownQuestion): unknown {
  return perfectAnswerShown(q, bankOptionId);
}

/**
 * An answer given with the bank's option ids (`'b'`, `['a', 'c']`), as a candidate sends it: each
 * id named by the handle this attempt shows that option under.
 */
export function shownAnswer(q: ShownQuestion, bankAnswer: string | string[]): string | string[] {
  const handleOf = new Map((q.options ?? []).map((o) => [bankOptionId(o.text), o.id]));
  const shown = (id: string) => handleOf.get(id) ?? id;
  return Array.isArray(bankAnswer) ? bankAnswer.map(shown) : shown(bankAnswer);
}

/**
 * An organisation with the sample bank (ids prefixed `bankPrefix`) and one assessment drawing
 * `perArea` questions from each of its two areas, results shown to candidates: the setup of
 * the attempt tests. Returns the employer's token and the assessment's id.
 */
export async function sampleAssessment(
  api: TestApi,
  opts: { org: string; bankPrefix: string; title: string; perArea: number },
): Promise<{ employer: string; assessmentId: string }> {
  const employer = await api.token('employer', opts.org);
  const author = await api.token('author', opts.org);
  const bank = await api.request('POST', '/v1/banks', {
    token: author,
    body: sampleBank(opts.bankPrefix),
  });
  if (bank.status !== 201) throw new Error(`sample bank: ${bank.status}`);
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: opts.title,
      timeLimitMinutes: 30,
      sections: [
        { area: 'security', count: opts.perArea },
        { area: 'collaboration', count: opts.perArea },
      ],
      showResultToCandidate: true,
    },
  });
  if (created.status !== 201) throw new Error(`sample assessment: ${created.status}`);
  return { employer, assessmentId: created.body.assessmentId };
}

/**
 * An organisation with a small sample bank, a 5-minute assessment of three security questions,
 * one invitation and its started attempt: one real id of every kind, for the tests that send
 * hostile input to every route. Returns the tokens by role and the ids by path parameter name.
 */
export async function startedAttempt(
  api: TestApi,
  opts: { org: string; bankPrefix: string; title: string; candidateName: string },
): Promise<{ tokens: Record<string, string>; ids: Record<string, string> }> {
  const tokens: Record<string, string> = {
    author: await api.token('author', opts.org),
    employer: await api.token('employer', opts.org),
  };
  const bank = await api.request('POST', '/v1/banks', {
    token: tokens.author,
    body: sampleBank(opts.bankPrefix, 6),
  });
  if (bank.status !== 201) throw new Error(`sample bank: ${bank.status}`);
  const a = await api.request('POST', '/v1/assessments', {
    token: tokens.employer,
    body: { title: opts.title, timeLimitMinutes: 5, sections: [{ area: 'security', count: 3 }] },
  });
  const assessmentId: string = a.body.assessmentId;
  const inv = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: tokens.employer,
    body: {
      candidates: [{ name: opts.candidateName }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  const s = await api.request('POST', '/v1/attempts', {
    body: { invitationToken: inv.body.invitations[0].token },
  });
  tokens.candidate = s.body.attemptToken;
  return {
    tokens,
    ids: {
      assessmentId,
      invitationId: inv.body.invitations[0].invitationId,
      attemptId: s.body.attemptId,
      questionId: s.body.questions[0].questionId,
    },
  };
}

/**
 * One invitation to `assessmentId` for a candidate called `name` (a day to use it), and the
 * attempt started with it; each step must succeed.
 */
export async function inviteAndStart(
  api: TestApi,
  employer: string,
  assessmentId: string,
  name: string,
): Promise<{ invitationToken: string; started: Awaited<ReturnType<TestApi['request']>> }> {
  const inv = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: { candidates: [{ name }], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(inv.status, inv.text).toBe(201);
  const invitationToken = inv.body.invitations[0].token as string;
  const started = await api.request('POST', '/v1/attempts', { body: { invitationToken } });
  expect(started.status, started.text).toBe(201);
  return { invitationToken, started };
}

/**
 * `n` text questions in one area, enough for an attempt over several answer pages (40 make
 * three); each is answered right by `'idempotency key'`.
 */
export function textQuestions(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-text-${i}`,
    area: 'security',
    type: 'text',
    difficulty: 2,
    prompt: `Name the pattern number ${i}, please.`,
    answer: ['idempotency key'],
    explanation: 'It is the idempotency key, as explained.',
    tags: [prefix],
  }));
}

/**
 * The employer report's entry for a question the candidate was shown: the one with the same
 * prompt. The candidate names a question by its handle (`q3`), the report by its bank id; the
 * fixture prompts are unique.
 */
export function reportEntryOf(
  report: { questions: ReportEntry[] },
  shown: { prompt: string },
): ReportEntry | undefined {
  return report.questions.find((q) => q.prompt === shown.prompt);
}

/** What the tests read of a question in the employer's report. */
export interface ReportEntry {
  questionId: string;
  prompt: string;
  score: number;
  answer?: string;
  answered?: boolean;
}
