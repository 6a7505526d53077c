import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readBank } from '../../functions/domain/bank.ts';
import { validateQuestion } from '../../functions/domain/question.ts';
import { AREA_IDS } from '../../functions/domain/taxonomy.ts';

const text = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
const ids = 'abcdefghij'.split('');

/** Any valid question of any type, with text that stresses YAML (quotes, colons, #, newlines, unicode). */
const question = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}$/),
    area: fc.constantFrom(...AREA_IDS),
    difficulty: fc.constantFrom(1, 2, 3),
    prompt: fc.oneof(
      text(10, 200),
      fc.constant('key: value # not a comment\n- not a list\n"quoted" \'single\''),
    ),
    explanation: text(10, 200),
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), {
      minLength: 1,
      maxLength: 4,
    }),
    n: fc.integer({ min: 2, max: 6 }),
    optionTexts: fc.array(text(1, 60), { minLength: 6, maxLength: 6 }),
    pick: fc.nat(),
    kind: fc.constantFrom('single', 'multi', 'order', 'numeric', 'text', 'sjt'),
    value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    tolerance: fc.double({ min: 0, max: 100, noNaN: true }),
    accepted: fc.array(
      text(1, 40).filter((s) => s.trim() !== ''),
      { minLength: 1, maxLength: 3 },
    ),
    hint: fc.option(fc.integer({ min: 10, max: 3600 }), { nil: undefined }),
  })
  .map((r) => {
    const options = ids.slice(0, r.n).map((id, i) => ({ id, text: r.optionTexts[i]! }));
    const optionIds = options.map((o) => o.id);
    const common = {
      id: r.id,
      area: r.area,
      difficulty: r.difficulty,
      prompt: r.prompt,
      explanation: r.explanation,
      tags: r.tags,
      ...(r.hint !== undefined ? { timeHintSeconds: r.hint } : {}),
    };
    switch (r.kind) {
      case 'single':
        return { ...common, type: 'single', options, answer: optionIds[r.pick % r.n] };
      case 'multi':
        return {
          ...common,
          type: 'multi',
          options,
          answer: optionIds.slice(0, 1 + (r.pick % (r.n - 1))),
        };
      case 'order':
        return { ...common, type: 'order', options, answer: [...optionIds].reverse() };
      case 'numeric':
        return { ...common, type: 'numeric', answer: { value: r.value, tolerance: r.tolerance } };
      case 'text':
        return { ...common, type: 'text', answer: r.accepted };
      default:
        return {
          ...common,
          type: 'sjt',
          options,
          answer: {
            weights: Object.fromEntries(
              optionIds.map((id, i) => [id, i === r.pick % r.n ? 1 : (i % 4) / 4]),
            ),
          },
        };
    }
  })
  .filter((q) => validateQuestion(q).question !== undefined);

describe('bank files', () => {
  it('keep any valid question unchanged through JSON -> YAML -> JSON', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(question, { minLength: 1, maxLength: 5, selector: (q) => q.id }),
        (questions) => {
          const bank = { bank: { id: 'round-trip', title: 'Round trip' }, questions };
          const viaJson = readBank(JSON.stringify(bank), 'json');
          const viaYaml = readBank(stringify(viaJson), 'yaml');
          expect(viaYaml).toEqual(viaJson);
          expect(JSON.parse(JSON.stringify(viaYaml))).toEqual(JSON.parse(JSON.stringify(bank)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
