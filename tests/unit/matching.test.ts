import { describe, expect, it } from 'vitest';
import { type Bank, validateBank } from '../../functions/domain/bank.ts';
import type { ValidationError } from '../../functions/domain/errors.ts';
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
import { rightId } from '../../functions/domain/question-types/matching.ts';

const PAIRS = [
  { left: 'HTTP', right: '80' },
  { left: 'HTTPS', right: '443' },
  { left: 'SSH', right: '22' },
  { left: 'DNS', right: '53' },
];

const raw = (pairs: unknown = PAIRS, over: Record<string, unknown> = {}) => ({
  id: 'q-ports',
  area: 'api-first',
  type: 'matching',
  difficulty: 1,
  prompt: 'Match each protocol with its default port.',
  answer: { pairs },
  explanation: 'The IANA well-known ports: 80, 443, 22 and 53.',
  tags: ['ports'],
  ...over,
});

function valid(r: unknown): QuestionContent {
  const v = validateQuestion(r);
  if (!v.question) throw new Error(JSON.stringify(v.issues));
  return v.question;
}

const issues = (r: unknown) => validateQuestion(r).issues.map((i) => `${i.path}: ${i.message}`);

/** The right-hand item ids in the order of the pairs: the key, as a candidate would answer. */
const key = (pairs = PAIRS) => pairs.map((p) => rightId(p.right));

describe('a matching question', () => {
  it('takes 2 to 10 pairs, no options, and different left-hand items', () => {
    expect(issues(raw())).toEqual([]);
    expect(issues(raw(PAIRS.slice(0, 1)))[0]).toMatch(/^answer\.pairs: Give 2-10 pairs/);
    expect(issues(raw([...PAIRS, ...PAIRS, ...PAIRS]))[0]).toMatch(/^answer\.pairs: Give 2-10/);
    expect(issues(raw([...PAIRS, { left: 'HTTP ', right: '8080' }]))).toEqual([
      'answer.pairs[4].left: The same left-hand item as pairs[0]; each left-hand item must differ.',
    ]);
    // Several left-hand items may share a right-hand one, as in Moodle.
    expect(issues(raw([...PAIRS, { left: 'HTTP/3', right: '443' }]))).toEqual([]);
    const options = [
      { id: 'a', text: 'A' },
      { id: 'b', text: 'B' },
    ];
    expect(issues(raw(PAIRS, { options }))).toEqual([
      'options: A matching question has no options; remove them.',
    ]);
    expect(issues(raw([{ left: 'HTTP' }, { left: 'SSH', right: '22' }]))[0]).toMatch(
      /^answer\.pairs\[0\]\.right:/,
    );
  });

  it('shows the left-hand items in order and the right-hand items shuffled per attempt', () => {
    const q = valid(raw());
    const views = [
      '01KAY0000000000000000000A1',
      '01KAY0000000000000000000A2',
      '01KAY000000000000000000A3',
    ]
      .concat(
        Array.from(
          { length: 20 },
          (_, i) => `01KAY00000000000000000B${String(i).padStart(3, '0')}`,
        ),
      )
      .map((attemptId) => candidateView(q, startQuestion(q, attemptId)));
    for (const view of views) {
      expect(Object.keys(view).sort()).toEqual([
        'area',
        'left',
        'prompt',
        'questionId',
        'right',
        'type',
      ]);
      expect(view.left).toEqual(['HTTP', 'HTTPS', 'SSH', 'DNS']);
      expect((view.right as { text: string }[]).map((r) => r.text).sort()).toEqual([
        '22',
        '443',
        '53',
        '80',
      ]);
    }
    const orders = new Set(views.map((v) => (v.right as { id: string }[]).map((r) => r.id).join()));
    expect(orders.size).toBeGreaterThan(1);
    // A resume (the same attempt) sees the same order.
    expect(candidateView(q, startQuestion(q, '01KAY0000000000000000000A1'))).toEqual(views[0]);
  });

  it('shows the same thing however the items are paired: ids and order reveal nothing about the key', () => {
    const a = valid(raw());
    const b = valid(raw(PAIRS.map((p, i) => ({ left: p.left, right: PAIRS[(i + 1) % 4]!.right }))));
    for (const attemptId of ['01KAY0000000000000000000A1', '01KAY0000000000000000000A2']) {
      expect(candidateView(a, startQuestion(a, attemptId))).toEqual(
        candidateView(b, startQuestion(b, attemptId)),
      );
    }
    expect(JSON.stringify(candidateView(a))).not.toMatch(/pairs|answer/);
  });

  it('gives partial credit per correct pair, a null counting as unmatched', () => {
    const q = valid(raw());
    const [http, https, ssh, dns] = key();
    expect(gradeResponse(q, [http, https, ssh, dns])).toBe(1);
    expect(gradeResponse(q, [http, https, dns, ssh])).toBe(0.5);
    expect(gradeResponse(q, [http, null, null, null])).toBe(0.25);
    expect(gradeResponse(q, [https, https, https, https])).toBe(0.25);
    expect(gradeResponse(q, [null, null, null, null])).toBe(0);
  });

  it('accepts one entry per left-hand item, each null or a right-hand id, and says what it takes otherwise', () => {
    const q = valid(raw());
    expect(parseResponse(q, [...key().slice(0, 3), null]).ok).toBe(true);
    for (const bad of [
      key().slice(0, 3),
      [...key().slice(0, 3), 'r0000000000'],
      'r1',
      [1, 2, 3, 4],
    ]) {
      const r = parseResponse(q, bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.issues[0]!.message).toMatch(/^This matching question takes a list/);
    }
  });

  it('renders an answer for the report pair by pair', () => {
    const q = valid(raw());
    const [http, https] = key();
    expect(describeAnswer(q, [http, http, null, https])).toBe(
      'HTTP → 80; HTTPS → 80; SSH → (no match); DNS → 443',
    );
  });
});

describe('right-hand items shared by several pairs, and distractors', () => {
  const shared = [...PAIRS, { left: 'HTTP/3', right: '443' }];
  const q = valid(raw(shared, { answer: { pairs: shared, distractors: ['8080', '443'] } }));

  it('shows every right-hand item once, the distractors among them', () => {
    const view = candidateView(q, startQuestion(q, '01KAY0000000000000000000A1'));
    expect((view.right as { text: string }[]).map((r) => r.text).sort()).toEqual(
      ['22', '443', '53', '80', '8080'].sort(),
    );
  });

  it('grades a shared item right for each pair it belongs to, and a distractor as wrong', () => {
    const picks = shared.map((p) => rightId(p.right));
    expect(gradeResponse(q, picks)).toBe(1);
    expect(gradeResponse(q, [...picks.slice(0, 4), rightId('8080')])).toBe(4 / 5);
    expect(describeAnswer(q, [...picks.slice(0, 4), rightId('8080')])).toContain('HTTP/3 → 8080');
  });
});

describe('matching in GIFT', () => {
  const gift = (...lines: string[]) => ['$CATEGORY: api-first', '', ...lines].join('\n');

  it('reads "=left -> right" pairs, in order, as a matching question', () => {
    const bank = parseGift(
      gift(
        '::q-ports::Match each protocol with its default port.{',
        '  =HTTP -> 80',
        '  = HTTPS -> 443',
        '  =SSH->22',
        '  ####The IANA well-known ports.',
        '}',
      ),
    );
    expect(bank.questions[0]).toMatchObject({
      id: 'q-ports',
      type: 'matching',
      answer: {
        pairs: [
          { left: 'HTTP', right: '80' },
          { left: 'HTTPS', right: '443' },
          { left: 'SSH', right: '22' },
        ],
      },
      explanation: 'The IANA well-known ports.',
    });
    expect(bank.questions[0]!.options).toBeUndefined();
  });

  it('writes a matching question that reads back the same', () => {
    const bank: Bank = validateBank({
      bank: { id: 'ports', title: 'Ports' },
      questions: [
        raw([
          { left: 'a = b', right: '1 -> 2' },
          { left: "Grant's {tomb}", right: '#2' },
        ]),
      ],
    });
    const { text, skipped } = toGift(bank);
    expect(skipped).toEqual([]);
    expect(text).toContain("  =a \\= b -> 1 -> 2\n  =Grant's \\{tomb\\} -> \\#2\n");
    expect(parseGift(text, { bankId: 'ports', bankTitle: 'Ports' })).toEqual(bank);
  });

  it('skips a question whose left-hand item contains "->", which GIFT cannot escape', () => {
    const bank = validateBank({
      bank: { id: 'arrows', title: 'Arrows' },
      questions: [raw([{ left: 'x -> y', right: 'map' }, ...PAIRS.slice(1)])],
    });
    expect(toGift(bank).skipped).toEqual([
      { id: 'q-ports', type: 'matching', reason: expect.stringMatching(/->/) },
    ]);
  });

  it('reads a right-hand item without a left-hand one as a distractor', () => {
    const bank = parseGift(
      gift(
        'Match each protocol with its default port.{',
        '  =HTTP -> 80',
        '  =SSH -> 22',
        '  = -> 8080',
        '}',
      ),
    );
    expect(bank.questions[0]!.answer).toEqual({
      pairs: [
        { left: 'HTTP', right: '80' },
        { left: 'SSH', right: '22' },
      ],
      distractors: ['8080'],
    });
  });

  it.each([['feedback on a pair', '  =SSH -> 22#well known', /no feedback/]])(
    'rejects %s on its line',
    (_, pair, message) => {
      try {
        parseGift(
          gift(
            'Match each protocol with its default port.{',
            '  =HTTP -> 80',
            pair,
            '  ####The IANA well-known ports.',
            '}',
          ),
        );
        expect.unreachable();
      } catch (err) {
        const found = (err as ValidationError).issues;
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ line: 5, column: 3 });
        expect(found[0]!.message).toMatch(message);
      }
    },
  );
});
