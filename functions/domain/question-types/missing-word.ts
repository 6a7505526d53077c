import * as z from 'zod/mini';
import { hasText } from '../gift-syntax.ts';
import { giftBlock, giftEscape, giftPrompt } from '../gift-text.ts';
import { MOODLE_BLANK } from '../moodle.ts';
import { once } from '../z.ts';
import {
  anyOptionId,
  optionIdBytes,
  optionIdResponse,
  optionLabel,
  optionsView,
  showOptions,
  shuffleOptions,
} from './options.ts';
import {
  type ChoiceKey,
  choiceArbitrary,
  choiceKeyRules,
  choiceKeySchema,
  describeChoiceKey,
  gradeChoice,
  isSingleChoice,
  readSingleChoice,
  readXmlSingle,
  singleChoices,
  singleXml,
} from './single.ts';
import type { GeneratorsFor, Option, QuestionType } from './type.ts';

/** Where the blank goes in a missing-word prompt; exactly once. */
export const BLANK = '{blank}';

const blanks = (prompt: unknown) =>
  typeof prompt === 'string' ? prompt.split(BLANK).length - 1 : 0;

const occurrences = (text: string, of: string) => text.split(of).length - 1;

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.string());

/**
 * A sentence with one blank and the choices for it (GIFT's missing word): the prompt marks
 * the blank with `{blank}`, the key is one option (or Moodle's partial credit per option);
 * graded as a single choice. The candidate sees the prompt with its `{blank}` and the options
 * shuffled, to show in place of the blank.
 */
export const missingWord: QuestionType<'missing-word', ChoiceKey, string, { options: Option[] }> = {
  id: 'missing-word',
  withOptions: true,
  get key() {
    return choiceKeySchema();
  },
  rules: (q) => [
    ...choiceKeyRules(q),
    ...(blanks(q.prompt) === 1
      ? []
      : [
          {
            path: 'prompt',
            message: `A missing-word prompt marks its blank with ${BLANK} exactly once (it has ${blanks(q.prompt)}).`,
          },
        ]),
  ],
  get answer() {
    return answerSchema();
  },
  expected: 'one option id',
  response: optionIdResponse,
  answerBytes: optionIdBytes,
  answerKind: 'one id',
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 0,
  grade: (q, r) => gradeChoice(q.answer, r),
  describe: optionLabel,
  describeKey: describeChoiceKey,
  gift: {
    // `Moodle costs {~lots =nothing} to download.`: text after a choice block makes the blank
    // (`gift-read.ts` puts `{blank}` where the block was).
    read: {
      blank: BLANK,
      claims: (b) => hasText(b.after) && isSingleChoice(b),
      read: (r, b) => readSingleChoice(r, b.body, b.pos),
    },
    write: (q) => {
      const [before, after] = q.prompt.split(BLANK) as [string, string];
      // The text after the block needs no format-marker guard: only a question's start has one.
      return { text: `${giftPrompt(before)}${giftBlock(q, singleChoices(q))}${giftEscape(after)}` };
    },
  },
  moodle: {
    // Moodle XML has no missing word of its own: a GIFT one becomes a multiple choice whose
    // text has five underscores where the block was.
    read: {
      claims: (q) => q.qtype === 'multichoice' && q.single && q.prompt.includes(MOODLE_BLANK),
      read: (r, q) => {
        if (occurrences(q.prompt, MOODLE_BLANK) > 1) {
          return r.fail(
            `The question text has ${occurrences(q.prompt, MOODLE_BLANK)} blanks "${MOODLE_BLANK}"; a missing-word question has one.`,
            q.pos,
            'prompt',
          );
        }
        const key = readXmlSingle(r, q);
        return key && { ...key, prompt: q.prompt.replace(MOODLE_BLANK, BLANK) };
      },
    },
    write: (q) =>
      occurrences(q.prompt, MOODLE_BLANK) > 0
        ? {
            skip: `The prompt contains "${MOODLE_BLANK}" besides its blank; Moodle XML would read two blanks.`,
          }
        : {
            qtype: 'multichoice',
            body: singleXml(q),
            prompt: q.prompt.replace(BLANK, MOODLE_BLANK),
          },
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const missingWordGenerators: GeneratorsFor<typeof missingWord> = {
  arbitrary: (fast, gen) =>
    fast
      .tuple(choiceArbitrary(fast, gen), gen.text(1, 1900), gen.text(1, 1900))
      .map(([key, before, after]) => ({ ...key, prompt: `${before} ${BLANK} ${after}` })),
  answers: anyOptionId,
};
