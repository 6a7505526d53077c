import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBank } from '../../functions/domain/bank.ts';
import type { FieldIssue } from '../../functions/domain/errors.ts';
import { importGift, parseGift, toGift } from '../../functions/domain/gift.ts';
import { importMoodleXml, parseMoodleXml, toMoodleXml } from '../../functions/domain/moodle-xml.ts';
import {
  gradeResponse,
  QUESTION_ID_PATTERN,
  validateQuestion,
} from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { AREA_IDS } from '../../functions/domain/taxonomy.ts';
import { quiz, refusal } from '../support/moodle-xml.ts';
import { anyQuestion, ofType, storableNumber } from '../support/questions.ts';

const question = (type: string, name: string, body: string) =>
  `  <question type="${type}">\n    <name><text>${name}</text></name>\n${body}\n  </question>`;

const text = (tag: string, value: string, format = 'html') =>
  `    <${tag} format="${format}"><text><![CDATA[${value}]]></text></${tag}>`;

const answer = (fraction: number, value: string, extra = '') =>
  `    <answer fraction="${fraction}" format="html"><text>${value}</text>${extra}</answer>`;

const problems = (xml: string): FieldIssue[] => refusal(() => parseMoodleXml(xml));

describe('reading Moodle XML', () => {
  it('grades weighted multiple answers as Moodle does: the picked fractions added up, floored at 0, capped at 1', () => {
    const [q] = parseMoodleXml(
      quiz(
        question(
          'multichoice',
          'Continents',
          [
            text('questiontext', '<p>Which are <b>continents</b>?</p>'),
            text('generalfeedback', 'Asia and Africa are; China is a country.'),
            '    <single>false</single><shuffleanswers>true</shuffleanswers>',
            answer(50, 'Asia'),
            answer(50, 'Africa'),
            answer(-100, 'China'),
            answer(0, 'Europe'),
          ].join('\n'),
        ),
      ),
    ).questions;
    expect(q).toMatchObject({
      type: 'multi',
      title: 'Continents',
      prompt: 'Which are **continents**?',
      answer: { weights: { a: 0.5, b: 0.5, c: -1, d: 0 } },
    });
    expect(gradeResponse(q!, ['a'])).toBe(0.5);
    expect(gradeResponse(q!, ['a', 'b'])).toBe(1);
    expect(gradeResponse(q!, ['a', 'c'])).toBe(0);
    expect(gradeResponse(q!, ['a', 'b', 'd'])).toBe(1);
  });

  it('reads a single-answer multichoice with partial credit, graded by the picked answer', () => {
    const [q] = parseMoodleXml(
      quiz(
        question(
          'multichoice',
          'Colour',
          [
            text('questiontext', "What's between orange and green?"),
            text('generalfeedback', 'Yellow sits between orange and green.'),
            '    <single>true</single><shuffleanswers>1</shuffleanswers>',
            answer(100, 'yellow'),
            answer(50, 'gold'),
            answer(0, 'red'),
          ].join('\n'),
        ),
      ),
    ).questions;
    expect(gradeResponse(q!, 'a')).toBe(1);
    expect(gradeResponse(q!, 'b')).toBe(0.5);
    expect(gradeResponse(q!, 'c')).toBe(0);
  });

  it('reads short answers with partial credit and the "*" catch-all, first match wins', () => {
    const [q] = parseMoodleXml(
      quiz(
        question(
          'shortanswer',
          'Animal',
          [
            text('questiontext', 'Which is the best animal?'),
            text('generalfeedback', 'Frogs, obviously.'),
            '    <usecase>0</usecase>',
            answer(100, 'Frog'),
            answer(50, 'Cat'),
            answer(0, '*'),
          ].join('\n'),
        ),
      ),
    ).questions;
    expect(q!.type).toBe('text');
    expect(gradeResponse(q!, 'frog')).toBe(1);
    expect(gradeResponse(q!, 'Cat')).toBe(0.5);
    expect(gradeResponse(q!, 'dog')).toBe(0);
  });

  it('reads numerical answers each with its credit and tolerance', () => {
    const [q] = parseMoodleXml(
      quiz(
        question(
          'numerical',
          'Grant',
          [
            text('questiontext', 'When was Ulysses S. Grant born?'),
            text('generalfeedback', 'He was born in 1822.'),
            answer(100, '1822', '<tolerance>0</tolerance>'),
            answer(50, '1822', '<tolerance>2</tolerance>'),
          ].join('\n'),
        ),
      ),
    ).questions;
    expect(gradeResponse(q!, 1822)).toBe(1);
    expect(gradeResponse(q!, 1823)).toBe(0.5);
    expect(gradeResponse(q!, 1830)).toBe(0);
  });

  it('reads true/false, whichever case the answer texts use', () => {
    const [q] = parseMoodleXml(
      quiz(
        question(
          'truefalse',
          'Sun',
          [
            text('questiontext', 'The sun is a star.'),
            text('generalfeedback', 'It is a G-type star.'),
            answer(0, 'TRUE'),
            answer(100, 'False'),
          ].join('\n'),
        ),
      ),
    ).questions;
    expect(q).toMatchObject({ type: 'single', answer: 'false' });
  });

  it('takes the id from <idnumber>, the tags from <tags>, and warns about a missing <generalfeedback> on its line', () => {
    const result = importMoodleXml(
      quiz(
        question(
          'truefalse',
          'Sun',
          [
            text('questiontext', 'The sun is a star.'),
            '    <idnumber>sun-star</idnumber>',
            answer(100, 'true'),
            answer(0, 'false'),
            '    <tags><tag><text>astronomy</text></tag></tags>',
          ].join('\n'),
        ),
      ),
    );
    expect(result.bank.questions[0]).toMatchObject({ id: 'sun-star', tags: ['astronomy'] });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 4,
        title: 'Sun',
        message: expect.stringMatching(/general feedback/),
      }),
    ]);
  });

  it('keeps an HTML table as rows of cells separated by "|", and says so', () => {
    const result = importMoodleXml(
      quiz(
        question(
          'numerical',
          'Table',
          [
            text('questiontext', '<table><tr><td>x</td><td>1</td></tr></table><p>What is x?</p>'),
            text('generalfeedback', 'x is 1.'),
            answer(100, '1', '<tolerance>0</tolerance>'),
          ].join('\n'),
        ),
      ),
    );
    expect(result.bank.questions[0]!.prompt).toBe('x | 1\n\nWhat is x?');
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 6,
        message: expect.stringMatching(/question text had a table/),
      }),
    ]);
  });

  it('refuses an essay by name with its line, or skips it on request', () => {
    const xml = quiz(question('essay', 'Opinion', text('questiontext', 'Discuss.')));
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringMatching(/essay questions need manual grading/),
      }),
    ]);
    const skipped = importMoodleXml(
      quiz(
        question('essay', 'Opinion', text('questiontext', 'Discuss.')),
        question(
          'truefalse',
          'Sun',
          [
            text('questiontext', 'The sun is a star.'),
            answer(100, 'true'),
            answer(0, 'false'),
          ].join('\n'),
        ),
      ),
      { skipUnsupported: true },
    );
    expect(skipped.bank.questions).toHaveLength(1);
    expect(skipped.skipped).toEqual([
      expect.objectContaining({
        line: 4,
        title: 'Opinion',
        reason: expect.stringMatching(/essay/),
      }),
    ]);
  });

  it('refuses positive weights that add up to less than 100%, saying why', () => {
    const xml = quiz(
      question(
        'multichoice',
        'Short',
        [
          text('questiontext', 'Pick the right ones please.'),
          '    <single>false</single>',
          answer(30, 'one'),
          answer(30, 'two'),
          answer(-100, 'three'),
        ].join('\n'),
      ),
    );
    expect(
      problems(xml)
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/add up to 60%/);
  });

  it('names the line of a malformed file', () => {
    const issues = problems(
      '<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n</quiz>',
    );
    expect(issues[0]!.line).toBeGreaterThanOrEqual(1);
    expect(issues[0]!.message.length).toBeGreaterThan(10);
  });

  it('expands no entity a Moodle export does not use (no billion laughs, no external file), saying so', () => {
    const issues = problems(
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<quiz><question type="truefalse"><name><text>X</text></name><questiontext><text>Is it &x; &b;?</text></questiontext></question></quiz>',
      ].join('\n'),
    );
    expect(issues[0]).toMatchObject({ line: 3 });
    expect(issues[0]!.message).toMatch(/entity &x;, which Assay does not expand/);
  });

  it('refuses HTML nested too deep for the converter on its line, in XML and GIFT (it was a 500: the stack ran out)', () => {
    const deep = (n: number, tag = 'b') =>
      `${`<${tag}>`.repeat(n)}Which port does HTTPS use?${`</${tag}>`.repeat(n)}`;
    const xml = (html: string) =>
      quiz(
        '  <question type="truefalse"><name><text>Deep</text></name>',
        `    <questiontext format="html"><text><![CDATA[${html}]]></text></questiontext>`,
        '    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>',
        '  </question>',
      );
    const issues = refusal(() => importMoodleXml(xml(deep(3000)), { area: 'security' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 5 });
    expect(issues[0]!.message).toMatch(
      /question text cannot be read: its HTML nests elements more than 100 deep/,
    );
    const gift = refusal(() =>
      parseGift(`::Deep::[html]${deep(3000)}{=443 ~80}`, { area: 'security' }),
    );
    expect(gift[0]).toMatchObject({ line: 1 });
    expect(gift[0]!.message).toMatch(/nests elements more than 100 deep/);
    // As deep as the limit, and lists or paragraphs left open (as HTML allows), still read.
    expect(
      importMoodleXml(xml(deep(100, 'span')), { area: 'security' }).bank.questions[0]!.prompt,
    ).toBe('Which port does HTTPS use?');
    const open = `<p>Pick one:<ul>${'<li>an item'.repeat(150)}</ul>${'<p>more'.repeat(150)}`;
    expect(importMoodleXml(xml(open), { area: 'security' }).bank.questions).toHaveLength(1);
  });

  it('refuses a GIFT question or an HTML text over 512 KB on its line before reading it (a 4 MB one took up to 1.8 GB)', () => {
    const big = 'x '.repeat(300 * 1024);
    const gift = refusal(() =>
      parseGift(`::Fine::Is TLS a protocol?{T}\n\n::Huge::Pick one {${`~${big}`} =y}`, {
        area: 'security',
      }),
    );
    expect(gift).toHaveLength(1);
    expect(gift[0]).toMatchObject({ line: 3 });
    expect(gift[0]!.message).toMatch(
      /This question is 601 KB long; Assay reads a question of at most 512 KB/,
    );
    const xml = refusal(() =>
      importMoodleXml(
        quiz(
          '  <question type="truefalse"><name><text>Huge</text></name>',
          `    <questiontext format="html"><text><![CDATA[<p>${big}</p>]]></text></questiontext>`,
          '    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>',
          '  </question>',
        ),
        { area: 'security' },
      ),
    );
    expect(xml[0]).toMatchObject({ line: 5 });
    expect(xml[0]!.message).toMatch(/its HTML is 601 KB long, and Assay converts at most 512 KB/);
  });

  it('means the same as the GIFT of the same question', () => {
    const fromGift = parseGift(
      [
        '$CATEGORY: security',
        '',
        '::Continents:: Which are continents? {',
        '  ~%50%Asia',
        '  ~%50%Africa',
        '  ~%-100%China',
        '  ####Asia and Africa are.',
        '}',
      ].join('\n'),
    ).questions[0]!;
    const fromXml = parseMoodleXml(
      toMoodleXml(parseGift(toGift({ bank: { id: 'g', title: 'G' }, questions: [fromGift] }).text))
        .text,
    ).questions[0]!;
    expect(fromXml).toEqual(fromGift);
  });
});

// --- round trip ---------------------------------------------------------------------------------

const piece = fc.constantFrom(
  ...'abcxyzABC0129 .,?!-_/()*`\'"éß€中<>&;'.split(''),
  ']]>',
  '<b>',
  '&amp;',
  '\n',
  '@@PLUGINFILE@@',
  '<![CDATA[',
);
const textOf = (min: number, max: number, maxPieces: number) =>
  fc
    .array(piece, { maxLength: maxPieces })
    .map((ps) => ps.join('').trim())
    .map((s) => (s.length >= min ? s : `${s} filler text`.trim()).slice(0, max).trim())
    .filter((s) => s.length >= min);

const common = fc.record(
  {
    id: fc.stringMatching(QUESTION_ID_PATTERN),
    area: fc.constantFrom(...AREA_IDS),
    difficulty: fc.constantFrom(1 as const, 2 as const, 3 as const),
    prompt: textOf(10, 4000, 40),
    explanation: textOf(10, 4000, 40),
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/), {
      minLength: 1,
      maxLength: 10,
    }),
    timeHintSeconds: fc.integer({ min: 10, max: 3600 }),
  },
  { requiredKeys: ['id', 'area', 'difficulty', 'prompt', 'explanation', 'tags'] },
);
const gen = { text: (min: number, max: number) => textOf(min, max, 12), number: storableNumber };
const valid = anyQuestion(gen, common).filter((q) => validateQuestion(q).question !== undefined);

describe("Moodle XML's messages speak XML, not GIFT", () => {
  const single = (...answers: string[]) =>
    question(
      'multichoice',
      'Pick one',
      [
        text('questiontext', 'Which one is the right answer here?'),
        '    <single>true</single>',
        ...answers,
      ].join('\n'),
    );
  const short = (...answers: string[]) =>
    question(
      'shortanswer',
      'Name it',
      [text('questiontext', 'Name the protocol that ships web pages.'), ...answers].join('\n'),
    );
  const numerical = (...answers: string[]) =>
    question(
      'numerical',
      'Count',
      [text('questiontext', 'How many bits are there in a byte?'), ...answers].join('\n'),
    );
  const cases: [string, string, RegExp][] = [
    [
      'a single choice with no answer worth 100%',
      single(answer(50, 'A'), answer(0, 'B')),
      /<answer fraction="100">/,
    ],
    [
      'a single choice with a penalty',
      single(answer(100, 'A'), answer(-50, 'B')),
      /fraction="0"|<single>false<\/single>/,
    ],
    [
      'a short answer with no answer worth 100%',
      short(answer(50, 'HTTP')),
      /<answer fraction="100">/,
    ],
    ['a short answer that is empty', short(answer(100, '')), /<answer>'s <text>/],
    [
      'a numerical question with no answer worth 100%',
      numerical(answer(50, '8')),
      /<answer fraction="100">/,
    ],
  ];

  it.each(cases)('%s', (_, xml, says) => {
    const messages = problems(quiz(xml)).map((i) => i.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(says);
    // GIFT's marks: "=" before a right answer, "=%100%", "~%50%".
    for (const m of messages) expect(m).not.toMatch(/"=|=%|~%|after "="/);
  });
});

describe('Moodle XML round trip', () => {
  it('keeps every question Moodle XML can express unchanged through toMoodleXml and parseMoodleXml, and says why it skips the others', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(valid, { minLength: 1, maxLength: 5, selector: (q) => q.id }),
        (questions) => {
          const bank = validateBank({ bank: { id: 'round-trip', title: 'Round trip' }, questions });
          const { text: xml, skipped } = toMoodleXml(bank);
          const skippedIds = new Set(skipped.map((s) => s.id));
          for (const s of skipped) expect(s.reason.length).toBeGreaterThan(20);
          const written = bank.questions.filter((q) => !skippedIds.has(q.id));
          if (written.length === 0) return;
          expect(parseMoodleXml(xml, { bankId: 'round-trip', bankTitle: 'Round trip' })).toEqual({
            ...bank,
            questions: written,
          });
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  for (const t of QUESTION_TYPE_LIST.filter((x) => x.moodle.read !== undefined)) {
    it(`writes and reads back most generated ${t.id} questions (the round trip is not vacuous)`, () => {
      const samples = fc.sample(
        ofType(t.id, gen, common).filter((q) => validateQuestion(q).question !== undefined),
        { numRuns: 30, seed: 11 },
      );
      const bank = validateBank({
        bank: { id: 'sampled', title: 'Sampled' },
        questions: samples.map((q, i) => ({ ...q, id: `q-${i}` })),
      });
      expect(toMoodleXml(bank).skipped.length).toBeLessThan(bank.questions.length / 2);
    }, 30_000);
  }
});

describe("what Moodle's own import would not take as Assay reads it", () => {
  const warningsOf = (read: { warnings: { message: string; line?: number }[] }) =>
    read.warnings.filter((w) => !/general feedback/.test(w.message));

  // Moodle's import checks every multiple-choice, short-answer and numerical fraction against
  // its grades (match_grade_options): ~%35% fails the file there, or becomes 33.33333%.
  it("warns, on its line, about a weight that is not one of Moodle's grades, in GIFT and XML", () => {
    const gift = importGift(
      [
        '::Pick:: Which two are fruit here? {~%35%apple ~%65%pear ~%-50%rock ~%-100%stone}',
        '',
        '::Third:: Pick each prime below ten {~%33.33333%2 ~%33.33333%3 ~%33.33333%5 ~%-100%4}',
        '',
        '::Name:: Name the capital of France {=Paris =%45%paris. =%0%*}',
        '',
        '::Year:: In which year was Grant born? {#=1822:0 =%55%1822:2}',
      ].join('\n'),
      { area: 'security' },
    );
    expect(warningsOf(gift).map((w) => [w.line, w.message.slice(0, 42)])).toEqual([
      [1, '"~%35%": 35% is not one of Moodle\'s grades'],
      [1, '"~%65%": 65% is not one of Moodle\'s grades'],
      [5, '"=%45%": 45% is not one of Moodle\'s grades'],
      [7, '"=%55%": 55% is not one of Moodle\'s grades'],
    ]);
    expect(warningsOf(gift)[0]!.message).toMatch(
      /Moodle refuses the file \("invalid grade"\), or with "Nearest grade if not listed" reads 33\.33333%\. Assay grades it at 35% as written/,
    );
    // The weights are still graded as written.
    expect(gift.bank.questions[0]!.answer).toEqual({
      weights: { a: 0.35, b: 0.65, c: -0.5, d: -1 },
    });
    const xml = importMoodleXml(
      quiz(
        '  <question type="multichoice"><name><text>Pick</text></name>',
        '    <questiontext><text>Which two are fruit here?</text></questiontext><single>false</single><shuffleanswers>1</shuffleanswers>',
        '    <answer fraction="35"><text>apple</text></answer>',
        '    <answer fraction="66.66667"><text>pear</text></answer>',
        '    <answer fraction="-100"><text>rock</text></answer>',
        '  </question>',
      ),
      { area: 'security' },
    );
    expect(warningsOf(xml).map((w) => [w.line, w.message.slice(0, 50)])).toEqual([
      [6, 'fraction="35": 35% is not one of Moodle\'s grades ('],
    ]);
  });

  // qformat_gift compares the answer with 'T', 'TRUE', 'F', 'FALSE' exactly: {true} is a short
  // answer in Moodle. Assay keeps reading it as true/false (issue 13), and now says so.
  it('warns that Moodle reads a lower-case {true} as a short answer', () => {
    const read = importGift(
      '::TF:: The sun is a star.{true}\n\n::Up:: The sun is a planet.{FALSE}',
      {
        area: 'security',
      },
    );
    expect(read.bank.questions.map((q) => q.answer)).toEqual(['true', 'false']);
    expect(warningsOf(read)).toHaveLength(1);
    expect(warningsOf(read)[0]).toMatchObject({ line: 1 });
    expect(warningsOf(read)[0]!.message).toMatch(
      /"true": Moodle reads true\/false only in capitals .* write \{TRUE\} to mean the same in both/,
    );
  });
});
