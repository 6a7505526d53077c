/**
 * What an author reads when a bank file is wrong: every problem, each at the place it is. Found
 * by uploading hostile and malformed banks as an outside tester (round 9).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBank } from '../../functions/domain/bank.ts';
import { duplicateJsonKeys } from '../../functions/domain/bank-json.ts';
import { type FieldIssue, ValidationError } from '../../functions/domain/errors.ts';

/** The issues a bank text is refused with, as the API's 400 and `assay validate` list them. */
function problems(text: string, format: 'json' | 'yaml'): FieldIssue[] {
  try {
    readBank(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('the bank was accepted');
}

const question = (over: Record<string, unknown> = {}) => ({
  id: 'bq-one',
  area: 'security',
  type: 'single',
  difficulty: 2,
  tags: ['xss'],
  prompt: 'Which header mitigates reflected XSS best?',
  options: [
    { id: 'a', text: 'Content-Security-Policy' },
    { id: 'b', text: 'X-Powered-By' },
  ],
  answer: 'a',
  explanation: 'CSP restricts where scripts may come from.',
  ...over,
});

describe('a JSON bank with a key written twice', () => {
  it('is refused, naming the field, both places and that JSON would keep only the last', () => {
    const text = [
      '{"bank": {"id": "dup-json", "title": "Dup"},',
      ' "questions": [',
      '  {"id": "dj-one", "area": "security", "type": "single", "difficulty": 2, "tags": ["x"],',
      '   "prompt": "Which header mitigates reflected XSS best?",',
      '   "options": [{"id": "a", "text": "CSP"}, {"id": "b", "text": "XPB"}],',
      '   "answer": "a", "answer": "b",',
      '   "explanation": "CSP restricts script sources."}',
      ' ]}',
    ].join('\n');

    const issues = problems(text, 'json');

    expect(issues).toEqual([
      expect.objectContaining({
        path: 'questions[0].answer',
        questionIndex: 0,
        questionId: 'dj-one',
        line: 6,
        column: 19,
      }),
    ]);
    expect(issues[0]!.message).toMatch(/"answer".*twice.*line 6, column 4/);
  });

  it('is refused whatever escapes spell the key, and at the envelope too', () => {
    const text = `{"bank": {"id": "dup-json", "title": "A", "t\\u0069tle": "B"}, "questions": [${JSON.stringify(question())}]}`;

    const issues = problems(text, 'json');

    expect(issues.map((i) => i.path)).toEqual(['bank.title']);
    expect(issues[0]).toMatchObject({ line: 1, column: 43 });
  });

  it('finds no duplicate in any JSON that JSON.stringify writes, brackets and quotes in strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(duplicateJsonKeys(JSON.stringify(value, null, 1))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a duplicate after strings full of escaped quotes, backslashes and brackets', () => {
    const text = '{"a": "x\\\\", "b": ["\\"}]", {"c": 1, "c": 2}], "a": 3}';
    expect(JSON.parse(text)).toEqual({ a: 3, b: ['"}]', { c: 2 }] });

    expect(duplicateJsonKeys(text)).toEqual([
      { path: ['b', 1, 'c'], offset: text.indexOf('"c": 2'), firstOffset: text.indexOf('"c": 1') },
      { path: ['a'], offset: text.lastIndexOf('"a"'), firstOffset: 1 },
    ]);
  });

  it('comes to an end on any text, valid JSON or not (a request body is scanned before it is parsed)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', 'a') }),
        (text) => {
          expect(Array.isArray(duplicateJsonKeys(text))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('still accepts the same key in different objects', () => {
    const text = JSON.stringify({ bank: { id: 'ok-json', title: 'Ok' }, questions: [question()] });

    expect(readBank(text, 'json').questions[0]!.answer).toBe('a');
  });
});

describe('the messages of the common fields', () => {
  it('says what a missing member takes, in words a person uses ("a list", not "an array")', () => {
    const { tags, ...untagged } = question();
    const text = JSON.stringify({ bank: { id: 'tag-bank', title: 'T' }, questions: [untagged] });

    const [issue] = problems(text, 'json');

    expect(issue).toMatchObject({
      path: 'questions[0].tags',
      message: 'Required: a list.',
    });
  });

  it('says that a missing area or type is missing, not unknown', () => {
    const { area, type, ...partial } = question();
    const text = JSON.stringify({ bank: { id: 'gap-bank', title: 'G' }, questions: [partial] });

    const issues = problems(text, 'json');

    expect(issues.find((i) => i.path === 'questions[0].area')!.message).toMatch(
      /^Required: .*security/,
    );
    expect(issues.find((i) => i.path === 'questions[0].type')!.message).toMatch(
      /^Required: .*single/,
    );
  });

  it('names every allowed difficulty when the difficulty is out of range', () => {
    const text = JSON.stringify({
      bank: { id: 'diff-bank', title: 'D' },
      questions: [question({ difficulty: 4 })],
    });

    const [issue] = problems(text, 'json');

    expect(issue).toMatchObject({ path: 'questions[0].difficulty', line: 1 });
    expect(issue!.message).toMatch(/1 .*2 .*or 3/);
  });
});

describe('a key that fits neither of its type’s forms', () => {
  const issuesOf = (over: Record<string, unknown>) =>
    problems(
      JSON.stringify({ bank: { id: 'key-bank', title: 'K' }, questions: [question(over)] }),
      'json',
    );

  it('names the items of a list of accepted answers that are not text, not "expected object"', () => {
    // YAML reads `[eight, 8, true]` as a string, a number and a boolean.
    const issues = issuesOf({ type: 'text', options: undefined, answer: ['eight', 8, true] });

    expect(issues.map((i) => i.path)).toEqual(['questions[0].answer[1]', 'questions[0].answer[2]']);
    expect(issues[0]!.message).toBe('Must be text of 1 to 200 characters.');
  });

  it('names the misspelt member of a weights key, not "expected string"', () => {
    const issues = issuesOf({ answer: { weight: { a: 1, b: 0 } } });

    expect(issues.map((i) => i.path).sort()).toEqual([
      'questions[0].answer.weight',
      'questions[0].answer.weights',
    ]);
  });
});

describe('a problem with a huge value', () => {
  it('cuts the value out of the middle of its message, keeping how the message starts and ends', () => {
    const text = JSON.stringify({
      bank: { id: 'big-bank', title: 'B' },
      questions: [question({ answer: `${'z'.repeat(1_000_000)}😀` })],
    });

    const [issue] = problems(text, 'json');

    expect(issue!.path).toBe('questions[0].answer');
    expect(issue!.message.length).toBeLessThanOrEqual(400);
    expect(issue!.message).toMatch(/^"zzz.*characters left out.*\(options: a, b\)\.$/);
    expect(issue!.message.isWellFormed()).toBe(true);
  });

  it('bounds a path made of huge keys and a question id that is not one', () => {
    const weights = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [`${'k'.repeat(2000)}${i}`, 1]),
    );
    const text = JSON.stringify({
      bank: { id: 'big-bank', title: 'B' },
      questions: [question({ id: 'x'.repeat(100_000), type: 'sjt', answer: { weights } })],
    });

    const issues = problems(text, 'json');

    expect(issues.length).toBeGreaterThan(1);
    for (const i of issues) {
      expect(i.path.length).toBeLessThanOrEqual(400);
      expect(i.message.length).toBeLessThanOrEqual(400);
      expect(i.questionId!.length).toBeLessThanOrEqual(400);
    }
  });
});

describe('a bank with problems in its envelope and in its questions', () => {
  it('reports the questions’ problems too, not only the envelope’s', () => {
    const text = [
      'bank:',
      '  id: Bad_Id',
      '  title: Envelope',
      'questions:',
      '  - id: bq-one',
      '    area: securityy',
      '    type: single',
      '    difficulty: 2',
      '    tags: [xss]',
      '    prompt: Which header mitigates reflected XSS best?',
      '    options: [{id: a, text: CSP}, {id: b, text: XPB}]',
      '    answer: a',
      '    explanation: CSP restricts where scripts may come from.',
    ].join('\n');

    const issues = problems(text, 'yaml');

    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['bank.id', 2],
      ['questions[0].area', 6],
    ]);
    expect(issues[1]).toMatchObject({ questionIndex: 0, questionId: 'bq-one' });
  });
});

describe('malformed JSON', () => {
  it.each([
    [
      'a trailing comma in a list',
      '{"bank": {"id": "j-bank", "title": "J"},\n "questions": [1,\n ]}',
      3,
      2,
    ],
    [
      'a misspelt literal',
      '{"bank": {"id": "j-bank", "title": "J"},\n "questions": [True]}',
      2,
      16,
    ],
    [
      'a text that ends too soon',
      '{"bank": {"id": "j-bank", "title": "J"},\n "questions": [',
      2,
      16,
    ],
  ])('locates %s, though the JSON parser names no position', (_what, text, line, column) => {
    const [issue] = problems(text, 'json');

    expect(issue).toMatchObject({ line, column });
    expect(issue!.message).toMatch(/^Malformed JSON/);
  });
});

describe('YAML that Assay does not read', () => {
  it('refuses a merge key (<<) once, where it is, rather than as a question missing every field', () => {
    const text = [
      'bank: {id: merge-bank, title: Merge}',
      'questions:',
      '  - &base',
      '    id: mq-one',
      '    area: security',
      '    type: single',
      '    difficulty: 2',
      '    tags: [xss]',
      '    prompt: Which header mitigates reflected XSS best?',
      '    options: [{id: a, text: CSP}, {id: b, text: XPB}]',
      '    answer: a',
      '    explanation: CSP restricts where scripts may come from.',
      '  - <<: *base',
      '    id: mq-two',
    ].join('\n');

    const issues = problems(text, 'yaml');

    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[1].<<', line: 13, column: 5 }),
    ]);
    expect(issues[0]!.message).toMatch(/merge key/);
  });
});

describe('malformed YAML', () => {
  it('locates a quote that is never closed where it opens, not at the end of the file', () => {
    const text = [
      'bank:',
      '  id: bad-yaml',
      '  title: x',
      'questions:',
      '  - id: q1',
      '    prompt: "unterminated',
      '    area: security',
      '',
    ].join('\n');

    const [issue] = problems(text, 'yaml');

    expect(issue).toMatchObject({ line: 6, column: 13 });
    expect(issue!.message).toMatch(/closing "quote/);
  });
});
