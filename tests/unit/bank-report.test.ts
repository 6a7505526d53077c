import { describe, expect, it } from 'vitest';
import { coverageReport } from '../../functions/cli/report.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';

/** `npm run bank:report`'s option-length table (docs/question-bank.md, "Coverage"). */
const single = (id: string, texts: string[], answer: string): QuestionContent => ({
  id,
  area: 'microservices',
  type: 'single',
  difficulty: 1,
  prompt: 'Which one is right here?',
  options: texts.map((text, i) => ({ id: 'abcd'[i]!, text })),
  answer,
  explanation: 'Built to show the option-length table of the bank report.',
  tags: ['built'],
});

describe('the bank report', () => {
  it('shows, per technical area, how often a pick by option length or among the options without a reason reaches the key', () => {
    const report = coverageReport([
      {
        bank: { id: 'built', title: 'Built' },
        questions: [
          single('q1', ['Saga', 'Two-phase commit', 'A shared database', 'Distributed locks'], 'a'),
          single('q2', ['Outbox', 'Inbox', 'Change data capture', 'Dual write'], 'c'),
          single('q3', ['aa', 'aaa', 'aaaa', 'a'], 'b'),
          // Four options of one length; only the key gives no reason (", so").
          single('q4', ['keyabc', 'b, so.', 'c, so.', 'd, so.'], 'a'),
        ],
      },
    ]);

    // longest: q2 + a quarter of q4; shortest: q1 + q4/4; in between: q3/2 + q4/4; a pick among
    // the options without a reason: a quarter of q1-q3 (none gives one) + q4 (only the key).
    expect(report).toContain('| microservices | 4 | 31% | 31% | 19% | 25% | 44% | 0 |');
    expect(report).toContain('Options are shuffled per attempt');
    // Only areas with single or multi items have a row.
    expect(report.slice(report.indexOf('Option length')).match(/^\| [a-z-]+ \|/gm)).toEqual([
      '| area |',
      '| --- |',
      '| microservices |',
    ]);
  });

  it('leaves the table out when no technical area has single or multi items', () => {
    expect(
      coverageReport([{ bank: { id: 'empty', title: 'Empty' }, questions: [] }]),
    ).not.toContain('Option length');
  });
});
