import * as z from 'zod/mini';
import { giftAnswer, giftBlock } from './gift-text.ts';
import type { QuestionType } from './type.ts';

/** NFKC, trimmed, lower-cased, inner white space collapsed: how short answers are compared. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * A short text answer, compared after normalisation with the accepted answers. Deliberately
 * no author regexes: a pattern from an upload is a ReDoS waiting to happen.
 */
export const text: QuestionType<string[], string> = {
  id: 'text',
  withOptions: false,
  key: z
    .array(z.string().check(z.minLength(1), z.maxLength(200)))
    .check(z.minLength(1), z.maxLength(20)),
  rules: (q) =>
    q.answer
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => normaliseText(a) === '')
      .map(({ i }) => ({ path: `answer[${i}]`, message: 'An accepted answer cannot be blank.' })),
  response: () => z.string().check(z.maxLength(500)),
  grade: (q, r) => {
    const given = normaliseText(r);
    return q.answer.some((a) => normaliseText(a) === given) ? 1 : 0;
  },
  // GIFT reads `=` with `->` as a matching question, and `->` cannot be escaped: not expressible.
  toGift: (q) =>
    q.answer.some((a) => a.includes('->'))
      ? undefined
      : giftBlock(
          q,
          q.answer.map((a) => giftAnswer('=', a)),
        ),
};
