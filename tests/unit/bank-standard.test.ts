import { describe, expect, it } from 'vitest';
import { shortOfStandard } from '../../functions/domain/bank-standard.ts';
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

describe('the bank standard', () => {
  it('names what a technical area lacks: questions, per difficulty, types', () => {
    const qs = [
      ...Array.from({ length: 6 }, () => question({ difficulty: 1 })),
      ...Array.from({ length: 2 }, () => question({ difficulty: 2, type: 'multi' })),
    ];
    expect(shortOfStandard(findArea('security')!, qs)).toEqual([
      '8/24 questions',
      'difficulty 2: 2/6',
      'difficulty 3: 0/6',
      'no order question',
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
