import { describe, expect, it } from 'vitest';
import { validateBank } from '../../functions/domain/bank.ts';
import { parseGift, toGift } from '../../functions/domain/gift.ts';
import {
  candidateView,
  describeAnswer,
  gradeResponse,
  parseResponse,
  type QuestionContent,
  startQuestion,
  validateQuestion,
} from '../../functions/domain/question.ts';

const OPTIONS = [
  { id: 'a', text: 'partition' },
  { id: 'b', text: 'topic' },
  { id: 'c', text: 'consumer group' },
];

const raw = (over: Record<string, unknown> = {}) => ({
  id: 'q-kafka-order',
  area: 'real-time-data',
  type: 'missing-word',
  difficulty: 1,
  prompt: 'Kafka keeps the order of records within a {blank}, not across a whole topic.',
  options: OPTIONS,
  answer: 'a',
  explanation: 'Ordering is per partition; a topic with several partitions has no total order.',
  tags: ['kafka-ordering'],
  ...over,
});

function valid(r: unknown): QuestionContent {
  const v = validateQuestion(r);
  if (!v.question) throw new Error(JSON.stringify(v.issues));
  return v.question;
}

const issues = (r: unknown) => validateQuestion(r).issues.map((i) => `${i.path}: ${i.message}`);

describe('a missing-word question', () => {
  it('marks its one blank with {blank} in the prompt and keys one of its options', () => {
    expect(issues(raw())).toEqual([]);
    expect(issues(raw({ prompt: 'Kafka keeps the order of records per partition.' }))).toEqual([
      'prompt: A missing-word prompt marks its blank with {blank} exactly once (it has 0).',
    ]);
    expect(issues(raw({ prompt: 'A {blank} keeps order, a {blank} does not.' }))[0]).toMatch(
      /exactly once \(it has 2\)/,
    );
    expect(issues(raw({ answer: 'z' }))[0]).toMatch(/^answer: "z" is not an option id/);
    expect(issues(raw({ options: undefined }))[0]).toMatch(/^options: /);
  });

  it('shows the prompt with its blank in place and the options shuffled, never the key', () => {
    const q = valid(raw());
    const view = candidateView(q, startQuestion(q, '01KAY0000000000000000000A1'));
    expect(Object.keys(view).sort()).toEqual(['area', 'options', 'prompt', 'questionId', 'type']);
    expect(view.prompt).toBe(
      'Kafka keeps the order of records within a {blank}, not across a whole topic.',
    );
    expect((view.options as { id: string }[]).map((o) => o.id).sort()).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(view)).not.toMatch(/answer|explanation|Ordering is/);
  });

  it('is graded as a single choice, and a report shows the choice', () => {
    const q = valid(raw());
    expect(gradeResponse(q, 'a')).toBe(1);
    expect(gradeResponse(q, 'b')).toBe(0);
    expect(describeAnswer(q, 'c')).toBe('c — consumer group');
    const r = parseResponse(q, ['a']);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues[0]!.message).toMatch(/^This missing-word question takes one option id/);
  });
});

describe('missing word in GIFT', () => {
  const gift = (...lines: string[]) => ['$CATEGORY: real-time-data', '', ...lines].join('\n');

  it('reads the text before and after the answer block as the prompt around its blank', () => {
    const bank = parseGift(
      gift(
        '::q-kafka-order::Kafka keeps the order of records within a {',
        '  =partition',
        '  ~topic',
        '  ####Ordering is per partition.',
        '} and not across a whole topic.',
      ),
    );
    expect(bank.questions[0]).toMatchObject({
      type: 'missing-word',
      prompt: 'Kafka keeps the order of records within a {blank} and not across a whole topic.',
      options: [
        { id: 'a', text: 'partition' },
        { id: 'b', text: 'topic' },
      ],
      answer: 'a',
    });
  });

  it('writes a missing-word question around its block, and reads it back the same', () => {
    const bank = validateBank({
      bank: { id: 'mw-bank', title: 'Missing word' },
      questions: [
        raw({ prompt: '[html] is read as a marker, {blank}: then {braces} and = signs.' }),
      ],
    });
    const { text, skipped } = toGift(bank);
    expect(skipped).toEqual([]);
    expect(text).toContain(
      '::q-kafka-order::[markdown][html] is read as a marker, {\n  =partition\n',
    );
    expect(text).toContain('\n}\\: then \\{braces\\} and \\= signs.\n');
    expect(parseGift(text, { bankId: 'mw-bank', bankTitle: 'Missing word' })).toEqual(bank);
  });

  it('reads text after any other block as Moodle does: the prompt shows five underscores where the block was', () => {
    const bank = parseGift(gift('', 'Kafka orders records per {#1} partition and not per topic.'));
    expect(bank.questions[0]).toMatchObject({
      type: 'numeric',
      prompt: 'Kafka orders records per _____ partition and not per topic.',
      answer: { value: 1, tolerance: 0 },
    });
  });
});
