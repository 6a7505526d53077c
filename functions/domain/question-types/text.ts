import * as z from 'zod/mini';
import { hasText, plain, splitAt, splitFeedback, splitWeight, str, trim } from '../gift-syntax.ts';
import { giftAnswer, giftQuestion } from '../gift-text.ts';
import { cleanText, withoutUnclean } from '../text.ts';
import type { QuestionType } from './type.ts';

/** NFKC, trimmed, lower-cased, inner white space collapsed: how short answers are compared. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * A short text answer, compared after normalisation with the accepted answers. Deliberately
 * no author regexes: a pattern from an upload is a ReDoS waiting to happen.
 */
export const text: QuestionType<'text', string[], string, Record<never, never>> = {
  id: 'text',
  withOptions: false,
  // Long text: a tab or newline is white space that normaliseText collapses, like any other.
  key: z.array(cleanText('long', { min: 1, max: 200 })).check(z.minLength(1), z.maxLength(20)),
  rules: (q) =>
    q.answer
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => normaliseText(a) === '')
      .map(({ i }) => ({ path: `answer[${i}]`, message: 'An accepted answer cannot be blank.' })),
  answer: cleanText('long', { max: 500 }),
  expected: 'a text',
  response: () => cleanText('long', { max: 500 }),
  // 500 UTF-16 units, each at most 6 bytes in JSON (a control character as \u001f), and quotes.
  answerBytes: () => 2 + 6 * 500,
  view: {},
  show: () => ({}),
  hidden: (q) => q.answer,
  effortSeconds: 2,
  grade: (q, r) => {
    const given = normaliseText(r);
    return q.answer.some((a) => normaliseText(a) === given) ? 1 : 0;
  },
  describe: (_q, r) => JSON.stringify(r),
  gift: {
    // `{=a =b}`: every answer accepted, none partially.
    read: {
      claims: (b) => !hasText(b.after) && b.form === 'shortanswer',
      read: (r, b) => {
        const parts = splitAt(b.body, '=');
        if (trim(parts[0]!.body).length) {
          return r.fail(
            'Text before the first "=" answer of a short-answer question.',
            r.posAt(parts[0]!.body),
          );
        }
        const answer = parts.slice(1).map((p, i) => {
          const pos = r.posAt(b.body, p.at);
          r.at(`answer[${i}]`, pos);
          const w = splitWeight(p.body);
          if (w.weight !== undefined && w.weight !== 100) {
            r.fail(
              `Partial credit (${w.weight}%) for a short answer cannot be represented: every accepted answer scores 1.`,
              pos,
              `answer[${i}]`,
            );
          }
          const f = splitFeedback(w.rest);
          const text = str(plain(f.text));
          r.feedbackOn(text, f.feedback);
          return text;
        });
        return { answer };
      },
    },
    // GIFT reads `=` with `->` as a matching question, and `->` cannot be escaped.
    write: (q) =>
      q.answer.some((a) => a.includes('->'))
        ? {
            skip: 'An accepted answer contains "->", which GIFT reads as a matching question and cannot escape.',
          }
        : giftQuestion(
            q,
            q.answer.map((a) => giftAnswer('=', a)),
          ),
  },
  arbitrary: (fast, gen) =>
    fast
      .array(
        gen.text(1, 200).filter((s) => normaliseText(s) !== ''),
        { minLength: 1, maxLength: 20 },
      )
      .map((answer) => ({ answer })),
  // Anything a person can send: any characters but those the clean-text rules refuse.
  answers: (fast) =>
    fast
      .string({ unit: 'binary', maxLength: 500 })
      .map((s) => withoutUnclean(s, 'long'))
      .filter((s) => s.length <= 500),
};
