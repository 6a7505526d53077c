import { describe, expect, it } from 'vitest';
import { BANK_STANDARD, shortOfStandard } from '../../functions/domain/bank-standard.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import { findArea } from '../../functions/domain/taxonomy.ts';

const question = (over: Partial<QuestionContent>): QuestionContent => ({
  id: 'q',
  area: 'security',
  type: 'single',
  difficulty: 1,
  prompt: 'A prompt.',
  options: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
    { id: 'c', text: 'C' },
    { id: 'd', text: 'D' },
  ],
  answer: 'a',
  explanation: 'Why.',
  tags: ['t'],
  ...over,
});

const CODE = 'What does this print?\n\n```js\nconsole.log(1);\n```\n';
const codeReading = (id: string) => question({ id, prompt: CODE, tags: ['code-reading'] });

/** A technical pool that meets the standard: 15 per difficulty, four types, five code-reading. */
const fullPool = () =>
  Array.from({ length: 45 }, (_, i) =>
    question({
      id: `q${i}`,
      difficulty: ((i % 3) + 1) as 1 | 2 | 3,
      type: (['single', 'multi', 'order', 'numeric'] as const)[i % 4],
      ...(i < 5 ? { prompt: CODE, tags: ['code-reading'] } : {}),
    }),
  );

describe('the bank standard', () => {
  it('holds technical areas to issue 18: 45 questions, 15 per difficulty, four types, five code-reading', () => {
    expect(BANK_STANDARD.technical).toEqual({
      questions: 45,
      perDifficulty: 15,
      mix: ['single', 'multi', 'order', 'numeric'],
      codeReading: 5,
    });
  });

  it('finds nothing short in a technical pool that meets it', () => {
    expect(shortOfStandard(findArea('security')!, fullPool())).toEqual([]);
  });

  it('names what a technical area lacks: questions, per difficulty, types, code-reading', () => {
    const qs = [
      ...Array.from({ length: 6 }, () => question({ difficulty: 1 })),
      ...Array.from({ length: 2 }, () => question({ difficulty: 2, type: 'multi' })),
      codeReading('c1'),
    ];
    expect(shortOfStandard(findArea('security')!, qs)).toEqual([
      '9/45 questions',
      'difficulty 1: 7/15',
      'difficulty 2: 2/15',
      'difficulty 3: 0/15',
      'no order question',
      'no numeric question',
      'code-reading: 1/5',
    ]);
  });

  it('counts a code-reading item only with both its tag and its fenced code, and names the mismatches', () => {
    const qs = fullPool();
    qs[0] = { ...qs[0]!, prompt: 'What does `f()` return?' };
    qs[10] = { ...qs[10]!, prompt: CODE };

    expect(shortOfStandard(findArea('security')!, qs)).toEqual([
      'code-reading: 4/5',
      'tagged code-reading without fenced code: q0',
      'fenced code not tagged code-reading: q10',
    ]);
  });

  it('counts only the area itself, and holds soft skills to four-option sjt items', () => {
    const qs = [
      ...Array.from({ length: 31 }, (_, i) =>
        question({ area: 'communication', type: 'sjt', difficulty: ((i % 3) + 1) as 1 | 2 | 3 }),
      ),
      question({ area: 'communication', type: 'single', difficulty: 1 }),
      question({ area: 'security' }),
    ];
    expect(shortOfStandard(findArea('communication')!, qs)).toEqual(['1 not sjt with 4 options']);
  });
});
