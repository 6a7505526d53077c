/**
 * Generated questions for property tests, of every registered type: each type's own generator
 * (`arbitrary` in its module) supplies options and key, so no test lists the types.
 */
import fc from 'fast-check';
import { isStorableNumber } from '../../functions/domain/numbers.ts';
import { type QuestionContent, validateQuestion } from '../../functions/domain/question.ts';
import { generatorsOf } from '../../functions/domain/question-types/generators.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import type { Generators } from '../../functions/domain/question-types/type.ts';
import { withoutUnclean } from '../../functions/domain/text.ts';

export type RawQuestion = Record<string, unknown>;

const noNegativeZero = (n: number) => (n === 0 ? 0 : n);

/** Any number Assay can store: 0 or a magnitude from 1e-12 to 1e15 (see domain/numbers.ts). */
export const storableNumber = () =>
  fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })
    .map(noNegativeZero)
    .filter(isStorableNumber);

/**
 * The generators with their text made what a person can send (NFC, no control characters but
 * tab and newline, no lone surrogates; see domain/text.ts): stored text is always that.
 */
export function cleanGenerators(gen: Generators): Generators {
  return {
    ...gen,
    text: (min, max) =>
      gen
        .text(min, max)
        .map((s) => withoutUnclean(s, 'long'))
        .filter((s) => s.length >= min && s.length <= max),
  };
}

/** A question of each type in turn: the common fields given, the type's own from its module. */
export function anyQuestion(
  gen: Generators,
  common: fc.Arbitrary<RawQuestion>,
): fc.Arbitrary<RawQuestion> {
  return fc.oneof(...QUESTION_TYPE_LIST.map((t) => ofType(t.id, gen, common)));
}

/** A question of one type. */
export function ofType(
  type: string,
  gen: Generators,
  common: fc.Arbitrary<RawQuestion>,
): fc.Arbitrary<RawQuestion> {
  const t = QUESTION_TYPE_LIST.find((x) => x.id === type)!;
  return fc
    .tuple(common, generatorsOf(t.id).arbitrary(fc, cleanGenerators(gen)))
    .map(([c, own]) => ({ ...c, type: t.id, ...own }) as RawQuestion);
}

/**
 * Texts marked `txt-`, which the fixed fields of `generatedCommon` never contain, so that a
 * hidden text found in a view is a leak and not a coincidence.
 */
export const markedTexts: Generators = {
  text: (min, max) =>
    fc
      .stringMatching(/^[a-z][a-z0-9 ]{4,30}[a-z0-9]$/)
      .map((s) => `txt-${s}`.padEnd(min, '.').slice(0, max)),
  number: storableNumber,
};

/** The fields every generated question shares (its type's own come from its module). */
export const generatedCommon: fc.Arbitrary<RawQuestion> = fc.record({
  id: fc.constant('q-generated'),
  area: fc.constant('security'),
  difficulty: fc.constant(2),
  prompt: fc.constant('A generated prompt of some length.'),
  explanation: fc.constant('A generated explanation of why the key is right.'),
  tags: fc.constant(['generated']),
});

/** A valid question of one type (`markedTexts`, `generatedCommon`) with an answer its type makes. */
export function withAnswers(type: string): fc.Arbitrary<[QuestionContent, unknown]> {
  const t = QUESTION_TYPE_LIST.find((x) => x.id === type)!;
  return ofType(type, markedTexts, generatedCommon).chain((raw) => {
    const q = validateQuestion(raw).question!;
    return fc.tuple(fc.constant(q), generatorsOf(t.id).answers(fc, q as never));
  });
}
