/**
 * Every question type's property-test generators, by id: a new type adds one entry here beside
 * its entry in registry.ts (tsc names a type without one). Read by tests only, so no Lambda
 * bundle carries the generators.
 */
import { matchingGenerators } from './matching.ts';
import { missingWordGenerators } from './missing-word.ts';
import { multiGenerators } from './multi.ts';
import { numericGenerators } from './numeric.ts';
import { orderGenerators } from './order.ts';
import type { QUESTION_TYPE_LIST, QuestionTypeId } from './registry.ts';
import { singleGenerators } from './single.ts';
import { sjtGenerators } from './sjt.ts';
import { textGenerators } from './text.ts';
import type { GeneratorsFor, TypeGenerators } from './type.ts';

const GENERATORS: {
  readonly [T in (typeof QUESTION_TYPE_LIST)[number] as T['id']]: GeneratorsFor<T>;
} = {
  single: singleGenerators,
  multi: multiGenerators,
  order: orderGenerators,
  numeric: numericGenerators,
  text: textGenerators,
  sjt: sjtGenerators,
  matching: matchingGenerators,
  'missing-word': missingWordGenerators,
};

/** The generators of a type, seen by generic test code. */
export const generatorsOf = (id: QuestionTypeId): TypeGenerators<unknown, unknown> =>
  GENERATORS[id] as TypeGenerators<unknown, unknown>;
