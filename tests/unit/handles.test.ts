/**
 * Per-attempt handles (functions/domain/handles.ts): question handles name answer slots and
 * nothing else; option handles name options by the position shown, and every answer a question
 * accepts goes to handles and back unchanged, graded the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerToBank,
  answerToHandles,
  contentWithHandles,
  questionHandle,
  slotOfHandle,
  viewWithHandles,
} from '../../functions/domain/handles.ts';
import {
  answerKind,
  candidateView,
  gradeResponse,
  parseResponse,
  startQuestion,
} from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { withAnswers } from '../support/questions.ts';

describe('question handles', () => {
  it('name every answer slot as q<slot + 1>, and read back to the same slot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9998 }), (slot) => {
        expect(slotOfHandle(questionHandle(slot))).toBe(slot);
      }),
    );
    expect([questionHandle(0), questionHandle(11)]).toEqual(['q1', 'q12']);
  });

  it('read nothing that is not exactly a handle: no zero, leading zero, sign, space, case or bank id', () => {
    for (const s of [
      'q0',
      'q01',
      'q-1',
      '-q1',
      'q1 ',
      ' q1',
      'Q1',
      'q1.5',
      'q1e2',
      'q',
      'q10000',
      '__proto__',
      'constructor',
      'api-rate-limit-429-retry-after',
      'o1',
      '',
    ])
      expect(slotOfHandle(s), JSON.stringify(s)).toBeUndefined();
  });

  it('read no string other than a handle, whatever it is', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const slot = slotOfHandle(s);
        if (slot !== undefined) expect(questionHandle(slot)).toBe(s);
      }),
    );
  });
});

const withOptions = QUESTION_TYPE_LIST.filter((t) => t.withOptions).map((t) => t.id);

describe('option handles', () => {
  it.each(withOptions)(
    'name a %s question’s options o1..oN in the order shown, and carry every answer to handles and back',
    (type) => {
      fc.assert(
        fc.property(withAnswers(type), fc.string(), ([q, answer], attemptId) => {
          const shown = candidateView(q, startQuestion(q, attemptId));
          const { view, options } = viewWithHandles(shown, 4, answerKind(q));
          const shownOptions = shown.options as { id: string; text: string }[];
          expect(view.questionId).toBe('q5');
          expect(view.options).toEqual(
            shownOptions.map((o, k) => ({ id: `o${k + 1}`, text: o.text })),
          );
          const sent = answerToHandles(answer, options);
          const checked = parseResponse(contentWithHandles(q, options), sent);
          expect(checked.ok).toBe(true);
          const stored = answerToBank((checked as { value: unknown }).value, options);
          expect(stored).toEqual(answer);
          expect(gradeResponse(q, stored)).toBe(gradeResponse(q, answer));
        }),
        { numRuns: 60 },
      );
    },
    30_000,
  );

  it.each(withOptions)(
    'refuse a %s answer naming a bank option id, in messages that name no other bank id',
    (type) => {
      fc.assert(
        fc.property(withAnswers(type), ([q]) => {
          const view = candidateView(q, startQuestion(q, 'a1'));
          const { options } = viewWithHandles(view, 0, answerKind(q));
          const bankIds = (q.options ?? []).map((o) => o.id);
          // A bank id that is not also some handle (an author may call an option "o1").
          const foreign = bankIds.find((id) => !options.toBank.has(id));
          if (foreign === undefined) return;
          const content = contentWithHandles(q, options);
          // As one option and as a list of options: refused either way.
          for (const sent of [foreign, [foreign]]) {
            const checked = parseResponse(content, sent);
            expect(checked.ok).toBe(false);
            const text = JSON.stringify(checked);
            // No other bank id appears (the one sent may be quoted back to its sender).
            for (const id of bankIds.filter((i) => i !== foreign && i.length >= 8))
              expect(text).not.toContain(id);
          }
        }),
        { numRuns: 40 },
      );
    },
    30_000,
  );

  it.each(QUESTION_TYPE_LIST.filter((t) => !t.withOptions).map((t) => t.id))(
    'leave a %s question’s view and answers as they are, but for its handle',
    (type) => {
      fc.assert(
        fc.property(withAnswers(type), ([q, answer]) => {
          const shown = candidateView(q, startQuestion(q, 'a1'));
          const { view, options } = viewWithHandles(shown, 0, answerKind(q));
          expect(view).toEqual({ ...shown, questionId: 'q1' });
          expect(answerToHandles(answer, options)).toEqual(answer);
          expect(answerToBank(answer, options)).toEqual(answer);
        }),
        { numRuns: 40 },
      );
    },
    30_000,
  );
});
