import { describe, expect, it } from 'vitest';
import { validateBank } from '../../functions/domain/bank.ts';
import { parseGift, toGift } from '../../functions/domain/gift.ts';
import { parseMoodleXml, toMoodleXml } from '../../functions/domain/moodle-xml.ts';
import {
  CandidateQuestionSchema,
  candidateView,
  describeAnswer,
  gradeResponse,
  type QuestionContent,
  validateQuestion,
} from '../../functions/domain/question.ts';

const raw = (answer: Record<string, unknown> = { value: 250, tolerance: 10, unit: 'ms' }) => ({
  id: 'q-p99-budget',
  area: 'microservices',
  type: 'numeric',
  difficulty: 2,
  prompt: 'A call chain of four services must answer within 1 s. What is each hop budget?',
  answer,
  explanation: 'One second over four hops in series leaves 250 ms for each hop.',
  tags: ['latency-budget'],
});

function valid(r: unknown): QuestionContent {
  const v = validateQuestion(r);
  if (!v.question) throw new Error(JSON.stringify(v.issues));
  return v.question;
}

const issues = (r: unknown) => validateQuestion(r).issues.map((i) => `${i.path}: ${i.message}`);

describe('a numeric question with a unit', () => {
  it('takes an optional unit of one line of text beside value and tolerance', () => {
    expect(issues(raw())).toEqual([]);
    expect(issues(raw({ value: 250, tolerance: 10 }))).toEqual([]);
    expect(issues(raw({ value: 99.8, tolerance: 0.01, unit: '%' }))).toEqual([]);
    expect(issues(raw({ value: 3, tolerance: 0, unit: 'requests per second' }))).toEqual([]);
  });

  it('refuses a blank, padded, multi-line, overlong or non-text unit, naming answer.unit', () => {
    for (const unit of ['', ' ', ' ms', 'ms ', 'm\ns', 'x'.repeat(41), 5, null]) {
      const found = issues(raw({ value: 1, tolerance: 0, unit }));
      expect(found, JSON.stringify(unit)).toHaveLength(1);
      expect(found[0], JSON.stringify(unit)).toMatch(/^answer\.unit: /);
    }
    expect(issues(raw({ value: 1, tolerance: 0, unit: ' ms' }))[0]).toBe(
      'answer.unit: A unit is one line of text without leading or trailing spaces, such as "ms" or "requests per second".',
    );
  });

  it('shows the candidate the unit, and nothing of the key', () => {
    const view = candidateView(valid(raw()));
    const plain = candidateView(valid(raw({ value: 250, tolerance: 10 })));

    expect(view).toEqual({
      questionId: 'q-p99-budget',
      area: 'microservices',
      type: 'numeric',
      prompt: raw().prompt,
      unit: 'ms',
    });
    expect(CandidateQuestionSchema().safeParse(view).success).toBe(true);
    expect(Object.keys(plain)).not.toContain('unit');
    expect(CandidateQuestionSchema().safeParse(plain).success).toBe(true);
    expect(JSON.stringify(view)).not.toMatch(/250|tolerance|hop budget\b.*250/);
  });

  it('is graded on the number alone, and a report shows the answer with its unit', () => {
    const q = valid(raw());
    expect(gradeResponse(q, 255)).toBe(1);
    expect(gradeResponse(q, 300)).toBe(0);
    expect(describeAnswer(q, 255)).toBe('255 ms');
    expect(describeAnswer(valid(raw({ value: 1, tolerance: 0 })), 2)).toBe('2');
  });

  it('is skipped by the GIFT export with its reason, since GIFT numbers have no unit; one without a unit is written', () => {
    const bank = validateBank({
      bank: { id: 'units', title: 'Units' },
      questions: [raw(), { ...raw({ value: 250, tolerance: 10 }), id: 'q-no-unit' }],
    });
    const { text, skipped } = toGift(bank);

    expect(skipped).toEqual([
      {
        id: 'q-p99-budget',
        type: 'numeric',
        reason: 'GIFT numerical answers have no unit, and this one\'s unit is "ms".',
      },
    ]);
    expect(parseGift(text, { bankId: 'units', bankTitle: 'Units' }).questions).toEqual([
      bank.questions[1],
    ]);
  });

  it('is written to Moodle XML with its unit as an optional unit, and reads back the same', () => {
    const bank = validateBank({
      bank: { id: 'units', title: 'Units' },
      questions: [
        raw(),
        { ...raw({ value: 3, tolerance: 0, unit: 'requests & <s>' }), id: 'q-rps' },
      ],
    });

    const { text, skipped } = toMoodleXml(bank);

    expect(skipped).toEqual([]);
    expect(text).toContain(
      '<units><unit><multiplier>1</multiplier><unit_name>ms</unit_name></unit></units>',
    );
    expect(text).toContain('<unitgradingtype>0</unitgradingtype>');
    expect(parseMoodleXml(text, { bankId: 'units', bankTitle: 'Units' }).questions).toEqual(
      bank.questions,
    );
  });
});
