import * as z from 'zod/mini';
import { giftBlock, giftChoice } from './gift-text.ts';
import { optionIdResponse, unknownOptionIssues } from './options.ts';
import type { QuestionType } from './type.ts';

/** One correct option; 1 or 0. */
export const single: QuestionType<string, string> = {
  id: 'single',
  withOptions: true,
  key: z.string().check(z.minLength(1)),
  rules: (q) => unknownOptionIssues(q, [q.answer]),
  response: optionIdResponse,
  grade: (q, r) => (r === q.answer ? 1 : 0),
  // Exactly the options a GIFT true/false question reads as become `{TRUE}` / `{FALSE}` again.
  toGift: (q) =>
    q.options?.length === 2 &&
    q.options[0]?.id === 'true' &&
    q.options[0].text === 'True' &&
    q.options[1]?.id === 'false' &&
    q.options[1].text === 'False'
      ? giftBlock(q, [q.answer === 'true' ? 'TRUE' : 'FALSE'])
      : giftChoice(q, (o) => ({ mark: o.id === q.answer ? '=' : '~' })),
};
