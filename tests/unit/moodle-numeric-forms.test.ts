/**
 * Moodle's short numeric forms (docs/question-format.md, "Numbers as Moodle writes them"):
 * Moodle XML numerical answers and tolerances are read as Moodle's qtype_numerical reads them
 * when it saves an imported question (a decimal comma, spaces, thousands separators, `x10^`, a
 * unit of the question's `<units>` converted with its multiplier), and units Assay cannot grade
 * the same way are refused by name; GIFT numbers that Moodle's GIFT import would turn into "*"
 * (a decimal comma, a unit) are refused with the reason, on their line.
 */
import { describe, expect, it } from 'vitest';
import { parseGift } from '../../functions/domain/gift.ts';
import { importMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { gradeResponse, type QuestionContent } from '../../functions/domain/question.ts';
import { quiz, refusal } from '../support/moodle-xml.ts';

/** A numerical question with these answers (and more elements, such as `<units>`). */
const numerical = (...body: string[]) =>
  [
    '  <question type="numerical">',
    '    <name><text>Rod</text></name>',
    '    <questiontext format="html"><text>How long is the rod, in metres?</text></questiontext>',
    ...body.map((b) => `    ${b}`),
    '  </question>',
  ].join('\n');

const answer = (value: string, tolerance = '0', fraction = 100) =>
  `<answer fraction="${fraction}" format="moodle_auto_format"><text>${value}</text><tolerance>${tolerance}</tolerance></answer>`;

const units = (...list: [string, string][]) =>
  `<units>${list.map(([m, n]) => `<unit><multiplier>${m}</multiplier><unit_name>${n}</unit_name></unit>`).join('')}</units>`;

const readXml = (...body: string[]) => {
  const read = importMoodleXml(quiz(numerical(...body)));
  // Every question here lacks general feedback, which Moodle does not require: its note aside.
  const warnings = read.warnings.filter((w) => !/general feedback/.test(w.message));
  return { q: read.bank.questions[0] as QuestionContent, warnings };
};

describe('a Moodle XML numerical answer written as Moodle writes numbers', () => {
  it('reads a decimal comma in the answer and the tolerance as Moodle does: 1,5 is 1.5', () => {
    const { q, warnings } = readXml(answer('1,5', '0,1'));

    expect(q.answer).toEqual({ value: 1.5, tolerance: 0.1, compare: 'moodle' });
    expect(gradeResponse(q, 1.59)).toBe(1);
    expect(gradeResponse(q, 1.7)).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('reads spaces, thousands separators and x10^ exponents as Moodle does', () => {
    expect(readXml(answer('1 000')).q.answer).toMatchObject({ value: 1000 });
    expect(readXml(answer('1,000,000')).q.answer).toMatchObject({ value: 1_000_000 });
    expect(readXml(answer('1,000.5')).q.answer).toMatchObject({ value: 1000.5 });
    expect(readXml(answer('3x10^8')).q.answer).toMatchObject({ value: 3e8 });
    expect(readXml(answer('3.0*10**8')).q.answer).toMatchObject({ value: 3e8 });
  });

  it('reads "1,000" as Moodle does (1: one comma is a decimal comma) and says so on its line', () => {
    const { q, warnings } = readXml(answer('1,000'));

    expect(q.answer).toMatchObject({ value: 1 });
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 7,
        message: expect.stringMatching(/"1,000".*as 1 .*decimal comma.*write 1000/),
      }),
    ]);
  });

  it('reads a number followed by text that is no unit of the question as Moodle does, and says so', () => {
    const { q, warnings } = readXml(answer('3 frogs'));

    expect(q.answer).toMatchObject({ value: 3 });
    expect(warnings).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/"3 frogs".*"frogs".*ignores/) }),
    ]);
  });

  it('refuses an answer that holds no number, on its line', () => {
    const issues = refusal(() => readXml(answer('about two')));

    expect(issues).toEqual([
      expect.objectContaining({ line: 7, message: expect.stringMatching(/"about two"/) }),
    ]);
  });
});

describe('Moodle XML numerical units', () => {
  it('reads optional units as the base unit (multiplier 1) shown to the candidate, converting answers in the others', () => {
    const { q, warnings } = readXml(
      answer('200 cm', '10 cm'),
      units(['1', 'm'], ['100', 'cm']),
      '<unitgradingtype>0</unitgradingtype>',
      '<showunits>0</showunits>',
    );

    expect(q.answer).toEqual({ value: 2, tolerance: 0.1, unit: 'm', compare: 'moodle' });
    expect(gradeResponse(q, 2.05)).toBe(1);
    expect(warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/also takes answers in cm.*number in m/),
      }),
    ]);
  });

  it('keeps the number only when Moodle shows no unit (showunits 3)', () => {
    const { q } = readXml(answer('2'), units(['1', 'm']), '<showunits>3</showunits>');

    expect(q.answer).toEqual({ value: 2, tolerance: 0, compare: 'moodle' });
  });

  it('refuses graded units by name: Moodle takes marks off for a missing or wrong unit', () => {
    const issues = refusal(() =>
      readXml(
        answer('2'),
        units(['1', 'm']),
        '<unitgradingtype>1</unitgradingtype>',
        '<unitpenalty>0.1000000</unitpenalty>',
      ),
    );

    expect(issues).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/unit is graded.*10%.*types the number alone/),
      }),
    ]);
  });

  it('refuses units none of which has multiplier 1, naming them', () => {
    const issues = refusal(() => readXml(answer('2'), units(['100', 'cm'], ['1000', 'mm'])));

    expect(issues).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/cm, mm.*multiplier 1/) }),
    ]);
  });
});

describe('a GIFT numerical answer that Moodle would not read as a number', () => {
  const gift = (block: string) =>
    `$CATEGORY: security\n\n::Rod::How long is the rod, in metres?{#${block}}\n`;

  it('refuses a decimal comma, saying to write a decimal point and what Moodle would do', () => {
    for (const block of ['1,5', '1,5:0.1', '1,5..2,5']) {
      const issues = refusal(() => parseGift(gift(block)));
      expect(issues, block).toEqual([
        expect.objectContaining({
          line: 3,
          message: expect.stringMatching(/decimal comma.*1\.5.*"\*".*any number/),
        }),
      ]);
    }
  });

  it('refuses a unit, saying where a unit can go', () => {
    const issues = refusal(() => parseGift(gift('2 m')));

    expect(issues).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringMatching(/"2 m".*no unit.*"\*".*<units>/),
      }),
    ]);
  });
});
