/**
 * Issue 13: a question imported from Moodle grades exactly as Moodle grades it. Short answers
 * compare as Moodle's qtype_shortanswer does (compare_string_with_wildcard: NFC, trimmed, `*`
 * wildcards, case ignored unless usecase; white space and compatibility forms as written), and
 * numerical answers hold a response as qtype_numerical does (get_tolerance_interval, nominal:
 * the tolerance plus 1e-14 of the larger of tolerance and answer). The key carries this as
 * `compare: 'moodle'`; Assay's own questions (without it) grade as they always did.
 *
 * The cases marked "Moodle's test" are the assertions of question/type/shortanswer/tests/
 * question_test.php (test_compare_string_with_wildcard, test_compare_0_with_wildcard,
 * test_compare_string_with_wildcard_many_stars) and question/type/numerical/tests/
 * answer_test.php (test_within_tolerance_nominal, _nominal_zero, _blank) in moodle/moodle,
 * restated here (Moodle is GPL: read, not copied).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors.ts';
import { parseGift, toGift } from '../../functions/domain/gift.ts';
import { parseMoodleXml, toMoodleXml } from '../../functions/domain/moodle-xml.ts';
import {
  describeKey,
  gradeResponse,
  type QuestionContent,
  validateQuestion,
} from '../../functions/domain/question.ts';

const base = {
  area: 'security',
  difficulty: 2,
  prompt: 'A question imported from a Moodle bank, long enough to be valid.',
  explanation: '',
  tags: ['moodle'],
};

function question(type: 'text' | 'numeric', answer: unknown, id = 'q-moodle'): QuestionContent {
  const v = validateQuestion({ ...base, id, type, answer });
  if (!v.question) throw new Error(JSON.stringify(v.issues));
  return v.question;
}

/** A Moodle short answer with one pattern worth 100%. */
const shortAnswer = (pattern: string, caseSensitive: boolean) =>
  question('text', {
    answers: [{ text: pattern, credit: 1 }],
    ...(caseSensitive ? { caseSensitive: true } : {}),
    compare: 'moodle',
  });

/** A Moodle numerical answer worth 100%. */
const numerical = (value: number, tolerance: number) =>
  question('numeric', { value, tolerance, compare: 'moodle' });

const bank = (...questions: QuestionContent[]) => ({
  bank: { id: 'moodle-grading', title: 'Moodle grading' },
  questions,
});

describe("a short answer compared as Moodle's shortanswer compares it", () => {
  // [response, pattern, ignore case, Moodle's result]: Moodle's test, every assertion.
  const cases: [string, string, boolean, boolean][] = [
    ['Frog', 'Frog', false, true],
    ['Frog', 'frog', false, false],
    ['   Frog   ', 'Frog', false, true],
    ['Frogs', 'Frog', false, false],
    ['Frog', 'frog', true, true],
    ['   FROG   ', 'Frog', true, true],
    ['Frogs', 'Frog', true, false],
    ['Frog', 'F*og', false, true],
    ['Fog', 'F*og', false, true],
    ['   Fat dog   ', 'F*og', false, true],
    ['Frogs', 'F*og', false, false],
    ['Fg', 'F*og', false, false],
    ['frog', 'F*og', false, false],
    ['   fat dog   ', 'F*og', false, false],
    ['Frog', 'F*og', true, true],
    ['Fog', 'F*og', true, true],
    ['   Fat dog   ', 'F*og', true, true],
    ['Frogs', 'F*og', true, false],
    ['Fg', 'F*og', true, false],
    ['frog', 'F*og', true, true],
    ['   fat dog   ', 'F*og', true, true],
    ['   *   ', '\\*', false, true],
    ['*', '\\*', false, true],
    ['Frog*toad', 'Frog\\*toad', false, true],
    ['a', '[a-z]', false, false],
    ['[a-z]', '[a-z]', false, true],
    ['\\{}/', '\\{}/', true, true],
    ['ITÁLIE', 'Itálie', true, true],
    ['départ', 'DÉPART', true, true],
    ['départ', 'DÉPART', false, false],
    ['d\u00e9part', 'de\u0301part', false, true],
    ['d\u00e9part', 'DE\u0301PART', true, true],
    ['0', '0', false, true],
    ['0', '0*', false, true],
    ['0', '*0', false, true],
    ['0', '*0*', false, true],
    ['<em></em>', `${'*'.repeat(35)}<em>${'*'.repeat(35)}</em>`, false, true],
  ];

  it.each(cases)(
    '%j against the pattern %j (case ignored: %s) scores as Moodle matches it (%s)',
    (response, pattern, ignoreCase, matches) => {
      const q = shortAnswer(pattern, !ignoreCase);

      expect(gradeResponse(q, response)).toBe(matches ? 1 : 0);
    },
  );

  it('keeps inner white space and compatibility forms as written, where Assay would fold them', () => {
    const moodle = shortAnswer('New York', false);
    const assay = question('text', ['New York'], 'q-assay');

    // Moodle: trim() and NFC only; "New  York" and full-width letters are other texts.
    expect(gradeResponse(moodle, 'New  York')).toBe(0);
    expect(gradeResponse(moodle, 'New\tYork')).toBe(0);
    expect(gradeResponse(moodle, 'ＮＥＷ ＹＯＲＫ')).toBe(0);
    expect(gradeResponse(moodle, '  new york\n')).toBe(1);
    // Assay's own question: normalised as documented, unchanged.
    expect(gradeResponse(assay, 'New  York')).toBe(1);
    expect(gradeResponse(assay, 'ＮＥＷ ＹＯＲＫ')).toBe(1);
  });

  it("trims only what PHP's trim() trims, and lets * stand for anything but a line break", () => {
    const q = shortAnswer('New*York', false);

    expect(gradeResponse(q, '\u00a0New York')).toBe(0);
    expect(gradeResponse(q, 'New Amsterdam, now York')).toBe(1);
    expect(gradeResponse(q, 'New\nYork')).toBe(0);
  });

  it('gives nothing for a blank response, which Moodle trims and does not grade, even against *', () => {
    const q = question('text', {
      answers: [
        { text: 'Paris', credit: 1 },
        { text: '*', credit: 0.5 },
      ],
      compare: 'moodle',
    });

    expect(gradeResponse(q, '')).toBe(0);
    expect(gradeResponse(q, '   ')).toBe(0);
    expect(gradeResponse(q, ' \t\n')).toBe(0);
    expect(gradeResponse(q, 'Lyon')).toBe(0.5);
    expect(gradeResponse(q, '0')).toBe(0.5);
  });

  it('stays linear on a pattern of many stars that a backtracking regular expression chokes on', () => {
    const q = shortAnswer(`${'a*'.repeat(40)}b`, false);
    const started = performance.now();

    expect(gradeResponse(q, 'a'.repeat(500))).toBe(0);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('describes the key with the rule it is graded by', () => {
    expect(describeKey(shortAnswer('Frog', false))).toBe(
      '"Frog": 100% (compared as Moodle does: case ignored, spacing as written)',
    );
    expect(describeKey(question('text', ['Frog'], 'q-assay'))).toBe(
      '"Frog" (case and spacing ignored)',
    );
  });
});

describe("a numerical answer held as Moodle's numerical holds it", () => {
  // [answer, tolerance, response, Moodle's result]: Moodle's test, every nominal assertion; the
  // cases at 1e-20 and 1e-24 restated at the magnitudes Assay stores (0 or 1e-12..1e15), where
  // they keep their point: the epsilon scales with the larger of tolerance and answer.
  const cases: [number, number, number, boolean][] = [
    [7, 1, 5.99, false],
    [7, 1, 6, true],
    [7, 1, 7, true],
    [7, 1, 8, true],
    [7, 1, 8.01, false],
    [1e-11, 0, 0.9999999e-11, false],
    [1e-11, 0, 1e-11, true],
    [1e-11, 0, 1.0000001e-11, false],
    [0, 1e-12, -2e-12, false],
    [0, 1e-12, -1e-12, true],
    [0, 1e-12, 0, true],
    [0, 1e-12, 1e-12, true],
    [0, 1e-12, 2e-12, false],
    [1e-8, 1e-12, 1.0002e-8, false],
    [1e-8, 1e-12, 1.0001e-8, true],
    [1e-8, 1e-12, 1e-8, true],
    [1234, 0, 1234, true],
    [1234, 0, 1234.000001, false],
    [1234, 0, 0, false],
  ];

  it.each(cases)(
    'the answer %d with tolerance %d holds %d as Moodle does (%s)',
    (value, tolerance, response, holds) => {
      expect(gradeResponse(numerical(value, tolerance), response)).toBe(holds ? 1 : 0);
    },
  );

  it('gives no relative 1e-9 of slack to an imported answer, and keeps it for Assay’s own', () => {
    const response = 1822 * (1 + 1e-10);

    expect(gradeResponse(numerical(1822, 0), response)).toBe(0);
    expect(gradeResponse(question('numeric', { value: 1822, tolerance: 0 }), response)).toBe(1);
    // Moodle's own epsilon: 1e-14 of the answer still holds.
    expect(gradeResponse(numerical(1822, 0), 1822 * (1 + 5e-15))).toBe(1);
  });
});

describe('the compare field of a key', () => {
  it('accepts only "moodle", naming the field otherwise', () => {
    const v = validateQuestion({
      ...base,
      id: 'q-bad',
      type: 'text',
      answer: { answers: [{ text: 'Frog', credit: 1 }], compare: 'exact' },
    });

    expect(v.question).toBeUndefined();
    expect(v.issues).toEqual([
      { path: 'answer.compare', message: 'compare is "moodle" or absent.' },
    ]);
  });
});

describe('reading Moodle banks', () => {
  it("marks a GIFT short answer and a numerical answer as compared Moodle's way", () => {
    const [text, num, partial] = parseGift(
      [
        '$CATEGORY: security',
        '',
        '::City::Which city is called the Big Apple? {=New York =NYC}',
        '',
        '::Year::In which year was Grant buried? {#1822}',
        '',
        '::Frog::Name an amphibian. {=frog =%80%toad =%0%*}',
      ].join('\n'),
    ).questions;

    expect(text!.answer).toEqual({
      answers: [
        { text: 'New York', credit: 1 },
        { text: 'NYC', credit: 1 },
      ],
      compare: 'moodle',
    });
    expect(gradeResponse(text!, 'New  York')).toBe(0);
    expect(num!.answer).toEqual({ value: 1822, tolerance: 0, compare: 'moodle' });
    expect(gradeResponse(num!, 1822.0000001)).toBe(0);
    expect(partial!.answer).toMatchObject({ compare: 'moodle' });
    // Moodle's test_grading: frog 1, toad 0.8, anything else 0.
    expect(gradeResponse(partial!, 'frog')).toBe(1);
    expect(gradeResponse(partial!, 'toad')).toBe(0.8);
    expect(gradeResponse(partial!, 'x')).toBe(0);
  });

  it('marks Moodle XML short answers and numerical answers alike', () => {
    const [text, num] = parseMoodleXml(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<quiz>',
        '  <question type="category"><category><text>$course$/top/security</text></category></question>',
        '  <question type="shortanswer"><name><text>City</text></name>',
        '    <questiontext format="html"><text>Which city is called the Big Apple?</text></questiontext>',
        '    <usecase>1</usecase>',
        '    <answer fraction="100" format="moodle_auto_format"><text>New York</text></answer>',
        '  </question>',
        '  <question type="numerical"><name><text>Year</text></name>',
        '    <questiontext format="html"><text>In which year was Grant buried?</text></questiontext>',
        '    <answer fraction="100" format="moodle_auto_format"><text>1822</text><tolerance>2</tolerance></answer>',
        '  </question>',
        '</quiz>',
      ].join('\n'),
    ).questions;

    expect(text!.answer).toEqual({
      answers: [{ text: 'New York', credit: 1 }],
      caseSensitive: true,
      compare: 'moodle',
    });
    expect(gradeResponse(text!, 'New  York')).toBe(0);
    expect(gradeResponse(text!, 'new york')).toBe(0);
    expect(num!.answer).toEqual({ value: 1822, tolerance: 2, compare: 'moodle' });
    expect(gradeResponse(num!, 1824 * (1 + 1e-12))).toBe(0);
  });
});

describe('exporting and reading back', () => {
  /** Two imported keys and two of Assay's own, of both types. */
  const mixed = () =>
    bank(
      shortAnswer('New York', false),
      { ...numerical(1822, 2), id: 'q-moodle-number' },
      question('text', ['New York', 'NYC'], 'q-assay-text'),
      question('numeric', { value: 1822, tolerance: 2 }, 'q-assay-number'),
    );

  it('gives back every key with its compare rule through GIFT', () => {
    const all = mixed();
    const back = parseGift(toGift(all).text, { bankId: 'moodle-grading' }).questions;

    expect(back.map((q) => q.answer)).toEqual(all.questions.map((q) => q.answer));
  });

  it('gives back every key with its compare rule through Moodle XML', () => {
    const all = mixed();
    const back = parseMoodleXml(toMoodleXml(all).text, { bankId: 'moodle-grading' }).questions;

    expect(back.map((q) => q.answer)).toEqual(all.questions.map((q) => q.answer));
  });

  it('says in the assay comment of every key how it compares', () => {
    const gift = toGift(mixed()).text;

    expect(gift).toContain('// [id:q-assay-text]');
    expect(gift.match(/compare=assay/g)).toHaveLength(2);
    expect(gift.match(/compare=moodle/g)).toHaveLength(2);
  });

  it('reads an Assay GIFT export from before compare= as comparing Assay’s way', () => {
    const old = [
      '$CATEGORY: security',
      '',
      '// [id:idem-key]',
      '// assay: difficulty=2',
      '::idem-key::[markdown]Which request header makes a retried POST safe to repeat?{=Idempotency-Key =idempotency key}',
    ].join('\n');

    const [q] = parseGift(old).questions;

    expect(q!.answer).toEqual(['Idempotency-Key', 'idempotency key']);
    expect(gradeResponse(q!, 'Idempotency  Key')).toBe(1);
  });

  it('reads an Assay Moodle XML export from before compare= as comparing Assay’s way', () => {
    const old = toMoodleXml(
      bank(question('numeric', { value: 1822, tolerance: 2 }, 'q-old')),
    ).text.replace(' compare=assay', '');

    const [q] = parseMoodleXml(old, { bankId: 'moodle-grading' }).questions;

    expect(old).toContain('<!-- assay: difficulty=2 -->');
    expect(q!.answer).toEqual({ value: 1822, tolerance: 2 });
  });

  it('still reads a Moodle file without an assay comment as comparing Moodle’s way', () => {
    const moodle = ['$CATEGORY: security', '', '::Capital::What is the capital of France?{=Paris}'];

    const [q] = parseGift(moodle.join('\n')).questions;

    expect(q!.answer).toMatchObject({ compare: 'moodle' });
  });

  it('refuses compare= in the assay comment of a question type it does not apply to', () => {
    const read = () =>
      parseGift(
        [
          '$CATEGORY: security',
          '',
          '// assay: difficulty=2 compare=assay',
          '::Sky::The sky is blue on a clear day. {T}',
        ].join('\n'),
      );

    expect(read).toThrow(ValidationError);
    expect(read).toThrow(/compare=/);
  });
});
