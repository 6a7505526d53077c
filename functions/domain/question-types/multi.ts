import type fc from 'fast-check';
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import { choiceAnswers, hasText, indexOfMark } from '../gift-syntax.ts';
import { giftChoices, giftQuestion, giftWeight } from '../gift-text.ts';
import { fractionOf, type Pos, percentOf, type Reader, sameFraction, weightOf } from '../moodle.ts';
import { xmlChoice } from '../moodle-xml-text.ts';
import { storable } from '../numbers.ts';
import { once } from '../z.ts';
import {
  optionLabel,
  optionListBytes,
  optionsArbitrary,
  optionsView,
  showOptions,
  shuffleOptions,
  uniqueIds,
  unknownOptionIssues,
  weightedOptions,
} from './options.ts';
import type { Authored, Content, GeneratorsFor, Option, QuestionType } from './type.ts';

/**
 * The key of a multiple-answer question: the right options (each right pick earns 1/keys, each
 * wrong pick costs 1/keys), or Moodle's weights, one in [-1,1] for every option: the score is
 * the sum of the picked options' weights, floored at 0 and capped at 1, as Moodle grades it.
 * The first is the second with weights +1/keys and -1/keys.
 */
export type MultiKey = string[] | { weights: Record<string, number> };

const MultiWeights = /* @__PURE__ */ once(() =>
  z.strictObject({
    weights: z.record(
      z.string(),
      z
        .number()
        .check(z.gte(-1, 'Weights are in [-1,1].'), z.lte(1, 'Weights are in [-1,1].'), storable()),
    ),
  }),
);

/** The weight of every option: given, or +1/keys on the keys and -1/keys on the others. */
export function multiWeights(q: Content<MultiKey>): Record<string, number> {
  const key = q.answer;
  if (!Array.isArray(key)) return key.weights;
  const share = 1 / key.length;
  return Object.fromEntries(
    (q.options ?? []).map((o) => [o.id, key.includes(o.id) ? share : -share]),
  );
}

function weightRules(
  q: Content<MultiKey> & { answer: { weights: Record<string, number> } },
): FieldIssue[] {
  const weights = q.answer.weights;
  const ids = (q.options ?? []).map((o) => o.id);
  const positive = Object.values(weights).filter((w) => w > 0);
  const total = positive.reduce((s, w) => s + w, 0);
  return [
    ...ids
      .filter((id) => !Object.hasOwn(weights, id))
      .map((id) => ({
        path: 'answer.weights',
        message: `Option "${id}" has no weight; weight every option (0 for a neutral one).`,
      })),
    ...Object.keys(weights)
      .filter((id) => !ids.includes(id))
      .map((id) => ({
        path: `answer.weights.${id}`,
        message: `"${id}" is not an option id of this question (options: ${ids.join(', ')}).`,
      })),
    ...(total < 1 - 5e-7
      ? [
          {
            path: 'answer.weights',
            message: `The positive weights add up to ${percentOf(total)}%, so nobody could score full marks; make them add up to at least 100%.`,
          },
        ]
      : []),
  ];
}

/**
 * A multiple-answer key from Moodle's fractions (one per option): the plain key when they are
 * +1/keys and -1/keys (as Assay writes its own), else the weights. Positive fractions adding up
 * to less than 100% are refused: nobody could score full marks (Moodle's editor refuses that,
 * unless the total rounds to 100%: the message then says how to write the weights).
 */
function multiKeyOf(
  r: Reader,
  answers: readonly { fraction: number; text: string; pos: Pos }[],
  options: readonly Option[],
  pos: Pos,
): MultiKey | undefined {
  const positive = answers.filter((a) => a.fraction > 0);
  if (positive.length === 0) {
    return r.fail(
      `No answer has a positive weight (${r.weight(50)}), so no answer is right.`,
      pos,
      'answer',
    );
  }
  const total = positive.reduce((s, a) => s + a.fraction, 0);
  if (total < 1 - 5e-7) {
    // Moodle's editor checks the total rounded to 2 decimals of a fraction: 3 x 33.333% passes.
    const moodleAccepts = Math.round(total * 100) === 100;
    const fix = moodleAccepts
      ? `Moodle accepts them (it rounds the total to 100%), but its best score is ${percentOf(total)}% and Assay's must be 100%: write the weights with Moodle's 5 decimals (one third is ${r.weight(33.33333)})`
      : "Moodle's editor refuses this too; make them add up to 100%";
    return r.fail(
      `The positive weights add up to ${percentOf(total)}%, so nobody could score full marks. ${fix}.`,
      pos,
      'answer',
    );
  }
  const share = 1 / positive.length;
  const symmetric =
    positive.length < answers.length &&
    answers.every((a) => sameFraction(a.fraction, a.fraction > 0 ? share : -share));
  if (symmetric) return options.flatMap((o, i) => (answers[i]!.fraction > 0 ? [o.id] : []));
  if (answers.every((a) => a.fraction >= 0) && positive.length < answers.length) {
    r.warn(
      `Wrong answers cost nothing here (no negative weight such as ${r.weight(-50)}): as in Moodle, a candidate who picks every option scores ${percentOf(Math.min(1, total))}%.`,
      pos,
    );
  }
  return {
    weights: Object.fromEntries(options.map((o, i) => [o.id, answers[i]!.fraction])),
  };
}

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const multiKey = /* @__PURE__ */ once(() =>
  z.union([
    z.array(z.string()).check(z.minLength(1, 'Give at least one correct option id.')),
    MultiWeights(),
  ]),
);

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.array(z.string()).check(z.maxLength(10)));

/** Picked options as a person reads them: "a — Use a queue; c — Drop it". */
const describePicks = (q: Pick<Content<MultiKey>, 'options'>, picks: readonly string[]) =>
  picks.length ? picks.map((id) => optionLabel(q, id)).join('; ') : '(no option picked)';

/** Several correct options; Moodle's grading: the picked weights added up, within [0,1]. */
export const multi: QuestionType<'multi', MultiKey, string[], { options: Option[] }> = {
  id: 'multi',
  withOptions: true,
  get key() {
    return multiKey();
  },
  rules: (q) =>
    Array.isArray(q.answer)
      ? [
          ...unknownOptionIssues(q, q.answer),
          ...(uniqueIds(q.answer)
            ? []
            : [{ path: 'answer', message: 'Option ids in the key must be unique.' }]),
          ...(q.answer.length === q.options?.length
            ? [
                {
                  path: 'answer',
                  message:
                    'At least one option must be wrong; a key of every option measures nothing.',
                },
              ]
            : []),
        ]
      : weightRules(q as Parameters<typeof weightRules>[0]),
  get answer() {
    return answerSchema();
  },
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
  answerKind: 'ids',
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 1,
  grade: (q, picks) => {
    if (Array.isArray(q.answer)) {
      const key = new Set(q.answer);
      const right = picks.filter((p) => key.has(p)).length;
      const wrong = picks.length - right;
      return Math.max(0, (right - wrong) / key.size);
    }
    const weights = q.answer.weights;
    const sum = picks.reduce((s, p) => s + weightOf(weights, p), 0);
    return Math.min(1, Math.max(0, sum));
  },
  describe: describePicks,
  describeKey: (q) =>
    Array.isArray(q.answer) ? describePicks(q, q.answer) : weightedOptions(q, q.answer.weights),
  gift: {
    // `{~%50%a ~%50%b ~%-100%c}`: weights and no `=` (with a `=` Moodle allows one answer).
    read: {
      claims: (b) => !hasText(b.after) && b.form === 'multichoice' && indexOfMark(b.body, '=') < 0,
      read: (r, b) => {
        const answers = choiceAnswers(r, b.body);
        if (!answers) return undefined;
        const options = r.options(answers);
        if (!options || r.failed) return undefined;
        const fractions = answers.map((a) => ({ ...a, fraction: fractionOf(a.weight ?? 0) }));
        const answer = multiKeyOf(r, fractions, options, b.pos);
        if (answer === undefined) return undefined;
        if (Array.isArray(answer)) {
          answer.forEach((id, n) => {
            r.at(`answer[${n}]`, answers[options.findIndex((o) => o.id === id)]!.pos);
          });
        } else {
          options.forEach((o, i) => {
            r.at(`answer.weights.${o.id}`, answers[i]!.pos);
          });
        }
        return { options, answer };
      },
    },
    // Moodle's weighted multiple answers: each option with its weight (`~%-50%` penalises).
    write: (q) => {
      const weights = multiWeights(q);
      return giftQuestion(
        q,
        giftChoices(q.options, (o) => {
          const w = weightOf(weights, o.id);
          return { mark: '~', ...(w === 0 ? {} : { weight: giftWeight(w * 100) }) };
        }),
      );
    },
  },
  moodle: {
    read: {
      claims: (q) => q.qtype === 'multichoice' && !q.single,
      read: (r, q) => {
        const options = r.options(q.answers.map((a) => ({ text: a.text, pos: a.pos })));
        q.answers.forEach((a) => {
          r.feedback(a.text, a.feedback);
        });
        if (!options || r.failed) return undefined;
        const answer = multiKeyOf(r, q.answers, options, q.pos);
        return answer === undefined ? undefined : { options, answer };
      },
    },
    write: (q) => {
      const weights = multiWeights(q);
      return {
        qtype: 'multichoice',
        body: [
          '<single>false</single>',
          '<shuffleanswers>true</shuffleanswers>',
          ...(q.options ?? []).map((o) => xmlChoice(o, weightOf(weights, o.id))),
        ],
      };
    },
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const multiGenerators: GeneratorsFor<typeof multi> = {
  arbitrary: (fast, gen) =>
    optionsArbitrary(fast, gen).chain((options) =>
      fast.oneof(
        fast
          .subarray(options, { minLength: 1, maxLength: options.length - 1 })
          .map((keys) => ({ options, answer: keys.map((o) => o.id) as MultiKey })),
        // Moodle's weights, from the fractions its editor offers, adding up to at least 100%.
        fast
          .array(fast.constantFrom<number>(1, 0.5, 0.3333333, 0.25, 0.2, 0, -0.5, -1, -0.3333333), {
            minLength: options.length,
            maxLength: options.length,
          })
          .filter((ws) => ws.filter((w) => w > 0).reduce((s, w) => s + w, 0) >= 1 - 5e-7)
          .filter((ws) => {
            const positive = ws.filter((w) => w > 0);
            const share = 1 / positive.length;
            // Not the plain key in disguise: that reads back as the plain key.
            return !(
              positive.length < ws.length &&
              ws.every((w) => sameFraction(w, w > 0 ? share : -share))
            );
          })
          .map((ws) => ({
            options,
            answer: {
              weights: Object.fromEntries(options.map((o, i) => [o.id, ws[i]!])),
            } as MultiKey,
          })),
      ),
    ) as fc.Arbitrary<Authored<MultiKey>>,
  // Any distinct picks in any order, none to all.
  answers: (fast, q) =>
    fast.shuffledSubarray(
      (q.options ?? []).map((o) => o.id),
      { minLength: 0 },
    ),
};
