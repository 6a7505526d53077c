import * as z from 'zod/mini';
import { storable } from '../numbers.ts';
import { optionIdResponse } from './options.ts';
import type { QuestionType } from './type.ts';

export interface SjtKey {
  weights: Record<string, number>;
}

/**
 * Situational judgement: every option weighted by effectiveness in [0,1], at least one 1; the
 * score is the chosen option's weight. Not expressible in GIFT (weights would become grades).
 */
export const sjt: QuestionType<SjtKey, string> = {
  id: 'sjt',
  withOptions: true,
  key: z.strictObject({
    weights: z.record(
      z.string(),
      z
        .number()
        .check(z.gte(0, 'Weights are in [0,1].'), z.lte(1, 'Weights are in [0,1].'), storable()),
    ),
  }),
  rules: (q) => {
    const ids = (q.options ?? []).map((o) => o.id);
    const given = Object.keys(q.answer.weights);
    const missing = ids.filter((id) => !(id in q.answer.weights));
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
  response: optionIdResponse,
  grade: (q, r) => q.answer.weights[r] ?? 0,
};
