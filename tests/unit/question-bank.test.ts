import { describe, expect, it } from 'vitest';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { BANK_STANDARD, shortOfStandard } from '../../functions/domain/bank-standard.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';

/** The shipped bank: every file must validate with the project's own validator. */
const files = bankFiles(['questions']);
const banks = files.map((f) => ({ file: f, bank: readBankFile(f) }));
const all = banks.flatMap((b) => b.bank.questions);
const inArea = (area: string) => all.filter((q) => q.area === area);
const optionText = (q: QuestionContent, id: string) =>
  q.options?.find((o) => o.id === id)?.text ?? '';

describe('the shipped question bank', () => {
  it('has one file per area, each valid', () => {
    expect(files.map((f) => f.replace(/^questions\//, '').replace(/\.yaml$/, '')).sort()).toEqual(
      AREAS.map((a) => a.id).sort(),
    );
    for (const { file, bank } of banks) {
      expect(bank.bank.id, file).toBe(file.replace(/^questions\//, '').replace(/\.yaml$/, ''));
      expect(new Set(bank.questions.map((q) => q.area)), file).toEqual(new Set([bank.bank.id]));
    }
  });

  it('has at least 280 questions with unique ids', () => {
    expect(all.length).toBeGreaterThanOrEqual(280);
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
  });

  for (const area of AREAS) {
    const standard = BANK_STANDARD[area.kind];
    if (area.bank === 'growing') {
      it(`grows ${area.id}: valid questions, still short of the ${area.kind} standard (else drop "growing")`, () => {
        expect(inArea(area.id).length).toBeGreaterThan(0);
        expect(shortOfStandard(area, all)).not.toEqual([]);
      });
    } else {
      const codeReading = standard.codeReading ? `, ${standard.codeReading} code-reading` : '';
      it(`covers ${area.id} to the ${area.kind} standard: ${standard.questions} questions, ${standard.perDifficulty} per difficulty, ${standard.mix.join(', ')}${codeReading}`, () => {
        expect(shortOfStandard(area, all)).toEqual([]);
      });
    }
  }

  it('has no duplicate or near-duplicate prompts', () => {
    const words = (s: string) =>
      new Set(
        s
          .toLowerCase()
          .replace(/[^a-z0-9 ]+/g, ' ')
          .split(/\s+/)
          .filter((w) => w.length > 2),
      );
    const sets = all.map((q) => ({ id: q.id, w: words(q.prompt) }));
    const near: string[] = [];
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const a = sets[i]!.w;
        const b = sets[j]!.w;
        const inter = [...a].filter((x) => b.has(x)).length;
        const jaccard = inter / (a.size + b.size - inter);
        if (jaccard >= 0.6) near.push(`${sets[i]!.id} ~ ${sets[j]!.id} (${jaccard.toFixed(2)})`);
      }
    }
    expect(near).toEqual([]);
  });

  // Shares and spreads say little about a handful of questions: a growing area is held to them
  // once it meets the standard.
  for (const area of AREAS.filter((a) => a.bank !== 'growing')) {
    it(`keeps item-writing hygiene in ${area.id}: keys not systematically longest, positions spread`, () => {
      const singles = inArea(area.id).filter((q) => q.type === 'single');
      if (singles.length) {
        const longest = singles.filter((q) => {
          const key = optionText(q, q.answer as string).length;
          return q.options!.every((o) => o.id === q.answer || o.text.length < key);
        });
        expect(
          longest.length / singles.length,
          'share of single items whose key is the longest option',
        ).toBeLessThanOrEqual(0.4);
      }
      const positions = inArea(area.id)
        .filter((q) => q.type === 'single' || q.type === 'sjt')
        .map((q) => {
          const best =
            q.type === 'single'
              ? (q.answer as string)
              : Object.entries((q.answer as { weights: Record<string, number> }).weights).find(
                  ([, w]) => w === 1,
                )![0];
          return q.options!.findIndex((o) => o.id === best);
        });
      const counts = [0, 1, 2, 3].map((p) => positions.filter((x) => x === p).length);
      expect(
        Math.max(...counts) / positions.length,
        `key positions ${counts.join('/')}`,
      ).toBeLessThanOrEqual(0.4);
      expect(counts.filter((c) => c > 0).length).toBeGreaterThanOrEqual(3);
    });
  }

  it('never offers "all of the above" or "none of the above"', () => {
    const bad = all.filter((q) =>
      q.options?.some((o) => /\b(all|none|both) of the (above|options)\b/i.test(o.text)),
    );
    expect(bad.map((q) => q.id)).toEqual([]);
  });

  it('says how many options to pick in every multi question', () => {
    const vague = all.filter(
      (q) => q.type === 'multi' && !/\b(two|three|four|2|3|4)\b/i.test(q.prompt),
    );
    expect(vague.map((q) => q.id)).toEqual([]);
  });

  it('never lists an order question already in its key order', () => {
    const giveaway = all.filter(
      (q) =>
        q.type === 'order' && q.options!.map((o) => o.id).join() === (q.answer as string[]).join(),
    );
    expect(giveaway.map((q) => q.id)).toEqual([]);
  });

  it('explains every key at some length and tags every question with a specific topic', () => {
    expect(all.filter((q) => q.explanation.length < 80).map((q) => q.id)).toEqual([]);
    expect(all.filter((q) => q.tags.every((t) => t === q.area)).map((q) => q.id)).toEqual([]);
  });

  it('emphasises every negative stem ("Which ... NOT ...?") in capitals', () => {
    const question = (q: QuestionContent) => q.prompt.split(/(?<=[.:])\s/).at(-1) ?? '';
    const hidden = all.filter(
      (q) =>
        /\bwhich\b[^?]*\b(not|never|except)\b/i.test(question(q)) &&
        !/\b(NOT|NEVER|EXCEPT)\b/.test(question(q)),
    );
    expect(hidden.map((q) => q.id)).toEqual([]);
  });
});
