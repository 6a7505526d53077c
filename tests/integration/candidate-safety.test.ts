import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateQuestion } from '../../functions/domain/question.ts';
import { typeOf } from '../../functions/domain/question-types/registry.ts';
import { anyQuestion, type RawQuestion } from '../support/questions.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let run = 0;

const marker = (kind: string) => fc.stringMatching(/^[a-z]{8}$/).map((s) => `${kind}-${s}`);

/**
 * Any valid question of any type (each type's own generator), with a marker in every text and a
 * distinctive number in every number, so that a leak of what a candidate must not see shows.
 */
const question = (id: string, area: string) =>
  anyQuestion(
    {
      text: () => marker('TEXT'),
      number: () => fc.integer({ min: 100_000, max: 999_999 }).map((v) => v + 0.123),
    },
    marker('EXPLAIN').map((explanation) => ({
      id,
      area,
      difficulty: 2,
      prompt: `Prompt of ${id}, answer carefully.`,
      explanation,
      tags: ['gen'],
    })),
  ).filter((q) => validateQuestion(q).question !== undefined);

const FORBIDDEN_KEYS = [
  'answer',
  'weights',
  'explanation',
  'tags',
  'difficulty',
  'version',
  'discrimination',
  'difficultyParam',
  'score',
];

/** Every object key anywhere in a JSON value. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) keysOf(x, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  }
  return out;
}

describe('candidate-facing responses', () => {
  it('never contain a key, weight, explanation or score they should not, for any question type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.constant(0), { minLength: 4, maxLength: 8 })
          .chain((xs) =>
            fc.tuple(
              ...xs.map((_, i) => question(`gen-${i}`, i % 2 ? 'security' : 'communication')),
            ),
          ),
        fc.boolean(),
        async (questions, show) => {
          run++;
          const qs = (questions as RawQuestion[]).map((q, i) => ({
            ...q,
            id: `gen-${run}-${i}`,
            area: q.area as string,
          }));
          const areas = [...new Set(qs.map((q) => q.area))];
          // An organisation per run, so the pools hold exactly this run's questions.
          const org = `leak-${run}`;
          const a = await api.request('POST', '/v1/banks', {
            token: await api.token('author', org),
            body: { bank: { id: `gen-bank-${run}`, title: 'Generated' }, questions: qs },
          });
          expect(a.status).toBe(201);
          const emp = await api.token('employer', org);
          const assessment = await api.request('POST', '/v1/assessments', {
            token: emp,
            body: {
              title: 'Leak check',
              timeLimitMinutes: 10,
              showResultToCandidate: show,
              sections: areas.map((area) => ({
                area,
                count: qs.filter((q) => q.area === area).length,
              })),
            },
          });
          expect(assessment.status).toBe(201);
          const inv = await api.request(
            'POST',
            `/v1/assessments/${assessment.body.assessmentId}/invitations`,
            {
              token: emp,
              body: {
                candidates: [{ name: 'Leak Check' }],
                expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
              },
            },
          );
          const token = inv.body.invitations[0].token;
          const bodies: { text: string; body: unknown }[] = [];
          const s = await api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
          bodies.push(s);
          const auth = { token: s.body.attemptToken };
          for (const q of s.body.questions) {
            bodies.push(
              await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
                ...auth,
                body: { answer: q.options ? q.options[0].id : 1 },
              }),
            );
          }
          bodies.push(await api.request('GET', `/v1/attempts/${s.body.attemptId}`, auth));
          bodies.push(await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, auth));
          const result = await api.request('GET', `/v1/attempts/${s.body.attemptId}/result`, auth);
          expect(result.status).toBe(show ? 200 : 403);
          bodies.push(result);

          // What each type hides (accepted answers, a numeric key) and every explanation.
          const secrets = qs.flatMap((q) => {
            const content = validateQuestion(q).question!;
            return [content.explanation, ...typeOf(content.type).hidden(content)];
          });
          for (const b of bodies) {
            for (const secret of secrets) expect(b.text).not.toContain(secret);
          }
          for (const b of [s, bodies.at(-3)!]) {
            const questionKeys = keysOf((b.body as { questions: unknown }).questions);
            for (const k of FORBIDDEN_KEYS)
              expect(questionKeys.has(k), `question field ${k}`).toBe(false);
          }
          const submitted = bodies.at(-2)!.body as { result?: unknown };
          if (show) expect(keysOf(submitted.result).has('questions')).toBe(false);
          else expect(submitted.result).toBeUndefined();
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
