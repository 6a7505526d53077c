import * as z from 'zod/mini';
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
} from './options.ts';
import type { Content, GeneratorsFor, Option, QuestionType } from './type.ts';

/** A ranking as a person reads it: "1. c — Drop it; 2. a — Use a queue". */
const describeRanking = (q: Pick<Content<string[]>, 'options'>, ranking: readonly string[]) =>
  ranking.map((id, i) => `${i + 1}. ${optionLabel(q, id)}`).join('; ');

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const orderKey = /* @__PURE__ */ once(() => z.array(z.string()).check(z.minLength(2)));

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => z.array(z.string()).check(z.maxLength(10)));

/** Every option ranked; score = share of option pairs in the right relative order. */
export const order: QuestionType<'order', string[], string[], { options: Option[] }> = {
  id: 'order',
  withOptions: true,
  get key() {
    return orderKey();
  },
  rules: (q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    const missing = ids.filter((id) => !q.answer.includes(id));
    return [
      ...unknownOptionIssues(q, q.answer),
      ...(uniqueIds(q.answer)
        ? []
        : [{ path: 'answer', message: 'Each option may appear once in the order.' }]),
      ...(missing.length
        ? [
            {
              path: 'answer',
              message: `The order must rank every option; missing: ${missing.join(', ')}.`,
            },
          ]
        : []),
    ];
  },
  get answer() {
    return answerSchema();
  },
  expected: 'a list ranking every option id once',
  response: (q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    return z.array(z.string()).check(
      z.refine((v) => v.length === ids.length && uniqueIds(v) && v.every((x) => ids.includes(x)), {
        message: `Rank every option exactly once: ${ids.join(', ')}.`,
      }),
    );
  },
  answerBytes: optionListBytes,
  answerKind: 'ids',
  start: shuffleOptions,
  view: optionsView,
  show: showOptions,
  hidden: () => [],
  effortSeconds: 2,
  grade: (q, ranking) => {
    const pos = new Map(ranking.map((id, i) => [id, i]));
    const key = q.answer;
    let pairs = 0;
    let right = 0;
    for (let i = 0; i < key.length; i++) {
      for (let j = i + 1; j < key.length; j++) {
        pairs++;
        if ((pos.get(key[i]!) ?? -1) < (pos.get(key[j]!) ?? -1)) right++;
      }
    }
    return pairs === 0 ? 0 : right / pairs;
  },
  describe: describeRanking,
  describeKey: (q) => describeRanking(q, q.answer),
  gift: {
    read: undefined,
    write: () => ({
      skip: 'GIFT has no ordering question (Moodle ordering is a plugin without GIFT syntax); export the bank as YAML to keep it.',
    }),
  },
  moodle: {
    read: undefined,
    write: () => ({
      skip: "Moodle's ordering questions are a plugin that grades in ways Assay does not reproduce; export the bank as YAML to keep it.",
    }),
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const orderGenerators: GeneratorsFor<typeof order> = {
  arbitrary: (fast, gen) =>
    optionsArbitrary(fast, gen).chain((options) =>
      fast
        .shuffledSubarray(options, { minLength: options.length, maxLength: options.length })
        .map((ranked) => ({ options, answer: ranked.map((o) => o.id) })),
    ),
  answers: (fast, q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    return fast.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length });
  },
};
