import type fc from 'fast-check';
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
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
  fractionOf,
  MOODLE_BLANK,
  type Pos,
  percentOf,
  type Reader,
  sameFraction,
  weightOf,
} from '../moodle.ts';
import { type XmlQuestion, xmlChoice, xmlEscape } from '../moodle-xml-text.ts';
import { storable } from '../numbers.ts';
import { once } from '../z.ts';
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
  weightedOptions,
} from './options.ts';
import type { Authored, Content, Generators, GeneratorsFor, Option, QuestionType } from './type.ts';

/**
 * The key of a question answered by choosing one option: the id of the one right option, or
 * Moodle's partial credit, a weight in [0,1] for every option (at least one worth 1): the
 * score is the chosen option's weight.
 */
export type ChoiceKey = string | { weights: Record<string, number> };

const ChoiceWeights = /* @__PURE__ */ once(() =>
  z.strictObject({
    weights: z.record(
      z.string(),
      z
        .number()
        .check(z.gte(0, 'Weights are in [0,1].'), z.lte(1, 'Weights are in [0,1].'), storable()),
    ),
  }),
);

/** The schema of a choice key: an option id or `{weights: {...}}`. */
export const choiceKeySchema = /* @__PURE__ */ once(() =>
  z.union([z.string().check(z.minLength(1)), ChoiceWeights()]),
);

/** Rules of a choice key: ids that exist; weights for every option, the best worth 1. */
export function choiceKeyRules(q: Content<ChoiceKey>): FieldIssue[] {
  if (typeof q.answer === 'string') return unknownOptionIssues(q, [q.answer]);
  const weights = q.answer.weights;
  const ids = (q.options ?? []).map((o) => o.id);
  return [
    ...ids
      .filter((id) => !Object.hasOwn(weights, id))
      .map((id) => ({
        path: 'answer.weights',
        message: `Option "${id}" has no weight; weight every option (0 for a wrong one).`,
      })),
    ...Object.keys(weights)
      .filter((id) => !ids.includes(id))
      .map((id) => ({
        path: `answer.weights.${id}`,
        message: `"${id}" is not an option id of this question (options: ${ids.join(', ')}).`,
      })),
    ...(Object.values(weights).some((w) => w === 1)
      ? []
      : [
          {
            path: 'answer.weights',
            message: 'At least one option must have weight 1, so that a full score is possible.',
          },
        ]),
  ];
}

/** The score of choosing `pick`: 1 for the key, else 0; or the pick's weight. */
export function gradeChoice(key: ChoiceKey, pick: string): number {
  return typeof key === 'string' ? (pick === key ? 1 : 0) : weightOf(key.weights, pick);
}

/** A choice key as the report reads it: the right option, or the options worth something. */
export function describeChoiceKey(q: Content<ChoiceKey>): string {
  return typeof q.answer === 'string'
    ? optionLabel(q, q.answer)
    : weightedOptions(q, q.answer.weights);
}

/** The fraction Moodle gives each option of a choice key (1 for the key, 0 for the others). */
export function choiceFractions(q: Content<ChoiceKey>): number[] {
  return (q.options ?? []).map((o) => gradeChoice(q.answer, o.id));
}

/**
 * A choice key from Moodle's fractions (one per option, -1..1), as Moodle grades a single
 * choice: the chosen answer's fraction. A negative fraction is a penalty, which Assay (scores
 * 0..100%) cannot give; without an answer worth 100% nobody could score full marks (Moodle's
 * editor refuses that too). One answer worth 100% and the others 0 is the plain key.
 */
export function choiceKeyOf(
  r: Reader,
  answers: readonly { fraction: number; text: string; pos: Pos }[],
  options: readonly Option[],
  pos: Pos,
): ChoiceKey | undefined {
  const penalised = answers.find((a) => a.fraction < 0);
  if (penalised) {
    return r.unsupported(
      `choosing "${penalised.text}" costs ${percentOf(-penalised.fraction)}% in Moodle (${r.weight(Number(percentOf(penalised.fraction)))}), a negative mark; Assay scores a question from 0 to 100%. ${r.format === 'xml' ? 'Give it fraction="0", or make the question a multiple-answer one (<single>false</single>)' : 'Give it no weight, or make the question a multiple-answer one (weights on every answer, none marked "=")'}`,
      penalised.pos,
    );
  }
  const best = Math.max(...answers.map((a) => a.fraction));
  if (!sameFraction(best, 1)) {
    return r.fail(
      `No answer is worth 100% (the best is worth ${percentOf(best)}%), so nobody could score full marks; Moodle's editor refuses this too. ${r.format === 'xml' ? 'Give the right answer <answer fraction="100">' : 'Mark the right answer with "="'}.`,
      pos,
      'answer',
    );
  }
  const full = answers.filter((a) => sameFraction(a.fraction, 1));
  if (full.length === 1 && answers.every((a) => a === full[0] || a.fraction === 0)) {
    return options[answers.indexOf(full[0]!)]!.id;
  }
  return {
    weights: Object.fromEntries(
      options.map((o, i) => {
        const f = answers[i]!.fraction;
        return [o.id, sameFraction(f, 1) ? 1 : f];
      }),
    ),
  };
}

/**
 * `{=key ~wrong ~%50%partly ...}`: the `=` answers are worth 100% (Moodle reads no weight
 * after `=`), a `~` answer its weight or nothing. Shared with the types graded as a single
 * choice (missing-word).
 */
export function readSingleChoice(
  r: GiftQuestion,
  body: Chars,
  pos: Pos,
): Authored<ChoiceKey> | undefined {
  const answers = choiceAnswers(r, body);
  if (!answers) return undefined;
  const options = r.options(answers);
  if (!options || r.failed) return undefined;
  const fractions = answers.map((a) => ({
    ...a,
    fraction: a.mark === '=' ? 1 : fractionOf(a.weight ?? 0),
  }));
  const answer = choiceKeyOf(r, fractions, options, pos);
  if (answer === undefined) return undefined;
  if (typeof answer === 'string')
    r.at('answer', fractions[options.findIndex((o) => o.id === answer)]!.pos);
  else {
    options.forEach((o, i) => {
      r.at(`answer.weights.${o.id}`, answers[i]!.pos);
    });
  }
  return { options, answer };
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
  const written = str(trim(parts[0]!.body));
  const isTrue = /^t/i.test(written);
  const pos = r.posAt(body);
  if (!/^(?:T|TRUE|F|FALSE)$/.test(written)) {
    r.warn(
      `"${written}": Moodle reads true/false only in capitals (T, TRUE, F, FALSE); there "{${written}}" is a short answer accepting the text "${written}" typed in any case. Assay reads it as true/false; write {${written.toUpperCase()}} to mean the same in both.`,
      pos,
    );
  }
  const options = r.options(trueFalseTexts(pos), (i) => (i === 0 ? 'true' : 'false'));
  const [wrong, right] = [parts[1]?.body, parts[2]?.body];
  r.feedbackOn('True', isTrue ? right : wrong);
  r.feedbackOn('False', isTrue ? wrong : right);
  r.at('answer', pos);
  return options && { options, answer: options[isTrue ? 0 : 1]!.id };
}

const trueFalseTexts = (pos: Pos) => [
  { text: 'True', pos },
  { text: 'False', pos },
];

/** Moodle XML `truefalse`: answers "true" and "false", the one worth 100% is right. */
function readXmlTrueFalse(r: Reader, q: XmlQuestion): Authored<string> | undefined {
  let isTrue: boolean | undefined;
  q.answers.forEach((a, i) => {
    // Old exports named the answers in the site's language; Moodle then takes true first.
    const which = a.raw === 'true' || a.raw === 'false' ? a.raw === 'true' : i === 0;
    if (a.fraction === 1) isTrue = which;
    r.feedback(which ? 'True' : 'False', a.feedback);
  });
  const options = r.options(trueFalseTexts(q.pos), (i) => (i === 0 ? 'true' : 'false'));
  r.at('answer', q.pos);
  return options && { options, answer: options[isTrue === false ? 1 : 0]!.id };
}

/** Moodle XML `multichoice` with one answer allowed. */
export function readXmlSingle(r: Reader, q: XmlQuestion): Authored<ChoiceKey> | undefined {
  const options = r.options(q.answers.map((a) => ({ text: a.text, pos: a.pos })));
  q.answers.forEach((a) => {
    r.feedback(a.text, a.feedback);
  });
  if (!options || r.failed) return undefined;
  const answer = choiceKeyOf(r, q.answers, options, q.pos);
  return answer === undefined ? undefined : { options, answer };
}

/** Exactly the options a GIFT true/false question reads as: written `{TRUE}` / `{FALSE}`. */
const isTrueFalse = (q: Content<ChoiceKey>) =>
  typeof q.answer === 'string' &&
  q.options?.length === 2 &&
  q.options[0]?.id === 'true' &&
  q.options[0].text === 'True' &&
  q.options[1]?.id === 'false' &&
  q.options[1].text === 'False';

/** A choice block with at least one `=` answer. */
export const isSingleChoice = (b: GiftBlock) =>
  b.form === 'multichoice' && indexOfMark(b.body, '=') >= 0;

/**
 * The answers of a single choice: `=` on the first option worth 100%, `~%n%` on the others
 * (`~%100%` on further full-credit ones: a block without `~` would be no multiple choice).
 */
export const singleChoices = (q: Content<ChoiceKey>) => {
  const fractions = choiceFractions(q);
  const first = fractions.indexOf(1);
  return giftChoices(q.options, (_o, i) => {
    const f = fractions[i]!;
    return i === first ? { mark: '=' } : { mark: '~', ...(f > 0 ? { weight: percentOf(f) } : {}) };
  });
};

/** The `<answer>`s of a single choice with their fractions. */
export const singleXml = (q: Content<ChoiceKey>) => {
  const fractions = choiceFractions(q);
  return [
    '<single>true</single>',
    '<shuffleanswers>true</shuffleanswers>',
    ...(q.options ?? []).map((o, i) => xmlChoice(o, fractions[i]!)),
  ];
};

/** Options and a choice key: the plain key, or (half the time) weights Moodle would give. */
export function choiceArbitrary(
  fast: typeof fc,
  gen: Generators,
): fc.Arbitrary<Authored<ChoiceKey>> {
  return optionsArbitrary(fast, gen).chain((options) =>
    fast.oneof(
      fast.constantFrom(...options.map((o) => o.id)).map((answer) => ({ options, answer })),
      fast
        .tuple(
          fast.constantFrom(...options.map((o) => o.id)),
          fast.array(fast.constantFrom(0, 1, 0.5, 0.25, 0.3333333, 0.1, 0.8), {
            minLength: options.length,
            maxLength: options.length,
          }),
        )
        // Weights other than one 1 and the rest 0: that is the plain key, as Moodle reads it back.
        .filter(([best, ws]) => options.some((o, i) => o.id !== best && ws[i] !== 0))
        .map(([best, ws]) => ({
          options,
          answer: {
            weights: Object.fromEntries(options.map((o, i) => [o.id, o.id === best ? 1 : ws[i]!])),
          } as ChoiceKey,
        })),
    ),
  );
}

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.string());

/** One correct option (1 or 0), or Moodle's partial credit per option. */
export const single: QuestionType<'single', ChoiceKey, string, { options: Option[] }> = {
  id: 'single',
  withOptions: true,
  get key() {
    return choiceKeySchema();
  },
  rules: choiceKeyRules,
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
    read: {
      claims: (b) => (isSingleChoice(b) && !hasText(b.after)) || b.form === 'truefalse',
      read: (r, b) =>
        b.form === 'truefalse' ? readTrueFalse(r, b.body) : readSingleChoice(r, b.body, b.pos),
    },
    write: (q) =>
      isTrueFalse(q)
        ? {
            ...giftQuestion(q, [q.answer === 'true' ? 'TRUE' : 'FALSE']),
            readBackIds: ['true', 'false'],
          }
        : giftQuestion(q, singleChoices(q)),
  },
  moodle: {
    read: {
      claims: (q) =>
        q.qtype === 'truefalse' ||
        (q.qtype === 'multichoice' && q.single && !q.prompt.includes(MOODLE_BLANK)),
      read: (r, q) => (q.qtype === 'truefalse' ? readXmlTrueFalse(r, q) : readXmlSingle(r, q)),
    },
    write: (q) =>
      isTrueFalse(q)
        ? {
            qtype: 'truefalse',
            body: [
              `<answer fraction="${q.answer === 'true' ? 100 : 0}"><text>true</text></answer>`,
              `<answer fraction="${q.answer === 'false' ? 100 : 0}"><text>false</text></answer>`,
            ],
            readBackIds: ['true', 'false'],
          }
        : q.prompt.includes(MOODLE_BLANK)
          ? {
              skip: `The question text contains "${xmlEscape(MOODLE_BLANK)}", which Moodle XML reads back as a missing word.`,
            }
          : { qtype: 'multichoice', body: singleXml(q) },
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const singleGenerators: GeneratorsFor<typeof single> = {
  arbitrary: choiceArbitrary,
  answers: anyOptionId,
};
