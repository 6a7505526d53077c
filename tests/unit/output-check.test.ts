import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { candidateView, startQuestion } from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { conform, OutputMismatch, type OutputSchema } from '../../functions/http/conform.ts';
import { OUTPUTS as CANDIDATE_OUTPUTS } from '../../functions/http/outputs/candidate.ts';
import { AttemptView } from '../../functions/http/schemas/candidates.ts';
import { GROUPS, outputModule, outputSchema } from '../../scripts/output-schemas.ts';
import { withAnswers } from '../support/questions.ts';

const walk = (schema: z.ZodMiniType, value: unknown) =>
  conform(outputSchema(schema, 'test'), value);

describe('the output check (functions/http/conform.ts)', () => {
  it('keeps only the properties an object schema names, at every depth, in the schema order', () => {
    const schema = z.object({
      a: z.string(),
      inner: z.object({ b: z.int() }),
      list: z.array(z.object({ c: z.boolean() })),
    });
    const body = {
      secret: 'key',
      list: [{ c: true, weight: 3 }],
      inner: { b: 1, explanation: 'x' },
      a: 'ok',
    };
    expect(JSON.stringify(walk(schema, body))).toBe(
      '{"a":"ok","inner":{"b":1},"list":[{"c":true}]}',
    );
    expect(body.inner).toHaveProperty('explanation'); // a copy: the operation's object is left as it was
  });

  it('takes the branch a discriminated union names, and strips what that branch does not name', () => {
    const schema = z.discriminatedUnion('type', [
      z.object({ type: z.literal('single'), options: z.array(z.string()) }),
      z.object({ type: z.literal('numeric'), unit: z.optional(z.string()) }),
    ]);
    expect(walk(schema, { type: 'numeric', options: ['leak'], unit: 'ms', answer: 3 })).toEqual({
      type: 'numeric',
      unit: 'ms',
    });
    expect(() => walk(schema, { type: 'essay' })).toThrow(/no form has type "essay"/);
  });

  it("takes a plain union's first branch that fits, and a branch that did not fit leaves nothing in the copy", () => {
    const schema = z.union([
      z.object({ id: z.string(), n: z.int() }),
      z.object({ id: z.string(), text: z.string() }),
    ]);
    expect(walk(schema, { id: 'q', text: 't', n: 'not a number' })).toEqual({ id: 'q', text: 't' });
    expect(walk(schema, { id: 'q', n: 2, text: 't' })).toEqual({ id: 'q', n: 2 });
  });

  it('checks records, nullables, enums, literals, bounds and patterns as zod does', () => {
    const schema = z.object({
      answers: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.number()])),
      current: z.nullable(z.string()),
      status: z.enum(['active', 'submitted']),
      version: z.literal(1),
      count: z.int().check(z.minimum(0), z.maximum(10)),
      id: z.string().check(z.regex(/^[0-9A-Z]{4}$/)),
    });
    const good = {
      answers: { q1: 'a', q2: ['b'], q3: 1.5 },
      current: null,
      status: 'active',
      version: 1,
      count: 3,
      id: 'AB12',
    };
    expect(walk(schema, good)).toEqual(schema.parse(good));
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ answers: { q1: true } }, /at \.answers\.q1: it fits none of its forms/],
      [{ current: undefined }, /at \.current: missing/],
      [{ status: 'expired' }, /at \.status: not one of its values/],
      [{ version: 2 }, /at \.version: not one of its values/],
      [{ count: 11 }, /at \.count: 11 is out of its bounds/],
      [{ count: 1.5 }, /at \.count: a number where integer belongs/],
      [{ count: Number.NaN }, /at \.count: a NaN where integer belongs/],
      [{ id: 'ab12' }, /at \.id: does not match/],
    ];
    for (const [change, message] of bad) {
      expect(() => schema.parse({ ...good, ...change })).toThrow();
      expect(() => walk(schema, { ...good, ...change })).toThrow(message);
    }
    expect(() => walk(schema, { ...good, count: 11 })).toThrow(OutputMismatch);
    // z.int() is a safe integer: the generated text leaves its bounds out, the check keeps them.
    const int = z.object({ n: z.int() });
    expect(JSON.stringify(outputSchema(int, 'int'))).not.toContain('9007199254740991');
    expect(() => int.parse({ n: 2 ** 60 })).toThrow();
    expect(() => walk(int, { n: 2 ** 60 })).toThrow(/at \.n: a number where integer belongs/);
    expect(walk(z.object({ x: z.number() }), { x: 2 ** 60 })).toEqual({ x: 2 ** 60 });
  });

  it('refuses, when writing the schemas, what it would not check: a transform, an unknown keyword, a oneOf without a tag', () => {
    expect(() =>
      outputSchema(
        z.pipe(
          z.string(),
          z.transform((s) => s.length),
        ),
        'transform',
      ),
    ).toThrow();
    expect(() => outputSchema(z.object({ email: z.email() }), 'email')).toThrow(
      /does not handle "format"/,
    );
    const tagged: OutputSchema = outputSchema(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('a') }),
        z.object({ kind: z.literal('b') }),
      ]),
      'tagged',
    );
    expect(tagged.discriminator).toEqual({ propertyName: 'kind' });
  });

  it('lets out of an attempt view exactly what zod lets out, for every question type and its answers (property)', () => {
    for (const t of QUESTION_TYPE_LIST) {
      fc.assert(
        fc.property(withAnswers(t.id), ([q, answer]) => {
          const view = candidateView(q, startQuestion(q, '01KAY0000000000000000000AT'));
          const attempt = (question: object) => ({
            attemptId: '01KAY0000000000000000000AT',
            status: 'active',
            startedAt: '2026-11-30T00:00:00.000Z',
            deadline: '2026-11-30T01:00:00.000Z',
            gracePeriodSeconds: 30,
            serverTime: '2026-11-30T00:00:01.000Z',
            assessment: { title: 'T', timeLimitMinutes: 60, key: 'leak' },
            questions: [question],
            answers: { [q.id]: answer },
            revisions: { [q.id]: { revision: 1, savedAt: '2026-11-30T00:00:01.000Z', score: 1 } },
            score: 0.5,
          });
          // What the attempt-level objects do not name is cut, as zod cuts it.
          const checked = CANDIDATE_OUTPUTS('getAttempt 200', attempt(view))!.body;
          expect(JSON.stringify(checked)).toBe(JSON.stringify(AttemptView().parse(attempt(view))));
          expect(JSON.stringify(checked)).not.toMatch(/"(?:key|score)":/);
          // A question view with the stored question spread into it (what a bug would send)
          // is refused by both: its type's view schema is strict.
          const leaky = attempt({ ...q, ...view, weights: [1] });
          expect(() => AttemptView().parse(leaky)).toThrow();
          expect(() => CANDIDATE_OUTPUTS('getAttempt 200', leaky)).toThrow(OutputMismatch);
        }),
        { numRuns: 40 },
      );
    }
  }, 60_000);
});

describe('the generated output schemas (functions/http/outputs)', () => {
  for (const group of GROUPS) {
    it(`${group}: the file is what npm run generate:outputs writes from today's route table`, () => {
      expect(readFileSync(`functions/http/outputs/${group}.ts`, 'utf8')).toBe(outputModule(group));
    });
  }
});
