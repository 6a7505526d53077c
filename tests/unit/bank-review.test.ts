import { describe, expect, it } from 'vitest';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { bestOptionIds } from '../../functions/cli/report.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import {
  answerTemplate,
  drawSample,
  parseAnswers,
  renderCandidateView,
  renderKey,
  type Sample,
  scoreBlind,
  scoreTestWise,
} from '../../scripts/bank-review.ts';

const questions = bankFiles(['questions']).flatMap((f) => readBankFile(f).questions);
const byId = new Map(questions.map((q) => [q.id, q]));
const label = (s: Sample, n: number, optionId: string) =>
  String.fromCharCode(65 + s.items[n - 1]!.order.indexOf(optionId));

/** The answer a reviewer agreeing with the key would write, in the sample's labels. */
function keyAnswer(s: Sample, n: number): string {
  const item = s.items[n - 1]!;
  const q = byId.get(item.id)!;
  switch (q.type) {
    case 'single':
      return label(s, n, q.answer as string);
    case 'sjt':
      return label(s, n, bestOptionIds(q)[0]!);
    case 'multi':
    case 'order':
      return (q.answer as string[]).map((id) => label(s, n, id)).join(',');
    case 'numeric':
      return String((q.answer as { value: number }).value);
    case 'text':
      return (q.answer as string[])[0]!;
    default:
      return JSON.stringify(q.answer);
  }
}

const tsv = (rows: string[][]) =>
  `n\tarea\tanswer\tambiguity\tresolution\n${rows.map((r) => r.join('\t')).join('\n')}\n`;

describe('the review sample', () => {
  it('draws at least 10% of every area, the same items and option orders for the same seed', () => {
    const a = drawSample(questions, '42', 0.1);
    const b = drawSample(questions, '42', 0.1);
    expect(b).toEqual(a);
    for (const area of new Set(questions.map((q) => q.area))) {
      const pool = questions.filter((q) => q.area === area).length;
      expect(a.items.filter((i) => i.area === area).length).toBeGreaterThanOrEqual(pool * 0.1);
    }
    expect(drawSample(questions, '43', 0.1).items.map((i) => i.id)).not.toEqual(
      a.items.map((i) => i.id),
    );
  });

  it('shows reviewers prompts and option texts only, never an id, a weight or an explanation', () => {
    const s = drawSample(questions, '7', 0.1);
    const view = renderCandidateView(s, byId);
    for (const item of s.items) {
      const q = byId.get(item.id)!;
      expect(view).toContain(q.prompt.trim());
      expect(view).not.toContain(item.id);
      expect(view).not.toContain(q.explanation.trim());
    }
    expect(view).not.toMatch(/^Key:|\b[A-J] = (0|0\.25|0\.5|0\.75|1)\b/m);
    expect(renderKey(s, byId)).toContain(s.items[0]!.id);
  });
});

describe('scoring a review', () => {
  const s = drawSample(questions, '2026', 0.1);
  const agreeing = s.items.map((i) => [String(i.n), i.area, keyAnswer(s, i.n), '1', '']);

  it('passes a blind solve that agrees with every key', () => {
    const r = scoreBlind(s, byId, parseAnswers(tsv(agreeing)));
    expect(r.agreement).toBe(1);
    expect(r.pass).toBe(true);
  });

  it('fails while a disagreement or an ambiguity of 3 or more has no resolution, and passes once resolved', () => {
    const sjtItem = s.items.find((i) => i.type === 'sjt')!;
    const q = byId.get(sjtItem.id) as QuestionContent;
    const wrong = sjtItem.order.find((id) => !bestOptionIds(q).includes(id))!;
    const rows = agreeing.map((r) => [...r]);
    rows[sjtItem.n - 1]![2] = label(s, sjtItem.n, wrong);
    rows[0]![3] = '4';
    const unresolved = scoreBlind(s, byId, parseAnswers(tsv(rows)));
    expect(unresolved.unresolved.map((i) => i.n).sort()).toEqual([1, sjtItem.n].sort());
    expect(unresolved.pass).toBe(false);
    rows[sjtItem.n - 1]![4] = 'key stands: the prompt says the rollback is safe';
    rows[0]![4] = 'prompt now states the timeout';
    // One disagreement in 39 items is 97% agreement: resolved, it passes.
    expect(scoreBlind(s, byId, parseAnswers(tsv(rows))).pass).toBe(true);
  });

  it('fails a test-wise solve that reaches the key on more than 40% of the SJT items', () => {
    const sjtRows = s.items.filter((i) => i.type === 'sjt');
    expect(answerTemplate(sjtRows).split('\n')).toHaveLength(sjtRows.length + 2);
    const all = sjtRows.map((i) => [String(i.n), i.area, keyAnswer(s, i.n), '', '']);
    expect(scoreTestWise(s, byId, parseAnswers(tsv(all))).pass).toBe(false);
    const none = sjtRows.map((i) => {
      const q = byId.get(i.id)!;
      const other = i.order.find((id) => !bestOptionIds(q).includes(id))!;
      return [String(i.n), i.area, label(s, i.n, other), '', ''];
    });
    expect(scoreTestWise(s, byId, parseAnswers(tsv(none)))).toMatchObject({ hits: 0, pass: true });
  });

  it('refuses to score an item whose content changed since the draw', () => {
    const changed = { ...s, items: s.items.map((i, k) => (k === 0 ? { ...i, hash: 'x' } : i)) };
    expect(() => scoreBlind(changed, byId, parseAnswers(tsv(agreeing)))).toThrow(/changed since/);
  });
});
