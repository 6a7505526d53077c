import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AnswerSchema,
  answerBytes,
  CandidateQuestionSchema,
  candidateView,
  describeAnswer,
  describeKey,
  gradeResponse,
  parseResponse,
  startQuestion,
  validateQuestion,
} from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { buildOpenApi } from '../../functions/http/openapi.ts';
import { generatedCommon, markedTexts, ofType, withAnswers } from '../support/questions.ts';

describe('every question type', () => {
  for (const t of QUESTION_TYPE_LIST) {
    describe(t.id, () => {
      const questions = ofType(t.id, markedTexts, generatedCommon);

      it('generates only questions its own validation accepts', () => {
        fc.assert(
          fc.property(questions, (raw) => {
            expect(validateQuestion(raw).issues).toEqual([]);
          }),
          { numRuns: 100 },
        );
      }, 20_000);

      it('describes its key in words, every form of it (a key shaped as an answer as that answer)', () => {
        fc.assert(
          fc.property(questions, (raw) => {
            const q = validateQuestion(raw).question!;
            const text = describeKey(q);
            expect(text.trim()).not.toBe('');
            // Never the stored JSON: no object or list syntax, no key member names.
            expect(text).not.toMatch(/^[[{]|"(?:weights|answers|value|credit|pairs)"\s*:/);
            if (parseResponse(q, q.answer).ok) expect(text).toBe(describeAnswer(q, q.answer));
          }),
          { numRuns: 100 },
        );
      }, 20_000);

      it('shows a candidate only the fields its view schema declares, and nothing it hides', () => {
        fc.assert(
          fc.property(questions, (raw) => {
            const q = validateQuestion(raw).question!;
            const view = candidateView(q, startQuestion(q, '01KAY0000000000000000000AT'));
            expect(CandidateQuestionSchema().safeParse(view).success).toBe(true);
            const json = JSON.stringify(view);
            for (const secret of [q.explanation, ...t.hidden(q as never)]) {
              expect(json).not.toContain(secret);
            }
            expect(Object.keys(view)).not.toContain('answer');
          }),
          { numRuns: 100 },
        );
      }, 20_000);

      it('accepts every answer its generator makes: at the edge, for the question, graded in [0,1], rendered, within its bytes', () => {
        fc.assert(
          fc.property(withAnswers(t.id), ([q, answer]) => {
            expect(AnswerSchema().safeParse(answer).success).toBe(true);
            expect(parseResponse(q, answer)).toEqual({ ok: true, value: answer });
            const score = gradeResponse(q, answer);
            expect(score).toBeGreaterThanOrEqual(0);
            expect(score).toBeLessThanOrEqual(1);
            expect(describeAnswer(q, answer)).toMatch(/\S/);
            expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(answerBytes(q));
          }),
          { numRuns: 100 },
        );
      }, 20_000);

      it(`declares its answer as ${t.answerKind === 'text' ? 'neither option ids nor a number' : t.answerKind}, as its response schema takes`, () => {
        fc.assert(
          fc.property(questions, (raw) => {
            const q = validateQuestion(raw).question!;
            const ids = q.options?.map((o) => o.id) ?? [];
            const takes = (answer: unknown) => parseResponse(q, answer).ok;
            const kind =
              ids.length && takes(ids[0])
                ? 'one id'
                : ids.length
                  ? 'ids'
                  : takes(0)
                    ? 'number'
                    : 'text';
            expect(kind).toBe(t.answerKind);
            if (kind === 'ids') expect(ids.some(takes)).toBe(false);
          }),
          { numRuns: 100 },
        );
      }, 20_000);

      it('says what it takes when an answer does not fit, and scores that answer 0', () => {
        fc.assert(
          fc.property(questions, (raw) => {
            const q = validateQuestion(raw).question!;
            const r = parseResponse(q, { not: 'an answer' });
            expect(r.ok).toBe(false);
            if (!r.ok) expect(r.issues[0]!.message).toContain(`takes ${t.expected}`);
            expect(gradeResponse(q, { not: 'an answer' })).toBe(0);
            expect(describeAnswer(q, undefined)).toBeUndefined();
          }),
          { numRuns: 20 },
        );
      }, 20_000);
    });
  }
});

describe('answer bytes', () => {
  it('bound the longest storable number in JSON (found by the property above: 25 bytes)', () => {
    const q = validateQuestion({
      id: 'q-number',
      area: 'security',
      type: 'numeric',
      difficulty: 2,
      prompt: 'A generated prompt of some length.',
      answer: { value: 1, tolerance: 0 },
      explanation: 'A generated explanation of why the key is right.',
      tags: ['generated'],
    }).question!;
    for (const n of [-0.0000012345678901234567, -1.2345678901234567e-12, -123456789012345.67])
      expect(JSON.stringify(n).length).toBeLessThanOrEqual(answerBytes(q));
  });
});

describe('the answer schema of PUT /v1/attempts/{id}/answers/{qid}', () => {
  it('has one OpenAPI branch per question type, named by the type', () => {
    const doc = buildOpenApi() as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const body = doc.paths['/v1/attempts/{attemptId}/answers/{questionId}']!.put!.requestBody
      .content['application/json']!.schema as {
      properties: { answer: { anyOf: { title: string }[] } };
    };
    expect(body.properties.answer.anyOf.map((b) => b.title)).toEqual(
      QUESTION_TYPE_LIST.map((t) => t.id),
    );
  });

  it('explains, by type, what an answer is when a value fits none', () => {
    const r = AnswerSchema().safeParse({ pick: 'a' });
    expect(r.success).toBe(false);
    const message = r.error!.issues[0]!.message;
    expect(message).toMatch(/^An answer is /);
    for (const t of QUESTION_TYPE_LIST) {
      expect(message).toContain(t.expected);
      expect(message).toMatch(new RegExp(`[(, ]${t.id}[,)]`));
    }
  });

  it('keeps the message of the one kind of answer a value nearly fits', () => {
    const r = AnswerSchema().safeParse(1e300);
    expect(r.error!.issues[0]!.message).toMatch(/^Numbers are 0 or between/);
  });
});
