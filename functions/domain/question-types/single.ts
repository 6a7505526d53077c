import * as z from 'zod/mini';
import {
  type Chars,
  choiceAnswers,
  type GiftBlock,
  type GiftQuestion,
  hasText,
  indexOfMark,
  splitAt,
  str,
  trim,
} from '../gift-syntax.ts';
import { giftChoices, giftQuestion } from '../gift-text.ts';
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
import type { Authored, Content, Option, QuestionType } from './type.ts';

/**
 * `{=key ~wrong ...}`: exactly one `=` answer is the key, the others are worth nothing. Shared
 * with the types graded as a single choice (missing-word).
 */
export function readSingleChoice(r: GiftQuestion, body: Chars): Authored<string> | undefined {
  const answers = choiceAnswers(r, body);
  if (!answers) return undefined;
  const keys = answers.filter((a) => a.mark === '=');
  if (keys.length > 1) {
    return r.fail(
      `${keys.length} answers are marked "="; a single-choice question has one key. Weight several correct answers instead: "~%50%".`,
      keys[1]!.pos,
      'answer',
    );
  }
  for (const a of answers) {
    if (a.mark === '=' && a.weight !== undefined && a.weight !== 100) {
      r.fail(
        `The "=" answer is worth ${a.weight}%; a single-choice key is worth 100%.`,
        a.pos,
        a.path,
      );
    } else if (a.mark === '~' && a.weight !== undefined && a.weight !== 0) {
      r.fail(
        `Partial credit (${a.weight}%) beside a "=" answer cannot be represented: a single-choice question scores only its key. Drop the weight, or weight every answer ("~%n%") for a multi question.`,
        a.pos,
        a.path,
      );
    }
  }
  const options = r.options(answers);
  r.at('answer', keys[0]!.pos);
  return options && { options, answer: options[answers.indexOf(keys[0]!)]!.id };
}

/** `{T}`, `{FALSE#feedback if wrong#feedback if right}`: options true/false. */
function readTrueFalse(r: GiftQuestion, body: Chars): Authored<string> | undefined {
  const parts = splitAt(body, '#');
  if (parts.length > 3) {
    return r.fail(
      'A true/false answer takes at most two feedbacks: {T#if wrong#if right}.',
      r.posAt(body, parts[3]!.at),
    );
  }
  const isTrue = /^t/i.test(str(trim(parts[0]!.body)));
  const pos = r.posAt(body);
  const options = r.options(
    [
      { text: 'True', pos },
      { text: 'False', pos },
    ],
    (i) => (i === 0 ? 'true' : 'false'),
  );
  const [wrong, right] = [parts[1]?.body, parts[2]?.body];
  r.feedbackOn('True', isTrue ? right : wrong);
  r.feedbackOn('False', isTrue ? wrong : right);
  return options && { options, answer: options[isTrue ? 0 : 1]!.id };
}

/** Exactly the options a GIFT true/false question reads as: written `{TRUE}` / `{FALSE}`. */
const isTrueFalse = (options: readonly Option[] | undefined) =>
  options?.length === 2 &&
  options[0]?.id === 'true' &&
  options[0].text === 'True' &&
  options[1]?.id === 'false' &&
  options[1].text === 'False';

/** A choice block with one `=` key, and nothing after it. */
export const isSingleChoice = (b: GiftBlock) =>
  b.form === 'multichoice' && indexOfMark(b.body, '=') >= 0;

/** The answers of a single choice: `=` on the key, `~` on the others. */
export const singleChoices = (q: Content<string>) =>
  giftChoices(q.options, (o) => ({ mark: o.id === q.answer ? '=' : '~' }));

/** One correct option; 1 or 0. */
export const single: QuestionType<'single', string, string, { options: Option[] }> = {
  id: 'single',
  withOptions: true,
  key: z.string().check(z.minLength(1)),
  rules: (q) => unknownOptionIssues(q, [q.answer]),
  answer: z.string(),
  expected: 'one option id',
  response: optionIdResponse,
  answerBytes: optionIdBytes,
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 0,
  grade: (q, r) => (r === q.answer ? 1 : 0),
  describe: optionLabel,
  gift: {
    read: {
      claims: (b) => !hasText(b.after) && (isSingleChoice(b) || b.form === 'truefalse'),
      read: (r, b) =>
        b.form === 'truefalse' ? readTrueFalse(r, b.body) : readSingleChoice(r, b.body),
    },
    write: (q) =>
      isTrueFalse(q.options)
        ? {
            ...giftQuestion(q, [q.answer === 'true' ? 'TRUE' : 'FALSE']),
            readBackIds: ['true', 'false'],
          }
        : giftQuestion(q, singleChoices(q)),
  },
  arbitrary: (fast, gen) =>
    optionsArbitrary(fast, gen).chain((options) =>
      fast.constantFrom(...options.map((o) => o.id)).map((answer) => ({ options, answer })),
    ),
  answers: anyOptionId,
};
