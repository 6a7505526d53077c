import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BankSnapshot,
  isCommitted,
  isVisible,
  NO_IMPORTS,
  snapshotOf,
} from '../../functions/data/bank-visibility.ts';

const snap = (seq: number, open: number[] = []): BankSnapshot => ({ seq, open: new Set(open) });

describe('the import registry snapshot', () => {
  it('reads a missing registry as an organisation that never imported', () => {
    expect(snapshotOf(undefined)).toEqual(NO_IMPORTS);
    expect(snapshotOf({ seq: 3, open: { '2': { importId: 'x' } } })).toEqual(snap(3, [2]));
  });

  it('counts an import committed once given out and no longer open', () => {
    expect(isCommitted(snap(3), 3)).toBe(true);
    expect(isCommitted(snap(3, [3]), 3)).toBe(false);
    // Registered after this snapshot was read: not committed for this reader.
    expect(isCommitted(snap(2), 3)).toBe(false);
  });
});

describe('what a reader sees of one question', () => {
  it('shows the old head while an import replaces it, and the new one from its commit', () => {
    const old = {}; // untagged: written before any import, or by a committed one long ago
    const staged = { seq: 5 };
    const copy = { prevOf: 5 }; // PREV#5: the head import 5 replaced
    const during = snap(5, [5]);
    const after = snap(5);
    expect([staged, copy].filter((i) => isVisible(i, during))).toEqual([copy]);
    expect([staged, copy].filter((i) => isVisible(i, after))).toEqual([staged]);
    expect(isVisible(old, during)).toBe(true);
  });

  it('hides a question an open import creates, and a rolled-back one', () => {
    expect(isVisible({ seq: 7 }, snap(7, [7]))).toBe(false);
    expect(isVisible({ seq: 7 }, snap(6))).toBe(false);
  });

  it('shows exactly one item of a question replaced by two imports in turn, in every snapshot', () => {
    // Import s1 replaced the original (PREV#s1 holds it); s2 replaced s1's head after s1
    // committed (PREV#s2 holds s1's content, tagged s1); the head is s2's.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('s1 open', 's1 committed, s2 not given out', 's2 open', 'both committed'),
        (s1, gap, moment) => {
          const s2 = s1 + gap;
          const items = [
            { prevOf: s1 }, // the original
            { seq: s1, prevOf: s2 }, // s1's content, copied when s2 replaced it
            { seq: s2 }, // the head
          ];
          const view = {
            's1 open': snap(s1, [s1]),
            's1 committed, s2 not given out': snap(s2 - 1),
            's2 open': snap(s2, [s2]),
            'both committed': snap(s2),
          }[moment];
          const seen = items.filter((i) => isVisible(i, view));
          expect(seen).toHaveLength(1);
          const expected = {
            's1 open': items[0],
            's1 committed, s2 not given out': items[1],
            's2 open': items[1],
            'both committed': items[2],
          }[moment];
          expect(seen[0]).toBe(expected);
        },
      ),
    );
  });
});
