import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readBank } from '../../functions/domain/bank.ts';
import { validateQuestion } from '../../functions/domain/question.ts';
import { AREA_IDS } from '../../functions/domain/taxonomy.ts';
import { withoutUnclean } from '../../functions/domain/text.ts';
import { anyQuestion, storableNumber } from '../support/questions.ts';

/** Any text a person can send (what the clean-text rules keep), stressing YAML. */
const text = (min: number, max: number) =>
  fc
    .string({ minLength: min, maxLength: max, unit: 'grapheme' })
    .map((s) => withoutUnclean(s, 'long'))
    .filter((s) => s.length >= min && s.length <= max);

/** Any valid question of any type, with text that stresses YAML (quotes, colons, #, newlines, unicode). */
const question = anyQuestion(
  { text, number: storableNumber },
  fc.record(
    {
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
      timeHintSeconds: fc.integer({ min: 10, max: 3600 }),
    },
    { requiredKeys: ['id', 'area', 'difficulty', 'prompt', 'explanation', 'tags'] },
  ),
).filter((q) => validateQuestion(q).question !== undefined);

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
    // Generated banks are heavy work on a busy machine: allow well beyond the usual second.
  }, 30_000);
});
