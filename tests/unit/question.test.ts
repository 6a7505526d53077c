import { describe, expect, it } from 'vitest';
import {
  CONTENT_FIELDS,
  candidateView,
  contentHash,
  gradeResponse,
  parseResponse,
  pickContent,
  QuestionShape,
  validateQuestion,
} from '../../functions/domain/question.ts';
import type { QuestionContent } from '../../functions/domain/question-types/type.ts';

const opts = (n = 4) =>
  Array.from({ length: n }, (_, i) => ({ id: 'abcdefghij'[i]!, text: `Option ${i + 1}` }));

const base = {
  id: 'q-sample',
  area: 'microservices',
  difficulty: 2,
  prompt: 'Which option is the right one here?',
  explanation: 'Because the key is right and the others are not.',
  tags: ['sample'],
};

const q = (over: Record<string, unknown>) => ({ ...base, ...over });

function issues(raw: unknown) {
  return validateQuestion(raw).issues.map((i) => `${i.path}: ${i.message}`);
}

function valid(raw: unknown): QuestionContent {
  const r = validateQuestion(raw);
  if (!r.question) throw new Error(JSON.stringify(r.issues));
  return r.question;
}

describe('question validation', () => {
  it('reports options that are not a list as a field problem, never a crash in the type rules', () => {
    for (const options of [{}, 5, null]) {
      const r = validateQuestion({
        id: 'not-a-list',
        area: 'security',
        type: 'single',
        difficulty: 2,
        prompt: 'Which option is right here?',
        options,
        answer: 'a',
        explanation: 'Because it is.',
        tags: ['a'],
      });
      expect(r.issues.map((i) => i.path)).toContain('options');
    }
  });

  it('accepts a valid question of every type', () => {
    expect(issues(q({ type: 'single', options: opts(), answer: 'b' }))).toEqual([]);
    expect(issues(q({ type: 'multi', options: opts(), answer: ['a', 'c'] }))).toEqual([]);
    expect(issues(q({ type: 'order', options: opts(), answer: ['d', 'c', 'b', 'a'] }))).toEqual([]);
    expect(issues(q({ type: 'numeric', answer: { value: 3.5, tolerance: 0.1 } }))).toEqual([]);
    expect(issues(q({ type: 'text', answer: ['Idempotency-Key'] }))).toEqual([]);
    expect(
      issues(
        q({ type: 'sjt', options: opts(), answer: { weights: { a: 1, b: 0.5, c: 0, d: 0.25 } } }),
      ),
    ).toEqual([]);
  });

  it('rejects ids that do not match the id pattern', () => {
    expect(issues(q({ id: 'Bad Id', type: 'single', options: opts(), answer: 'a' }))[0]).toMatch(
      /^id:/,
    );
    expect(issues(q({ id: 'ab', type: 'single', options: opts(), answer: 'a' }))[0]).toMatch(
      /^id:/,
    );
  });

  it('rejects duplicate option ids, naming the second', () => {
    const options = [...opts(3), { id: 'a', text: 'Again' }];
    expect(issues(q({ type: 'single', options, answer: 'a' }))).toEqual([
      expect.stringMatching(/^options\[3\]\.id: Duplicate option id "a"/),
    ]);
  });

  it('requires a single key that is an existing option', () => {
    expect(issues(q({ type: 'single', options: opts(), answer: 'z' }))).toEqual([
      expect.stringMatching(/^answer: "z" is not an option id/),
    ]);
    expect(issues(q({ type: 'single', options: opts(), answer: ['a'] }))[0]).toMatch(/^answer:/);
  });

  it('requires at least one key for multi, every key an option, and not every option', () => {
    expect(issues(q({ type: 'multi', options: opts(), answer: [] }))[0]).toMatch(
      /^answer: .*at least one/,
    );
    expect(issues(q({ type: 'multi', options: opts(), answer: ['a', 'x'] }))).toEqual([
      expect.stringMatching(/^answer\[1\]: "x"/),
    ]);
    expect(issues(q({ type: 'multi', options: opts(2), answer: ['a', 'b'] }))[0]).toMatch(
      /At least one option must be wrong/,
    );
  });

  it('requires an order to rank every option exactly once', () => {
    expect(issues(q({ type: 'order', options: opts(), answer: ['a', 'b', 'c'] }))[0]).toMatch(
      /missing: d/,
    );
    expect(
      issues(q({ type: 'order', options: opts(), answer: ['a', 'b', 'c', 'c'] })).join(),
    ).toMatch(/once/);
  });

  it('requires sjt weights in [0,1] for every option with at least one weight 1', () => {
    expect(
      issues(
        q({ type: 'sjt', options: opts(), answer: { weights: { a: 0.5, b: 0.5, c: 0, d: 0 } } }),
      )[0],
    ).toMatch(/weight 1/);
    expect(
      issues(q({ type: 'sjt', options: opts(), answer: { weights: { a: 1, b: 0.5, c: 0 } } }))[0],
    ).toMatch(/"d" has no weight/);
    expect(
      issues(
        q({ type: 'sjt', options: opts(), answer: { weights: { a: 1, b: 1.5, c: 0, d: 0 } } }),
      )[0],
    ).toMatch(/^answer\.weights\.b:/);
  });

  it('rejects a negative numeric tolerance', () => {
    expect(issues(q({ type: 'numeric', answer: { value: 1, tolerance: -1 } }))).toEqual([
      expect.stringMatching(/^answer\.tolerance: Tolerance must be >= 0/),
    ]);
  });

  it('rejects blank accepted text answers', () => {
    expect(issues(q({ type: 'text', answer: ['ok', '   '] }))).toEqual([
      expect.stringMatching(/^answer\[1\]: .*blank/),
    ]);
  });

  it('requires options for option types and forbids them for numeric and text', () => {
    expect(issues(q({ type: 'single', answer: 'a' }))[0]).toMatch(
      /^options: A single question needs/,
    );
    expect(
      issues(q({ type: 'numeric', options: opts(), answer: { value: 1, tolerance: 0 } }))[0],
    ).toMatch(/^options: A numeric question has no options/);
  });

  it('bounds sizes: option count, prompt length, tags', () => {
    expect(issues(q({ type: 'single', options: opts(1), answer: 'a' }))[0]).toMatch(/^options:/);
    expect(
      issues(
        q({ type: 'single', options: opts(10).concat({ id: 'k', text: 'k' }), answer: 'a' }),
      )[0],
    ).toMatch(/^options:/);
    expect(
      issues(q({ type: 'single', prompt: 'x'.repeat(4001), options: opts(), answer: 'a' }))[0],
    ).toMatch(/^prompt:/);
    expect(issues(q({ type: 'single', tags: [], options: opts(), answer: 'a' }))[0]).toMatch(
      /^tags:/,
    );
  });

  it('names unknown fields instead of ignoring them', () => {
    expect(
      issues(q({ type: 'single', options: opts(), answer: 'a', explenation: 'typo' })),
    ).toEqual(['explenation: Unknown field.']);
  });

  it('requires an explanation', () => {
    const { explanation: _, ...rest } = base;
    expect(issues({ ...rest, type: 'single', options: opts(), answer: 'a' })[0]).toMatch(
      /^explanation:/,
    );
  });
});

describe('grading', () => {
  it('scores single 1 for the key and 0 otherwise', () => {
    const s = valid(q({ type: 'single', options: opts(), answer: 'b' }));
    expect(gradeResponse(s, 'b')).toBe(1);
    expect(gradeResponse(s, 'a')).toBe(0);
    expect(gradeResponse(s, undefined)).toBe(0);
  });

  it('gives multi partial credit: correct minus wrong picks over the key size, floored at 0', () => {
    const m = valid(q({ type: 'multi', options: opts(5), answer: ['a', 'b', 'c'] }));
    expect(gradeResponse(m, ['a', 'b', 'c'])).toBe(1);
    expect(gradeResponse(m, ['a', 'b'])).toBeCloseTo(2 / 3);
    expect(gradeResponse(m, ['a', 'b', 'd'])).toBeCloseTo(1 / 3);
    expect(gradeResponse(m, ['a', 'd', 'e'])).toBe(0);
    expect(gradeResponse(m, [])).toBe(0);
  });

  it('scores order by the share of pairs in the right relative order', () => {
    const o = valid(q({ type: 'order', options: opts(4), answer: ['a', 'b', 'c', 'd'] }));
    expect(gradeResponse(o, ['a', 'b', 'c', 'd'])).toBe(1);
    expect(gradeResponse(o, ['d', 'c', 'b', 'a'])).toBe(0);
    expect(gradeResponse(o, ['b', 'a', 'c', 'd'])).toBeCloseTo(5 / 6);
  });

  it('scores numeric within the tolerance, inclusive', () => {
    const n = valid(q({ type: 'numeric', answer: { value: 99.8, tolerance: 0.01 } }));
    expect(gradeResponse(n, 99.81)).toBe(1);
    expect(gradeResponse(n, 99.79)).toBe(1);
    expect(gradeResponse(n, 99.83)).toBe(0);
    const exact = valid(q({ type: 'numeric', answer: { value: 0.3, tolerance: 0 } }));
    expect(gradeResponse(exact, 0.1 + 0.2)).toBe(1);
  });

  it('scores text by normalised exact match', () => {
    const t = valid(q({ type: 'text', answer: ['Idempotency-Key'] }));
    expect(gradeResponse(t, '  idempotency-key ')).toBe(1);
    expect(gradeResponse(t, 'IDEMPOTENCY-KEY')).toBe(1);
    expect(gradeResponse(t, 'idempotency key')).toBe(0);
  });

  it('scores sjt by the chosen option weight', () => {
    const s = valid(
      q({ type: 'sjt', options: opts(), answer: { weights: { a: 1, b: 0.5, c: 0, d: 0.25 } } }),
    );
    expect(gradeResponse(s, 'b')).toBe(0.5);
    expect(gradeResponse(s, 'd')).toBe(0.25);
  });

  it('scores an answer that does not fit the question as 0', () => {
    const s = valid(q({ type: 'single', options: opts(), answer: 'b' }));
    expect(gradeResponse(s, 'zz')).toBe(0);
    expect(gradeResponse(s, 42)).toBe(0);
  });
});

describe('candidate answers', () => {
  const s = valid(q({ type: 'order', options: opts(3), answer: ['a', 'b', 'c'] }));

  it('accepts a ranking of every option', () => {
    expect(parseResponse(s, ['c', 'a', 'b']).ok).toBe(true);
  });

  it('rejects a ranking that leaves out an option', () => {
    const r = parseResponse(s, ['c', 'a']);
    expect(r.ok).toBe(false);
  });
});

describe('the candidate view', () => {
  it('shows prompt and option texts in the given order and nothing else', () => {
    const s = valid(
      q({ type: 'sjt', options: opts(3), answer: { weights: { a: 1, b: 0, c: 0.5 } } }),
    );
    const view = candidateView(s, { order: ['c', 'a', 'b'] });
    expect(view).toEqual({
      questionId: 'q-sample',
      area: 'microservices',
      type: 'sjt',
      prompt: base.prompt,
      options: [
        { id: 'c', text: 'Option 3' },
        { id: 'a', text: 'Option 1' },
        { id: 'b', text: 'Option 2' },
      ],
    });
  });
});

describe('content hashing', () => {
  it('is the same for the same content in any key order and differs on a change', () => {
    const a = valid(q({ type: 'single', options: opts(), answer: 'b' }));
    const b = valid({ answer: 'b', type: 'single', ...base, options: opts() });
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash({ ...a, prompt: `${a.prompt}!` })).not.toBe(contentHash(a));
  });
});

describe('stored content', () => {
  it('lists the content fields of the question shape, in its order', () => {
    expect(CONTENT_FIELDS).toEqual(Object.keys(QuestionShape.def.shape));
  });

  it('keeps the content fields of a stored item and drops its storage attributes', () => {
    const a = valid(q({ type: 'single', options: opts(), answer: 'b' }));
    const picked = pickContent({ PK: 'Q#x', SK: 'V#1', v: 1, ...a });
    expect(picked).toEqual(a);
    expect(Object.keys(picked)).toEqual(CONTENT_FIELDS.filter((k) => k in a));
  });
});

describe('numbers', () => {
  it('rejects numeric keys DynamoDB could not store exactly, naming the field', () => {
    expect(issues(q({ type: 'numeric', answer: { value: 1e20, tolerance: 0 } }))[0]).toMatch(
      /^answer\.value: Numbers are 0 or between/,
    );
    expect(issues(q({ type: 'numeric', answer: { value: 1, tolerance: 1e-200 } }))[0]).toMatch(
      /^answer\.tolerance:/,
    );
    expect(issues(q({ type: 'numeric', answer: { value: 0.000001, tolerance: 0 } }))).toEqual([]);
  });
});
