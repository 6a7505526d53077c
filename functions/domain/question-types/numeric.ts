import * as z from 'zod/mini';
import {
  type Chars,
  hasText,
  indexOfMark,
  NUMBER,
  type Pos,
  plain,
  splitAt,
  splitFeedback,
  splitWeight,
  str,
  trim,
} from '../gift-syntax.ts';
import { giftNumber, giftQuestion } from '../gift-text.ts';
import { isStorableNumber, storable } from '../numbers.ts';
import type { QuestionType } from './type.ts';

export interface NumericKey {
  value: number;
  tolerance: number;
  /**
   * What the number counts, shown to the candidate beside the input ("ms", "%", "requests per
   * second"); plain text. The candidate answers the number alone.
   */
  unit?: string;
}

/** One line of plain text, no leading or trailing space: `ms`, `%`, `requests per second`. */
const UNIT = z
  .string()
  .check(
    z.maxLength(40, 'A unit is at most 40 characters.'),
    z.regex(
      /^[^\s\p{Cc}](?:[^\n\r\p{Cc}]*[^\s\p{Cc}])?$/u,
      'A unit is one line of text without leading or trailing spaces, such as "ms" or "requests per second".',
    ),
  );

/** `3.14:0.01`, `1..5` or `3` as value and tolerance; a message when it is none of them. */
function numericAnswer(s: string): NumericKey | string {
  const range = /^(.*?)\.\.(.*)$/.exec(s);
  if (range && NUMBER.test(range[1]!.trim()) && NUMBER.test(range[2]!.trim())) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) return `The range ${s} runs backwards; write the lower bound first.`;
    return { value: (lo + hi) / 2, tolerance: (hi - lo) / 2 };
  }
  const pair = /^([^:]*):(.*)$/.exec(s);
  if (pair && NUMBER.test(pair[1]!.trim()) && NUMBER.test(pair[2]!.trim())) {
    return { value: Number(pair[1]), tolerance: Number(pair[2]) };
  }
  if (NUMBER.test(s)) return { value: Number(s), tolerance: 0 };
  return `"${s}" is not a number, "value:tolerance" or "low..high".`;
}

/** A number, optionally in a unit the candidate sees; 1 within value ± tolerance. */
export const numeric: QuestionType<'numeric', NumericKey, number, { unit?: string }> = {
  id: 'numeric',
  withOptions: false,
  key: z.strictObject({
    value: z.number().check(storable()),
    tolerance: z.number().check(z.gte(0, 'Tolerance must be >= 0.'), storable()),
    unit: z.optional(UNIT),
  }),
  rules: () => [],
  answer: z.number().check(storable()),
  expected: 'a number',
  response: () => z.number().check(storable()),
  // The longest storable number in JSON: -0.0000012345678901234567 (a sign, "0.", five zeros
  // and 17 significant digits); smaller magnitudes switch to an exponent and are shorter.
  answerBytes: () => 25,
  view: { unit: z.optional(z.string()) },
  show: (q) => (q.answer.unit === undefined ? {} : { unit: q.answer.unit }),
  hidden: (q) => [String(q.answer.value)],
  effortSeconds: 2,
  // A relative epsilon so that 0.1 + 0.2 counts as 0.3 at tolerance 0.
  grade: (q, r) =>
    Math.abs(r - q.answer.value) <=
    q.answer.tolerance + 1e-9 * Math.max(1, Math.abs(q.answer.value))
      ? 1
      : 0,
  describe: (q, r) => (q.answer.unit === undefined ? String(r) : `${r} ${q.answer.unit}`),
  gift: {
    /**
     * `{#3.14:0.01}`, `{#1..5}`, `{#3}`, or several answers `{#=1.5:0.1 =%50%1.5:0.5 ~#feedback}`
     * of which the one worth 100% is the key.
     */
    read: {
      claims: (b) => !hasText(b.after) && b.form === 'numerical',
      read: (r, b) => {
        let body = b.body.slice(1);
        const tilde = indexOfMark(body, '~');
        if (tilde >= 0) {
          const other = splitFeedback(body.slice(tilde + 1));
          if (trim(other.text).length) {
            return r.fail(
              'A "~" answer with a value in a numerical question is not supported; only "~#feedback" for any other answer is.',
              r.posAt(body, tilde),
              'answer',
            );
          }
          if (other.feedback)
            r.otherFeedback = { label: 'Any other answer', text: str(plain(other.feedback)) };
          body = body.slice(0, tilde);
        }
        const answers: (NumericKey & { weight: number; pos: Pos })[] = [];
        const read = (cs: Chars, weight: number): void => {
          const f = splitFeedback(cs);
          const t = trim(f.text);
          const pos = r.posAt(t.length ? t : cs);
          const s = str(t);
          r.feedbackOn(s, f.feedback);
          const n = numericAnswer(s);
          if (typeof n === 'string') r.fail(n, pos, 'answer');
          else answers.push({ ...n, weight, pos });
        };
        if (indexOfMark(body, '=') >= 0) {
          const parts = splitAt(body, '=');
          if (trim(parts[0]!.body).length) {
            return r.fail(
              'Text before the first "=" answer of a numerical question.',
              r.posAt(parts[0]!.body),
              'answer',
            );
          }
          for (const p of parts.slice(1)) {
            const w = splitWeight(p.body);
            read(w.rest, w.weight ?? 100);
          }
        } else {
          read(body, 100);
        }
        if (r.failed) return undefined;
        const full = answers.filter((a) => a.weight === 100);
        if (full.length !== 1) {
          return r.fail(
            full.length === 0
              ? 'A numerical question needs one answer worth 100%.'
              : `A numerical question has one key, but ${full.length} answers are worth 100% (lines ${full.map((a) => a.pos.line).join(', ')}).`,
            b.pos,
            'answer',
          );
        }
        r.at('answer', full[0]!.pos);
        return { answer: { value: full[0]!.value, tolerance: full[0]!.tolerance } };
      },
    },
    // GIFT's numerical answers have no unit: writing one without it would change the question.
    write: (q) =>
      q.answer.unit !== undefined
        ? {
            skip: `GIFT numerical answers have no unit, and this one's unit is "${q.answer.unit}".`,
          }
        : giftQuestion(q, [`#${giftNumber(q.answer.value)}:${giftNumber(q.answer.tolerance)}`]),
  },
  arbitrary: (fast, gen) =>
    fast
      .record({
        value: gen.number(),
        tolerance: gen.number().map(Math.abs),
        unit: fast.option(fast.constantFrom('ms', '%', 'requests per second', 'мс', 'GiB/s'), {
          freq: 2,
          nil: undefined,
        }),
      })
      .map(({ unit, ...answer }) => ({
        answer: unit === undefined ? answer : { ...answer, unit },
      })),
  answers: (fast) =>
    fast
      .double({ min: -1e15, max: 1e15, noNaN: true, noDefaultInfinity: true })
      .filter(isStorableNumber),
};
