import * as z from 'zod/mini';
import { hasText, str } from '../gift-syntax.ts';
import { giftBlock, giftEscape, giftText } from '../gift-text.ts';
import {
  anyOptionId,
  optionIdBytes,
  optionIdResponse,
  optionLabel,
  optionsArbitrary,
  optionsView,
  showOptions,
  shuffleOptions,
  unknownOptionIssues,
} from './options.ts';
import { isSingleChoice, readSingleChoice, single, singleChoices } from './single.ts';
import type { Option, QuestionType } from './type.ts';

/** Where the blank goes in a missing-word prompt; exactly once. */
export const BLANK = '{blank}';

const blanks = (prompt: unknown) =>
  typeof prompt === 'string' ? prompt.split(BLANK).length - 1 : 0;

/**
 * A sentence with one blank and the choices for it (GIFT's missing word): the prompt marks
 * the blank with `{blank}`, the key is one option; graded as a single choice. The candidate
 * sees the prompt with its `{blank}` and the options shuffled, to show in place of the blank.
 */
export const missingWord: QuestionType<'missing-word', string, string, { options: Option[] }> = {
  id: 'missing-word',
  withOptions: true,
  key: z.string().check(z.minLength(1)),
  rules: (q) => [
    ...unknownOptionIssues(q, [q.answer]),
    ...(blanks(q.prompt) === 1
      ? []
      : [
          {
            path: 'prompt',
            message: `A missing-word prompt marks its blank with ${BLANK} exactly once (it has ${blanks(q.prompt)}).`,
          },
        ]),
  ],
  answer: z.string(),
  expected: 'one option id',
  response: optionIdResponse,
  answerBytes: optionIdBytes,
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 0,
  grade: (q, r) => single.grade(q, r),
  describe: optionLabel,
  gift: {
    // `Moodle costs {~lots =nothing} to download.`: text after the block makes the blank.
    read: {
      claims: (b) => hasText(b.after),
      read: (r, b) => {
        if (!isSingleChoice(b)) {
          return r.fail(
            'Text after the answer block makes a missing-word question, which Assay reads only with choices and one key ("{=right ~wrong ...}"); end any other question with its answer block.',
            b.pos,
            'answer',
          );
        }
        const key = readSingleChoice(r, b.body);
        return key && { ...key, prompt: `${str(b.before)}${BLANK}${str(b.after)}` };
      },
    },
    write: (q) => {
      const [before, after] = q.prompt.split(BLANK) as [string, string];
      // The text after the block needs no format-marker guard: only a question's start has one.
      return { text: `${giftText(before)}${giftBlock(q, singleChoices(q))}${giftEscape(after)}` };
    },
  },
  arbitrary: (fast, gen) =>
    fast
      .tuple(optionsArbitrary(fast, gen), gen.text(1, 1900), gen.text(1, 1900))
      .chain(([options, before, after]) =>
        fast.constantFrom(...options.map((o) => o.id)).map((answer) => ({
          options,
          answer,
          prompt: `${before} ${BLANK} ${after}`,
        })),
      ),
  answers: anyOptionId,
};
