import * as z from 'zod/mini';
import { storable } from '../numbers.ts';
import { giftBlock, giftNumber } from './gift-text.ts';
import type { QuestionType } from './type.ts';

export interface NumericKey {
  value: number;
  tolerance: number;
}

/** A number; 1 within value ± tolerance. */
export const numeric: QuestionType<NumericKey, number> = {
  id: 'numeric',
  withOptions: false,
  key: z.strictObject({
    value: z.number().check(storable()),
    tolerance: z.number().check(z.gte(0, 'Tolerance must be >= 0.'), storable()),
  }),
  rules: () => [],
  response: () => z.number().check(storable()),
  // A relative epsilon so that 0.1 + 0.2 counts as 0.3 at tolerance 0.
  grade: (q, r) =>
    Math.abs(r - q.answer.value) <=
    q.answer.tolerance + 1e-9 * Math.max(1, Math.abs(q.answer.value))
      ? 1
      : 0,
  toGift: (q) => giftBlock(q, [`#${giftNumber(q.answer.value)}:${giftNumber(q.answer.tolerance)}`]),
};
