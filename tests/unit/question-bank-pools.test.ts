import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { readBankFile } from '../../functions/cli/bank-files.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';

/**
 * The second edition of the technical pools (issue 18): big enough for adaptive tests with
 * exposure control, with code-reading items, and with every distractor documented as a
 * misconception. Every technical area of the taxonomy is held to it; only an area the taxonomy
 * explicitly marks `bank: 'growing'` is exempt, as in the bank gate (question-bank.test.ts).
 */
const SECOND_EDITION = AREAS.filter((a) => a.kind === 'technical' && a.bank !== 'growing').map(
  (a) => a.id,
);

const fileOf = (area: string) => `questions/${area}.yaml`;
const questionsOf = (area: string) => readBankFile(fileOf(area)).questions;
const keysOf = (q: QuestionContent) =>
  new Set(typeof q.answer === 'string' ? [q.answer] : (q.answer as string[]));

/** The "# misconception: ..." comment written above each option, by question id and option id. */
function optionComments(area: string): Map<string, Map<string, string>> {
  const doc = parseDocument(readFileSync(fileOf(area), 'utf8'));
  const out = new Map<string, Map<string, string>>();
  const questions = doc.get('questions', true);
  if (!isSeq(questions)) return out;
  for (const q of questions.items) {
    if (!isMap(q)) continue;
    const options = q.get('options', true);
    if (!isSeq(options)) continue;
    const byOption = new Map<string, string>();
    options.items.forEach((o, i) => {
      if (!isMap(o)) return;
      // The parser attaches a comment above the first item to the sequence itself.
      const comment = `${o.commentBefore ?? ''}${i === 0 ? (options.commentBefore ?? '') : ''}`;
      byOption.set(String(o.get('id')), comment);
    });
    out.set(String(q.get('id')), byOption);
  }
  return out;
}

describe('the second-edition technical pools', () => {
  it('hold at least one technical area to the second edition', () => {
    expect(SECOND_EDITION.length).toBeGreaterThan(0);
  });

  for (const area of SECOND_EDITION) {
    it(`give ${area} at least 45 items, 15 per difficulty, in all four objective types`, () => {
      const qs = questionsOf(area);

      const perDifficulty = [1, 2, 3].map((d) => qs.filter((q) => q.difficulty === d).length);
      const types = new Set(qs.map((q) => q.type));

      expect(qs.length).toBeGreaterThanOrEqual(45);
      for (const n of perDifficulty) expect(n).toBeGreaterThanOrEqual(15);
      expect([...types].sort()).toEqual(['multi', 'numeric', 'order', 'single']);
    });

    it(`give ${area} at least five code-reading items, each showing its code in a fenced block`, () => {
      const qs = questionsOf(area);

      const tagged = qs.filter((q) => q.tags.includes('code-reading'));
      const fenced = qs.filter((q) => /```[a-z]*\n[\s\S]*?```/.test(q.prompt));

      expect(tagged.length).toBeGreaterThanOrEqual(5);
      expect(tagged.map((q) => q.id).sort()).toEqual(fenced.map((q) => q.id).sort());
    });

    it(`document a misconception above every distractor of ${area}, and none above a key`, () => {
      const qs = questionsOf(area).filter((q) => q.type === 'single' || q.type === 'multi');
      const comments = optionComments(area);

      const undocumented: string[] = [];
      const commentedKeys: string[] = [];
      for (const q of qs) {
        const keys = keysOf(q);
        for (const o of q.options ?? []) {
          const documented = /misconception:/.test(comments.get(q.id)?.get(o.id) ?? '');
          if (!keys.has(o.id) && !documented) undocumented.push(`${q.id}/${o.id}`);
          if (keys.has(o.id) && documented) commentedKeys.push(`${q.id}/${o.id}`);
        }
      }

      expect(undocumented).toEqual([]);
      expect(commentedKeys).toEqual([]);
    });

    it(`keep the key of ${area} the strictly longest option in at most 30% of single items`, () => {
      const singles = questionsOf(area).filter((q) => q.type === 'single');

      const longest = singles.filter((q) => {
        const key = q.options!.find((o) => o.id === q.answer)!.text.length;
        return q.options!.every((o) => o.id === q.answer || o.text.length < key);
      });

      expect(longest.length / singles.length).toBeLessThanOrEqual(0.3);
    });
  }

  it('balance modern-languages between Go and Rust, each item tagged with exactly one', () => {
    const qs = questionsOf('modern-languages');

    const go = qs.filter((q) => q.tags.includes('go'));
    const rust = qs.filter((q) => q.tags.includes('rust'));
    const untaggedOrBoth = qs.filter((q) => q.tags.includes('go') === q.tags.includes('rust'));

    expect(untaggedOrBoth.map((q) => q.id)).toEqual([]);
    expect(go.length / qs.length).toBeGreaterThanOrEqual(0.45);
    expect(rust.length / qs.length).toBeGreaterThanOrEqual(0.45);
  });
});
