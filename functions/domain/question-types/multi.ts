import * as z from 'zod/mini';
import { choiceAnswers, hasText, indexOfMark } from '../gift-syntax.ts';
import { giftChoices, giftQuestion, giftWeight } from '../gift-text.ts';
import {
  optionLabel,
  optionListBytes,
  optionsArbitrary,
  optionsView,
  showOptions,
  shuffleOptions,
  uniqueIds,
  unknownOptionIssues,
} from './options.ts';
import type { Option, QuestionType } from './type.ts';

/** Several correct options; partial credit: (correct picks - wrong picks) / keys, floored at 0. */
export const multi: QuestionType<'multi', string[], string[], { options: Option[] }> = {
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
  answer: z.array(z.string()).check(z.maxLength(10)),
  expected: 'a list of distinct option ids',
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
  answerBytes: optionListBytes,
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 1,
  grade: (q, picks) => {
    const key = new Set(q.answer);
    const right = picks.filter((p) => key.has(p)).length;
    const wrong = picks.length - right;
    return Math.max(0, (right - wrong) / key.size);
  },
  describe: (q, picks) =>
    picks.length ? picks.map((id) => optionLabel(q, id)).join('; ') : '(no option picked)',
  gift: {
    // `{~%50%a ~%50%b ~%-100%c}`: weights and no `=`; the answers weighted above 0 are the keys.
    read: {
      claims: (b) => !hasText(b.after) && b.form === 'multichoice' && indexOfMark(b.body, '=') < 0,
      read: (r, b) => {
        const answers = choiceAnswers(r, b.body);
        if (!answers) return undefined;
        const correct = answers.flatMap((a, i) => ((a.weight ?? 0) > 0 ? [i] : []));
        if (correct.length === 0) {
          r.fail(
            'No answer has a positive weight ("~%50%..."), so no answer is correct.',
            b.pos,
            'answer',
          );
        }
        correct.forEach((i, n) => {
          r.at(`answer[${n}]`, answers[i]!.pos);
        });
        const options = r.options(answers);
        return options && { options, answer: correct.map((i) => options[i]!.id) };
      },
    },
    // Moodle's weighted multiple answers: each key gets 100/keys %, each wrong option -100/keys %.
    write: (q) => {
      const share = giftWeight(100 / q.answer.length);
      return giftQuestion(
        q,
        giftChoices(q.options, (o) => ({
          mark: '~',
          weight: q.answer.includes(o.id) ? share : `-${share}`,
        })),
      );
    },
  },
  arbitrary: (fast, gen) =>
    optionsArbitrary(fast, gen).chain((options) =>
      fast
        .subarray(options, { minLength: 1, maxLength: options.length - 1 })
        .map((keys) => ({ options, answer: keys.map((o) => o.id) })),
    ),
  // Any distinct picks in any order, none to all.
  answers: (fast, q) =>
    fast.shuffledSubarray(
      (q.options ?? []).map((o) => o.id),
      { minLength: 0 },
    ),
};
