import * as z from 'zod/mini';
import { weightOf } from '../moodle.ts';
import { storable } from '../numbers.ts';
import { notReserved, own } from '../reserved.ts';
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
} from './options.ts';
import type { GeneratorsFor, Option, QuestionType } from './type.ts';

export interface SjtKey {
  weights: Record<string, number>;
}

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const sjtKey = /* @__PURE__ */ once(() =>
  z.strictObject({
    weights: z.record(
      // Keys are option ids: a reserved name would read a function off any plain object.
      z.string().check(notReserved('Option ids')),
      z
        .number()
        .check(z.gte(0, 'Weights are in [0,1].'), z.lte(1, 'Weights are in [0,1].'), storable()),
    ),
  }),
);

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.string());

/**
 * Situational judgement: every option weighted by effectiveness in [0,1], at least one 1; the
 * score is the chosen option's weight.
 */
export const sjt: QuestionType<'sjt', SjtKey, string, { options: Option[] }> = {
  id: 'sjt',
  withOptions: true,
  get key() {
    return sjtKey();
  },
  rules: (q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    const given = Object.keys(q.answer.weights);
    // Own keys only: `in` would count `constructor` as weighted on every object.
    const missing = ids.filter((id) => !Object.hasOwn(q.answer.weights, id));
    const unknown = given.filter((id) => !ids.includes(id));
    return [
      ...missing.map((id) => ({
        path: 'answer.weights',
        message: `Option "${id}" has no weight; weight every option.`,
      })),
      ...unknown.map((id) => ({
        path: `answer.weights.${id}`,
        message: `"${id}" is not an option id of this question.`,
      })),
      ...(Object.values(q.answer.weights).some((w) => w === 1)
        ? []
        : [
            {
              path: 'answer.weights',
              message: 'At least one option must have weight 1 (the most effective response).',
            },
          ]),
    ];
  },
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
  grade: (q, r) => own(q.answer.weights, r) ?? 0,
  describe: optionLabel,
  // Every option, most effective first: the ranking is the point of the question.
  describeKey: (q) => {
    const effectiveness = (id: string) => weightOf(q.answer.weights, id);
    return [...(q.options ?? [])]
      .sort((x, y) => effectiveness(y.id) - effectiveness(x.id))
      .map((o) => `${optionLabel(q, o.id)} (effectiveness ${effectiveness(o.id)})`)
      .join('; ');
  },
  gift: {
    read: undefined,
    write: () => ({
      skip: 'Situational-judgement weights would become Moodle grades with a different meaning; GIFT cannot express an sjt question.',
    }),
  },
  moodle: {
    read: undefined,
    write: () => ({
      skip: 'Situational-judgement weights would become Moodle grades of a single choice, which read back as a single question with partial credit; export the bank as YAML to keep it.',
    }),
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const sjtGenerators: GeneratorsFor<typeof sjt> = {
  arbitrary: (fast, gen) =>
    optionsArbitrary(fast, gen).chain((options) =>
      fast
        .tuple(
          fast.constantFrom(...options.map((o) => o.id)),
          fast.array(fast.constantFrom(0, 0.25, 0.5, 0.75), {
            minLength: options.length,
            maxLength: options.length,
          }),
        )
        .map(([best, others]) => ({
          options,
          answer: {
            weights: Object.fromEntries(
              options.map((o, i) => [o.id, o.id === best ? 1 : others[i]!]),
            ),
          },
        })),
    ),
  answers: anyOptionId,
};
