import type fc from 'fast-check';
import * as z from 'zod/mini';
import {
  type Chars,
  type GiftQuestion,
  indexOfMark,
  NUMBER,
  type Pos,
  splitAt,
  splitFeedback,
  splitWeight,
  str,
  trim,
} from '../gift-syntax.ts';
import { giftNumber, giftQuestion } from '../gift-text.ts';
import {
  creditPercent,
  fractionOf,
  fullMark,
  percentOf,
  type Reader,
  sameFraction,
} from '../moodle.ts';
import { xmlEscape, xmlPlainAnswer } from '../moodle-xml-text.ts';
import { isStorableNumber, storable } from '../numbers.ts';
import { once } from '../z.ts';
import type { Authored, GeneratorsFor, QuestionType } from './type.ts';

export interface NumericAnswer {
  value: number;
  tolerance: number;
  /** The share of the score this answer earns, 0..1. */
  credit: number;
}

/**
 * A number within `value ± tolerance` scores 1; or Moodle's several answers, each with its
 * credit: the first answer (in order) whose interval holds the number gives the score, as
 * Moodle grades a numerical question.
 */
export type NumericKey = ({ value: number; tolerance: number } | { answers: NumericAnswer[] }) & {
  /**
   * What the number counts, shown to the candidate beside the input ("ms", "%", "requests per
   * second"); plain text. The candidate answers the number alone.
   */
  unit?: string;
  /**
   * `moodle`: an interval holds a number as Moodle's numerical question holds it
   * (`withinAsMoodle`). The Moodle readers set it; a key without it (every key stored before it
   * existed) holds a number as it always did (`within`).
   */
  compare?: 'moodle';
};

/** One line of plain text, no leading or trailing space: `ms`, `%`, `requests per second`. */
const UNIT = /* @__PURE__ */ once(() =>
  z
    .string()
    .check(
      z.maxLength(40, 'A unit is at most 40 characters.'),
      z.regex(
        /^[^\s\p{Cc}](?:[^\n\r\p{Cc}]*[^\s\p{Cc}])?$/u,
        'A unit is one line of text without leading or trailing spaces, such as "ms" or "requests per second".',
      ),
    ),
);

const Num = /* @__PURE__ */ once(() => z.number().check(storable()));
const COMPARE = /* @__PURE__ */ once(() => z.literal('moodle', 'compare is "moodle" or absent.'));
const Tolerance = /* @__PURE__ */ once(() =>
  z.number().check(z.gte(0, 'Tolerance must be >= 0.'), storable()),
);

/** Whether `r` is within `value ± tolerance`, with a relative epsilon so 0.1 + 0.2 is 0.3. */
const within = (a: { value: number; tolerance: number }, r: number) =>
  Math.abs(r - a.value) <= a.tolerance + 1e-9 * Math.max(1, Math.abs(a.value));

/**
 * Whether `r` is within `value ± tolerance` as Moodle decides it
 * (qtype_numerical_answer::get_tolerance_interval, nominal, and within_tolerance): the tolerance
 * grows by epsilon times the largest of the tolerance, the answer and epsilon itself, where
 * epsilon is 10^-precision and PHP's default precision is 14; then min <= r <= max, computed in
 * the same order in the same doubles.
 */
export function withinAsMoodle(a: { value: number; tolerance: number }, r: number): boolean {
  const epsilon = 1e-14;
  const margin = a.tolerance + epsilon * Math.max(a.tolerance, Math.abs(a.value), epsilon);
  return a.value - margin <= r && r <= a.value + margin;
}

/** The answers of a key, in order; the plain key is one answer worth everything. */
export const numericAnswers = (key: NumericKey): NumericAnswer[] =>
  'answers' in key ? key.answers : [{ value: key.value, tolerance: key.tolerance, credit: 1 }];

/**
 * `3.14:0.01`, `1..5` or `3` as value and tolerance; a message when it is none of them (`why`:
 * the GIFT reader's `notAGiftNumber`, which only the readers load).
 */
function numericAnswer(
  s: string,
  why: (s: string) => string,
): { value: number; tolerance: number } | string {
  const range = /^(.+?)\.\.(.*)$/.exec(s);
  if (range && NUMBER.test(range[1]!.trim()) && NUMBER.test(range[2]!.trim())) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) return `The range ${s} runs backwards; write the lower bound first.`;
    return { value: (lo + hi) / 2, tolerance: (hi - lo) / 2 };
  }
  const pair = /^([^:]*):(.*)$/.exec(s);
  if (pair && NUMBER.test(pair[1]!.trim()) && NUMBER.test(pair[2]!.trim())) {
    // Moodle keeps the size of a margin (a negative one is the same margin).
    return { value: Number(pair[1]), tolerance: Math.abs(Number(pair[2])) };
  }
  if (NUMBER.test(s)) return { value: Number(s), tolerance: 0 };
  return why(s);
}

interface Read {
  value?: { value: number; tolerance: number };
  /** `*`: any other number. */
  any?: boolean;
  fraction: number;
  pos: Pos;
  text: string;
}

/**
 * A numeric key from Moodle's answers, in order: a catch-all `*` worth nothing at the end
 * changes no score and is left out (its feedback stays); one worth something, or with answers
 * after it, is refused; a negative credit is a penalty Assay cannot give; one answer must be
 * worth 100%.
 */
function numericKeyOf(r: Reader, read: Read[], pos: Pos): NumericKey | undefined {
  // As Moodle holds a number, unless this is Assay's own export read back without compare=moodle.
  const compare = r.compareRule();
  const rule = compare ? { compare } : {};
  const answers: (NumericAnswer & { pos: Pos })[] = [];
  read.forEach((a, i) => {
    if (a.fraction < 0) {
      r.unsupported(
        `the answer "${a.text}" costs ${percentOf(-a.fraction)}% in Moodle (${r.weight(Number(percentOf(a.fraction)), '=')}), a negative mark; Assay scores a question from 0 to 100%`,
        a.pos,
      );
    } else if (a.any) {
      if (a.fraction !== 0 || i < read.length - 1) {
        r.unsupported(
          `"*" (any other number) ${a.fraction !== 0 ? `earns ${percentOf(a.fraction)}%` : 'comes before other answers'} in Moodle; Assay reads "*" only as the last answer, worth nothing`,
          a.pos,
        );
      }
    } else if (a.value)
      answers.push({
        ...a.value,
        credit: sameFraction(a.fraction, 1) ? 1 : a.fraction,
        pos: a.pos,
      });
  });
  if (r.failed) return undefined;
  const full = answers.filter((a) => a.credit === 1);
  if (full.length === 0) {
    return r.fail(
      `A numerical question needs an answer worth 100% (${fullMark(r)}), so that a full score is possible.`,
      pos,
      'answer',
    );
  }
  if (answers.length === 1) {
    r.at('answer', answers[0]!.pos);
    return { value: answers[0]!.value, tolerance: answers[0]!.tolerance, ...rule };
  }
  answers.forEach((a, i) => {
    r.at(`answer.answers[${i}]`, a.pos);
  });
  return {
    answers: answers.map(({ value, tolerance, credit }) => ({ value, tolerance, credit })),
    ...rule,
  };
}

/** A GIFT numerical answer `=%50%1822:2#feedback` (weight, value, feedback). */
function readGiftAnswer(r: GiftQuestion, cs: Chars, at: Pos): Read | undefined {
  const w = splitWeight(cs, { r, pos: at, mark: '=' });
  const f = splitFeedback(w.rest);
  const t = trim(f.text);
  const pos = t.length ? r.posAt(t) : at;
  const s = str(t);
  r.feedbackOn(s === '*' ? 'Any other answer' : s, f.feedback);
  const fraction = fractionOf(w.weight ?? 100);
  if (s === '*') return { any: true, fraction, pos, text: s };
  const n = numericAnswer(s, (x) => r.notAGiftNumber(x));
  if (typeof n === 'string') return r.fail(n, pos, 'answer');
  return { value: n, fraction, pos, text: s };
}

/** The answers of a numeric key as GIFT writes them (`=%50%1822:2`). */
function giftAnswers(key: NumericKey): string[] {
  if (!('answers' in key)) return [`#${giftNumber(key.value)}:${giftNumber(key.tolerance)}`];
  return [
    '#',
    ...key.answers.map(
      (a) => `=%${percentOf(a.credit)}%${giftNumber(a.value)}:${giftNumber(a.tolerance)}`,
    ),
  ];
}

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const numericKey = /* @__PURE__ */ once(() =>
  z.union([
    z.strictObject({
      value: Num(),
      tolerance: Tolerance(),
      unit: z.optional(UNIT()),
      compare: z.optional(COMPARE()),
    }),
    z.strictObject({
      unit: z.optional(UNIT()),
      compare: z.optional(COMPARE()),
      answers: z
        .array(
          z.strictObject({
            value: Num(),
            tolerance: Tolerance(),
            credit: z
              .number()
              .check(z.gte(0, 'Credit is in [0,1].'), z.lte(1, 'Credit is in [0,1].'), storable()),
          }),
        )
        .check(z.minLength(1), z.maxLength(10)),
    }),
  ]),
);

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.number().check(storable()));
const viewShape = /* @__PURE__ */ once(() => ({ unit: z.optional(z.string()) }));

/** A number; 1 within value ± tolerance, or the credit of the first answer that holds it. */
export const numeric: QuestionType<'numeric', NumericKey, number, { unit?: string }> = {
  id: 'numeric',
  withOptions: false,
  get key() {
    return numericKey();
  },
  rules: (q) =>
    'answers' in q.answer && !q.answer.answers.some((a) => a.credit === 1)
      ? [
          {
            path: 'answer.answers',
            message: 'One answer must have credit 1, so that a full score is possible.',
          },
        ]
      : [],
  get answer() {
    return answerSchema();
  },
  expected: 'a number',
  // The same for every numeric question: one schema, built on first use.
  response: () => answerSchema(),
  // The longest storable number in JSON: -0.0000012345678901234567 (a sign, "0.", five zeros
  // and 17 significant digits); smaller magnitudes switch to an exponent and are shorter.
  answerBytes: () => 25,
  answerKind: 'number',
  get view() {
    return viewShape();
  },
  show: (q) => (q.answer.unit === undefined ? {} : { unit: q.answer.unit }),
  hidden: (q) => numericAnswers(q.answer).map((a) => String(a.value)),
  effortSeconds: 2,
  grade: (q, r) => {
    const holds = q.answer.compare === 'moodle' ? withinAsMoodle : within;
    return numericAnswers(q.answer).find((a) => holds(a, r))?.credit ?? 0;
  },
  describe: (q, r) => (q.answer.unit === undefined ? String(r) : `${r} ${q.answer.unit}`),
  describeKey: (q) => {
    const unit = q.answer.unit === undefined ? '' : ` ${q.answer.unit}`;
    const range = (a: NumericAnswer) =>
      a.tolerance ? `${a.value}${unit} (± ${a.tolerance})` : `${a.value}${unit}`;
    const answers = numericAnswers(q.answer);
    if (answers.length === 1 && answers[0]!.credit === 1) return range(answers[0]!);
    // Moodle's several answers: the first whose interval holds the number gives its credit.
    const listed = answers.map((a) => `${range(a)}: ${creditPercent(a.credit)}`).join('; ');
    return answers.length > 1 ? `${listed} (the first that holds the number counts)` : listed;
  },
  gift: {
    /**
     * `{#3.14:0.01}`, `{#1..5}`, `{#3}`, or several answers `{#=1.5:0.1 =%50%1.5:0.5 ~#feedback}`
     * each worth its weight; `~#feedback` is the feedback for any other answer.
     */
    read: {
      claims: (b) => b.form === 'numerical',
      read: (r, b) => {
        let body = b.body.slice(1);
        const tilde = indexOfMark(body, '~');
        if (tilde >= 0) {
          const other = splitFeedback(body.slice(tilde + 1));
          if (trim(other.text).length) {
            return r.fail(
              `"~${str(trim(other.text)).slice(0, 20)}": after "~" a numerical question takes only feedback for any other answer ("~#feedback"); Moodle ignores the text there. Write the answer as "=" with its weight ("=%50%3:1").`,
              r.posAt(body, tilde),
              'answer',
            );
          }
          r.feedbackOn('Any other answer', other.feedback);
          const last = r.feedbackLines.pop();
          if (last) r.otherFeedback = last;
          body = body.slice(0, tilde);
        }
        // Moodle splits the answers at every "=": text before the first is an answer too.
        const parts = splitAt(body, '=').filter((p, i) => i > 0 || trim(p.body).length > 0);
        const read = parts.map((p) => readGiftAnswer(r, p.body, r.posAt(body, p.at)));
        if (r.failed) return undefined;
        if (read.length === 0) {
          return r.fail('A numerical question needs an answer: "{#3.14:0.01}".', b.pos, 'answer');
        }
        const answer = numericKeyOf(r, read as Read[], b.pos);
        return answer && { answer };
      },
    },
    // GIFT's numerical answers have no unit: writing one without it would change the question.
    write: (q) =>
      q.answer.unit !== undefined
        ? {
            skip: `GIFT numerical answers have no unit, and this one's unit is "${q.answer.unit}".`,
          }
        : { ...giftQuestion(q, giftAnswers(q.answer)), compare: q.answer.compare ?? 'assay' },
  },
  moodle: {
    read: {
      claims: (q) => q.qtype === 'numerical',
      read: (r, q) => {
        const units = r.xmlNumbers(q);
        if (!units) return undefined;
        const number = (s: string, pos: Pos, what: string) => {
          const n = units.read(s);
          if (!n) {
            return r.fail(
              `${what} "${s}" is not a number (Moodle reads forms such as 1.5, 1,5, 1 000 and 3x10^8${units.factors.size ? ', with a unit of the question after it' : ''}).`,
              pos,
              'answer',
            );
          }
          if (n.unit !== '' && !n.known) {
            r.warn(
              `${what} "${s}" ends in "${n.unit}", which is no unit of this question: Moodle reads ${n.value} and ignores "${n.unit}", and so does Assay.`,
              pos,
            );
          }
          if (n.comma === 'decimal' && /\d,\d{3}(?!\d)/.test(s)) {
            const thousands = s.replace(/(\d),(\d{3})(?!\d)/, '$1$2');
            r.warn(
              `Moodle reads ${what.toLowerCase()} "${s}" as ${n.value} (one comma is a decimal comma, as in 1,5), and so does Assay; if you meant ${thousands}, write ${thousands}.`,
              pos,
            );
          }
          return n.value;
        };
        const read = q.answers.map((a): Read | undefined => {
          const s = a.raw.trim();
          r.feedback(s === '*' ? 'Any other answer' : s, a.feedback);
          if (s === '*' || s === '')
            return { any: true, fraction: a.fraction, pos: a.pos, text: '*' };
          const value = number(s, a.pos, 'The answer');
          const tol = (a.tolerance ?? '0').trim() || '0';
          const tolerance = number(tol, a.pos, 'The tolerance');
          if (value === undefined || tolerance === undefined) return undefined;
          // Moodle keeps the size of a margin (a negative one is the same margin).
          return {
            value: { value, tolerance: Math.abs(tolerance) },
            fraction: a.fraction,
            pos: a.pos,
            text: s,
          };
        });
        if (r.failed) return undefined;
        const answer = numericKeyOf(r, read as Read[], q.pos);
        return answer && { answer: units.shown ? { ...answer, unit: units.shown } : answer };
      },
    },
    // A unit is Moodle's optional unit (<unitgradingtype>0</unitgradingtype>): shown beside the
    // number, never costing marks, so the number alone is graded as Assay grades it; the reader
    // above takes it back as the key's unit.
    write: (q) => ({
      qtype: 'numerical',
      compare: q.answer.compare ?? 'assay',
      body: [
        ...numericAnswers(q.answer).map((a) =>
          xmlPlainAnswer(
            giftNumber(a.value),
            a.credit,
            `<tolerance>${xmlEscape(giftNumber(a.tolerance))}</tolerance>`,
          ),
        ),
        ...(q.answer.unit === undefined
          ? []
          : [
              `<units><unit><multiplier>1</multiplier><unit_name>${xmlEscape(q.answer.unit)}</unit_name></unit></units>`,
              '<unitgradingtype>0</unitgradingtype>',
              '<unitpenalty>0.1000000</unitpenalty>',
              '<showunits>0</showunits>',
              '<unitsleft>0</unitsleft>',
            ]),
      ],
    }),
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const numericGenerators: GeneratorsFor<typeof numeric> = {
  arbitrary: (fast, gen) =>
    fast
      .tuple(
        fast.oneof(
          fast
            .record({ value: gen.number(), tolerance: gen.number().map(Math.abs) })
            .map((answer) => ({ answer: answer as NumericKey })),
          fast
            .array(
              fast.record({
                value: gen.number(),
                tolerance: gen.number().map(Math.abs),
                credit: fast.constantFrom(1, 0.5, 0.25, 0.3333333, 0.1, 0),
              }),
              { minLength: 2, maxLength: 5 },
            )
            .filter((answers) => answers.some((a) => a.credit === 1))
            .map((answers) => ({ answer: { answers } as NumericKey })),
        ),
        // A unit on a quarter of them: GIFT and Moodle XML skip those, and their round trips
        // must still cover most numeric questions.
        fast.oneof(
          { arbitrary: fast.constant(undefined), weight: 3 },
          {
            arbitrary: fast.constantFrom('ms', '%', 'requests per second', 'мс', 'GiB/s'),
            weight: 1,
          },
        ),
        // Half of them compare as Moodle does, as the Moodle readers make them.
        fast.boolean(),
      )
      .map(([{ answer }, unit, moodle]) => ({
        answer: {
          ...answer,
          ...(unit === undefined ? {} : { unit }),
          ...(moodle ? { compare: 'moodle' } : {}),
        } as NumericKey,
      })) as fc.Arbitrary<Authored<NumericKey>>,
  answers: (fast) =>
    fast
      .double({ min: -1e15, max: 1e15, noNaN: true, noDefaultInfinity: true })
      .filter(isStorableNumber),
};
