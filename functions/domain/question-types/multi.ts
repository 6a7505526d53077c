import * as z from 'zod/mini';
import { giftChoice, giftWeight } from './gift-text.ts';
import { uniqueIds, unknownOptionIssues } from './options.ts';
import type { QuestionType } from './type.ts';

/** Several correct options; partial credit: (correct picks - wrong picks) / keys, floored at 0. */
export const multi: QuestionType<string[], string[]> = {
  id: 'multi',
  withOptions: true,
  key: z.array(z.string()).check(z.minLength(1, 'Give at least one correct option id.')),
  rules: (q) => [
    ...unknownOptionIssues(q, q.answer),
    ...(uniqueIds(q.answer)
      ? []
      : [{ path: 'answer', message: 'Option ids in the key must be unique.' }]),
    ...(q.answer.length === q.options?.length
      ? [
          {
            path: 'answer',
            message: 'At least one option must be wrong; a key of every option measures nothing.',
          },
        ]
      : []),
  ],
  response: (q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    return z.array(z.string()).check(
      z.maxLength(ids.length),
      z.refine((v) => v.every((x) => ids.includes(x)), {
        message: `Every pick must be one of: ${ids.join(', ')}.`,
      }),
      z.refine(uniqueIds, { message: 'Each option may be picked once.' }),
    );
  },
  grade: (q, picks) => {
    const key = new Set(q.answer);
    const right = picks.filter((p) => key.has(p)).length;
    const wrong = picks.length - right;
    return Math.max(0, (right - wrong) / key.size);
  },
  // Moodle's weighted multiple answers: each key gets 100/keys %, each wrong option -100/keys %.
  toGift: (q) => {
    const share = giftWeight(100 / q.answer.length);
    return giftChoice(q, (o) => ({
      mark: '~',
      weight: q.answer.includes(o.id) ? share : `-${share}`,
    }));
  },
};
