/**
 * Our own GIFT and Moodle XML cases for the features that Moodle's import fixtures and tests
 * exercise (question/format/gift/tests and question/format/xml/tests in moodle/moodle). Moodle
 * is GPL, so its files are not copied: each case is written here, with its expected meaning
 * (Assay's response and the grade Moodle gives it) or its expected refusal.
 */

/** What a case must come to: Moodle's grades for some responses, or a refusal saying why. */
export type Expectation =
  | { grades: [unknown, number][]; shape?: Record<string, unknown>; index?: number }
  | { refused: RegExp };

export interface Case {
  name: string;
  text: string;
  expect: Expectation;
}

import { rightId } from '../../functions/domain/question-types/matching.ts';

const gift = (...lines: string[]) => lines.join('\n');

export const GIFT_CASES: Case[] = [
  {
    name: 'single choice with per-answer feedback ("=" right, "~" wrong)',
    text: gift(
      '// single choice with feedback',
      '::Colour:: Which colour lies between orange and green? {',
      '  =yellow # right',
      '  ~red # [html]no, it is <i>yellow</i>',
      '  ~[plain]blue # no',
      '}',
    ),
    expect: {
      grades: [
        ['a', 1],
        ['b', 0],
        ['c', 0],
      ],
      shape: { type: 'single', title: 'Colour' },
    },
  },
  {
    name: 'multiple answers with positive and negative weights (sum, floored at 0, capped at 100%)',
    text: gift(
      '::Colours:: Which colours lie between orange and green? {',
      '  ~%50%yellow # right',
      '  ~%-100%red # wrong',
      '  ~%50%chartreuse # right',
      '  ~%-100%[plain]blue # wrong',
      '}',
    ),
    expect: {
      grades: [
        [['a'], 0.5],
        [['a', 'c'], 1],
        [['a', 'b'], 0],
        [['a', 'c', 'd'], 0],
        [[], 0],
      ],
      shape: { type: 'multi' },
    },
  },
  {
    name: 'multiple answers with thirds (~%33.33333%) add up to full marks',
    text: gift(
      'Which are continents? {',
      '  ~%33.33333%Africa',
      '  ~%33.33333%Asia',
      '  ~%-100%China',
      '  ~%33.33333%Antarctica',
      '}',
    ),
    expect: {
      grades: [
        [['a', 'b', 'd'], 1],
        [['a'], 0.3333333],
        [['a', 'b', 'c'], 0],
      ],
    },
  },
  {
    name: 'multiple answers where wrong picks cost nothing: Moodle gives full marks for picking all',
    text: gift('Pick the primes below ten. {', '  ~%50%3', '  ~%50%7', '  ~%0%9', '}'),
    expect: {
      grades: [
        [['a', 'b', 'c'], 1],
        [['a'], 0.5],
        [['c'], 0],
      ],
    },
  },
  {
    name: 'single choice with partial credit on a "~" answer',
    text: gift(
      'Difficult multiple choice question. {',
      '  ~wrong answer #comment on wrong answer',
      '  ~%50%half credit answer #comment on answer',
      '  =full credit answer #well done!',
      '}',
    ),
    expect: {
      grades: [
        ['a', 0],
        ['b', 0.5],
        ['c', 1],
      ],
    },
  },
  {
    name: 'numerical range with tolerance and a wrong-answer feedback',
    text: '::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}',
    expect: {
      grades: [
        [1, 1],
        [5, 1],
        [3, 1],
        [0.9, 0],
        [6, 0],
      ],
    },
  },
  {
    name: 'numerical with several answers each with its own credit',
    text: gift(
      'When was Ulysses S. Grant born? {#',
      '  =1822:0 #Correct!',
      '  =%50%1822:2 #Close: half credit.',
      '}',
    ),
    expect: {
      grades: [
        [1822, 1],
        [1821, 0.5],
        [1824, 0.5],
        [1825, 0],
      ],
    },
  },
  {
    name: 'numerical given as a range low..high',
    text: 'Give me a number from 1 to 5. {#1..5}',
    expect: {
      grades: [
        [1, 1],
        [5, 1],
        [5.5, 0],
      ],
    },
  },
  {
    name: 'numerical with a plain number (no tolerance)',
    text: 'What is the value of -1? {#-1}',
    expect: {
      grades: [
        [-1, 1],
        [1, 0],
      ],
    },
  },
  {
    name: 'short answer with partial credit and the "%0%*" catch-all',
    text: gift(
      '::Shortanswer::Which is the best animal?{',
      '  =Frog#Good!',
      '  =%50%Cat#What is it with Moodlers and cats?',
      '  =%0%*#Completely wrong',
      '}',
    ),
    expect: {
      grades: [
        ['Frog', 1],
        ['frog', 1],
        ['CAT', 0.5],
        ['dog', 0],
      ],
      shape: { type: 'text' },
    },
  },
  {
    name: 'short answer with several full-credit answers',
    text: "Who's buried in Grant's tomb?{=no one =nobody}",
    expect: {
      grades: [
        ['no one', 1],
        ['Nobody', 1],
        ['Grant', 0],
      ],
    },
  },
  {
    name: 'short answer embedded in the text (missing word), the full stop after the block kept',
    text: gift(
      "::Jesus' hometown:: Jesus Christ was from {",
      '  =Nazareth#Yes!',
      '  =%75%Nazereth#Right, but misspelled.',
      '  =%25%Bethlehem#Born here, not raised here.',
      '}.',
    ),
    expect: {
      grades: [
        ['Nazareth', 1],
        ['nazereth', 0.75],
        ['Bethlehem', 0.25],
        ['Rome', 0],
      ],
    },
  },
  {
    name: 'missing word with choices ({~ =} in the middle of the text)',
    text: "Grant is {~buried =entombed ~living} in Grant's tomb.",
    expect: {
      grades: [
        ['a', 0],
        ['b', 1],
        ['c', 0],
      ],
      shape: { type: 'missing-word' },
    },
  },
  {
    name: 'true/false with feedback for each answer and general feedback',
    text: gift(
      '::Q1:: 42 is the Absolute Answer to everything.{',
      'FALSE#42 is the Ultimate Answer.#You gave the right answer.',
      '####This is a Hitchhiker reference.}',
    ),
    expect: {
      grades: [
        ['false', 1],
        ['true', 0],
      ],
    },
  },
  {
    name: 'true/false as {T}',
    text: '::TSL::TSL is a protocol.{T}',
    expect: { grades: [['true', 1]] },
  },
  {
    name: 'true/false as {true} in lower case',
    text: 'The sun is a star.{true}',
    expect: {
      grades: [
        ['true', 1],
        ['false', 0],
      ],
    },
  },
  {
    name: 'true/false as {F} with an answer feedback',
    text: 'The moon is a planet.{F#It is a satellite.}',
    expect: { grades: [['false', 1]] },
  },
  {
    name: 'matching with text formats on the left and a distractor (= -> Chat)',
    text: gift(
      '::Moodle activities::[html]Match the <b>activity</b> to the description.{',
      '  =[html]An activity supporting asynchronous discussions. -> Forum',
      '  =[moodle]A teacher asks a question with a choice of responses. -> Choice',
      '  =[plain]A bank of record entries participants can add to. -> Database',
      '  =[markdown]A collection of web pages anyone can edit. -> Wiki',
      '  = -> Chat',
      '}',
    ),
    expect: {
      grades: [
        [['Forum', 'Choice', 'Database', 'Wiki'].map(rightId), 1],
        [['Forum', 'Choice', 'Wiki', 'Chat'].map(rightId), 0.5],
        [[null, null, null, null], 0],
      ],
      shape: { type: 'matching' },
    },
  },
  {
    name: 'two questions with the same title in one file: the second refused on its line, naming the first',
    text: gift('::2-08 TSL::TSL is blablabla.{T}', '', '::2-08 TSL::TSL is blablabla.{TRUE}'),
    expect: { refused: /line 3.*2-08 TSL|2-08 TSL.*line 1/ },
  },
  {
    name: 'essay ({} with nothing in it) refused by name',
    text: '::Q8:: How are you? {}',
    expect: { refused: /essay/ },
  },
  {
    name: 'description (a title and text, no answer block) refused by name',
    text: '::Intro:: The next questions are about cats.',
    expect: { refused: /description/ },
  },
  {
    name: '[id:...] and [tag:...] comments give the id and the tags',
    text: gift(
      '// [id:grant-tomb] [tag:history] [tag:us]',
      "Who is buried in Grant's tomb?{=Grant ~Nobody}",
    ),
    expect: { grades: [['a', 1]], shape: { id: 'grant-tomb', tags: ['history', 'us'] } },
  },
  {
    name: 'backslash escapes (\\: \\= \\~ \\# \\{ \\}) stay literal text',
    text: 'What does \\{x\\} mean in a\\: b \\= c? {=a set ~a \\~ tilde ~a \\# hash}',
    expect: { grades: [['a', 1]] },
  },
  {
    name: 'a title with an escaped colon',
    text: '::Ratio 1\\:2:: Which is half of two? {=one ~two}',
    expect: { grades: [['a', 1]], shape: { title: 'Ratio 1:2' } },
  },
  {
    name: 'questions spread over several lines with comments and blank-free layout',
    text: gift(
      '// comment before',
      '::Layout::',
      'Which one',
      '// comment inside',
      'is right? {',
      '  =this',
      '  ~that',
      '}',
    ),
    expect: { grades: [['a', 1]] },
  },
  {
    name: "$CATEGORY with Moodle's default category goes to the area given",
    text: gift('$CATEGORY: $course$/top/Default for Course 1', '', 'The sun is a star.{T}'),
    expect: { grades: [['true', 1]], shape: { area: 'security' } },
  },
  {
    name: 'an id in a comment with text around it',
    text: gift('// A comment with [id:frog] <-- an idnumber.', 'The sun is a star. {T}'),
    expect: { grades: [['true', 1]], shape: { id: 'frog' } },
  },
  {
    name: 'tags in a comment, a full stop after them',
    text: gift('// Look tags: [tag:frog] [tag:toad].', 'The sun is a star. {T}'),
    expect: { grades: [['true', 1]], shape: { tags: ['frog', 'toad'] } },
  },
  {
    name: 'id and tags with spaces inside the brackets, over two comment lines',
    text: gift(
      '// [tag:  basic] Here is ',
      '// a [id:   four   ] que[tag:add   ]stion.',
      'The sun is a star. {T}',
    ),
    expect: { grades: [['true', 1]], shape: { id: 'four', tags: ['basic', 'add'] } },
  },
  {
    name: 'a tag split over two comment lines is no tag',
    text: gift("// Ceci n'est pas une [tag:", '// frog].', 'The sun is a star. {T}'),
    expect: { grades: [['true', 1]], shape: { tags: ['security'] } },
  },
  {
    name: "Moodle's own export line (// question: N  name: ...) and its [id:] [tag:] line",
    text: gift(
      '// question: 12  name: True/false question',
      '// [id:myid] [tag:tag1] [tag:tag2]',
      '::True/false question::[html]The answer is true.{TRUE#This is the wrong answer.#This is the right answer.####You should have selected true.}',
    ),
    expect: {
      grades: [
        ['true', 1],
        ['false', 0],
      ],
      shape: { id: 'myid', tags: ['tag1', 'tag2'], title: 'True/false question' },
    },
  },
  {
    name: 'double backslashes stay single and double backslashes',
    text: '::double backslash:: A \\\\ B \\\\\\\\ C{T}',
    // Moodle's text is `A \ B \\ C`; Assay's prompt is markdown, so each backslash is escaped
    // to show as written (tests/unit/moodle-text-formats.test.ts renders it).
    expect: { grades: [['true', 1]], shape: { prompt: 'A \\\\ B \\\\\\\\ C' } },
  },
  {
    name: '[html] with a <pre> block and escaped braces over several lines',
    text: gift(
      '::Q001::[html]<p>What would running the test method print?</p>',
      '<pre>',
      '    public void test() \\{',
      '        method1();',
      '    \\}',
      '</pre>',
      '{=nothing ~something}',
    ),
    expect: {
      grades: [
        ['a', 1],
        ['b', 0],
      ],
      shape: {
        prompt:
          'What would running the test method print?\n\n    public void test() {\n        method1();\n    }',
      },
    },
  },
  {
    name: 'an HTML table in the question keeps its rows and cells together (cells separated by |)',
    text: '::Table::[html]<p>Given</p><table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr></table><p>what is y when x is 1?</p>{#2}',
    expect: {
      grades: [
        [2, 1],
        [1, 0],
      ],
      shape: { prompt: 'Given\n\nx | y\n\n1 | 2\n\nwhat is y when x is 1?' },
    },
  },
  {
    name: 'superscripts and subscripts keep their meaning (2<sup>10</sup> is 2¹⁰, not 210)',
    text: '::Powers::[html]What is 2<sup>10</sup>, in H<sub>2</sub>O terms? {#1024}',
    expect: { grades: [[1024, 1]], shape: { prompt: 'What is 2¹⁰, in H₂O terms?' } },
  },
  {
    name: 'a non-Latin title gives a transliterated id, never a position',
    text: '::Где находится Кремль?:: Кремль находится в Москве. {T}',
    expect: { grades: [['true', 1]], shape: { id: 'gde-nakhoditsya-kreml' } },
  },
  {
    name: 'a question text under 10 characters is refused, saying which text and what to do',
    text: '::Short:: Pick. {=a ~b}',
    expect: { refused: /question text is shorter than 10 characters.*before the answer block/ },
  },
  {
    name: 'a matching question with one pair is refused in GIFT terms',
    text: '::One pair:: Match the protocol to its port. {=HTTP -> 80}',
    expect: { refused: /2 to 10 pairs, each "=left -> right"/ },
  },
  {
    name: 'an unescaped brace in the text is refused, saying to escape it',
    text: 'What is {this} thing? {=a ~b}',
    expect: { refused: /\\\{/ },
  },
  {
    name: 'two questions without a blank line between them are refused, saying "blank line"',
    text: gift('First question here? {=a ~b}', 'Second question here? {=c ~d}'),
    expect: { refused: /blank line/ },
  },
  {
    name: 'positive weights adding up to less than 100% are refused (nobody could get full marks)',
    text: 'Pick the right ones. {~%30%one ~%30%two ~%-100%three}',
    expect: { refused: /add up to 60%/ },
  },
];

const xml = (...questions: string[]) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    '<!-- question: 0  -->',
    '  <question type="category">',
    '    <category><text>$course$/top/Default for Test course</text></category>',
    '    <info format="html"><text>Category description</text></info>',
    '  </question>',
    ...questions,
    '</quiz>',
  ].join('\n');

const q = (type: string, name: string, ...body: string[]) =>
  [
    `  <question type="${type}">`,
    `    <name><text>${name}</text></name>`,
    ...body.map((b) => `    ${b}`),
    '  </question>',
  ].join('\n');

const qt = (text: string, format = 'html') =>
  `<questiontext format="${format}"><text><![CDATA[${text}]]></text></questiontext>`;
const gf = (text: string) =>
  `<generalfeedback format="html"><text>${text}</text></generalfeedback>`;
const ans = (fraction: number | string, text: string, extra = '') =>
  `<answer fraction="${fraction}" format="html"><text>${text}</text><feedback format="html"><text>fb</text></feedback>${extra}</answer>`;

export const XML_CASES: Case[] = [
  {
    name: 'multichoice single with html question text and per-answer feedback',
    text: xml(
      q(
        'multichoice',
        'Greeting',
        qt('<p>What language is <b>bonjour</b>?</p>'),
        gf('It is French.'),
        '<single>true</single>',
        '<shuffleanswers>true</shuffleanswers>',
        '<answernumbering>abc</answernumbering>',
        ans(100, 'French'),
        ans(0, 'German'),
        ans(0, 'Spanish'),
      ),
    ),
    expect: {
      grades: [
        ['a', 1],
        ['b', 0],
      ],
      shape: { type: 'single', prompt: 'What language is **bonjour**?' },
    },
  },
  {
    name: 'multichoice multiple with fractions 50/50/-100',
    text: xml(
      q(
        'multichoice',
        'Multi',
        qt('Which are even numbers?'),
        gf('2 and 4 are even.'),
        '<single>false</single>',
        '<shuffleanswers>1</shuffleanswers>',
        ans(50, '2'),
        ans(50, '4'),
        ans(-100, '5'),
      ),
    ),
    expect: {
      grades: [
        [['a'], 0.5],
        [['a', 'b'], 1],
        [['a', 'b', 'c'], 0],
      ],
    },
  },
  {
    name: 'multichoice multiple with fractions written as 33.33333',
    text: xml(
      q(
        'multichoice',
        'Thirds',
        qt('Which are primary colours (of light)?'),
        '<single>false</single>',
        '<shuffleanswers>true</shuffleanswers>',
        ans('33.33333', 'red'),
        ans('33.33333', 'green'),
        ans('33.33333', 'blue'),
        ans('-100', 'yellow'),
      ),
    ),
    expect: {
      grades: [
        [['a', 'b', 'c'], 1],
        [['a', 'd'], 0],
      ],
    },
  },
  {
    name: 'truefalse with true right',
    text: xml(q('truefalse', 'TF', qt('The sun is a star.'), ans(100, 'true'), ans(0, 'false'))),
    expect: {
      grades: [
        ['true', 1],
        ['false', 0],
      ],
    },
  },
  {
    name: 'truefalse with false right, answers in another order',
    text: xml(
      q('truefalse', 'TF2', qt('The moon is a planet.'), ans(0, 'true'), ans(100, 'false')),
    ),
    expect: { grades: [['false', 1]] },
  },
  {
    name: 'shortanswer with partial credit and a "*" catch-all',
    text: xml(
      q(
        'shortanswer',
        'Animal',
        qt('Which is the best animal?'),
        '<usecase>0</usecase>',
        ans(100, 'Frog'),
        ans(50, 'Cat'),
        ans(0, '*'),
      ),
    ),
    expect: {
      grades: [
        ['frog', 1],
        ['cat', 0.5],
        ['dog', 0],
      ],
    },
  },
  {
    name: 'shortanswer that is case-sensitive (usecase 1)',
    text: xml(
      q(
        'shortanswer',
        'Case',
        qt('Name the capital of France.'),
        '<usecase>1</usecase>',
        ans(100, 'Paris'),
      ),
    ),
    expect: {
      grades: [
        ['Paris', 1],
        ['paris', 0],
      ],
    },
  },
  {
    name: 'numerical with two answers and tolerances',
    text: xml(
      q(
        'numerical',
        'Grant',
        qt('When was Ulysses S. Grant born?'),
        ans(100, '1822', '<tolerance>0</tolerance>'),
        ans(50, '1822', '<tolerance>2</tolerance>'),
      ),
    ),
    expect: {
      grades: [
        [1822, 1],
        [1820, 0.5],
        [1819, 0],
      ],
    },
  },
  {
    name: 'numerical with a decimal comma in the answer and the tolerance (Moodle reads 1,5 as 1.5)',
    text: xml(
      q(
        'numerical',
        'Comma',
        qt('What is three halves, as a number?'),
        ans(100, '1,5', '<tolerance>0,1</tolerance>'),
      ),
    ),
    expect: {
      grades: [
        [1.5, 1],
        [1.6, 1],
        [1.7, 0],
      ],
    },
  },
  {
    name: 'numerical with optional units: an answer in cm is converted to the base unit m',
    text: xml(
      q(
        'numerical',
        'Optional units',
        qt('How long is the rod?'),
        ans(100, '200 cm', '<tolerance>0</tolerance>'),
        '<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit><unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units>',
        '<unitgradingtype>0</unitgradingtype>',
      ),
    ),
    expect: {
      grades: [
        [2, 1],
        [200, 0],
      ],
    },
  },
  {
    name: 'numerical with graded units is refused by name (the candidate types no unit)',
    text: xml(
      q(
        'numerical',
        'Units',
        qt('How long is the rod?'),
        ans(100, '2', '<tolerance>0</tolerance>'),
        '<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units>',
        '<unitgradingtype>1</unitgradingtype>',
      ),
    ),
    expect: { refused: /unit/i },
  },
  {
    name: 'matching with subquestions and a distractor',
    text: xml(
      q(
        'matching',
        'Capitals',
        qt('Match the country to its capital.'),
        '<shuffleanswers>true</shuffleanswers>',
        '<subquestion format="html"><text>Canada</text><answer><text>Ottawa</text></answer></subquestion>',
        '<subquestion format="html"><text>Italy</text><answer><text>Rome</text></answer></subquestion>',
        '<subquestion format="html"><text></text><answer><text>Paris</text></answer></subquestion>',
      ),
    ),
    expect: {
      grades: [
        [['Ottawa', 'Rome'].map(rightId), 1],
        [['Ottawa', 'Paris'].map(rightId), 0.5],
        [['Rome', 'Ottawa'].map(rightId), 0],
      ],
      shape: { type: 'matching' },
    },
  },
  {
    name: 'multichoice with <single>0</single> and answers in HTML paragraphs',
    text: xml(
      q(
        'multichoice',
        'Primes',
        qt('Select all prime numbers:<br>'),
        '<single>0</single>',
        '<shuffleanswers>1</shuffleanswers>',
        ans(-50, '<![CDATA[<p dir="ltr" style="text-align: left;">1<br></p>]]>'),
        ans('33.33333', '<![CDATA[<p dir="ltr" style="text-align: left;">2<br></p>]]>'),
        ans('33.33333', '<![CDATA[<p>3</p>]]>'),
        ans(-50, '<![CDATA[<p>4</p>]]>'),
        ans('33.33333', '<![CDATA[<p>5</p>]]>'),
      ),
    ),
    expect: {
      grades: [
        [['b', 'c', 'e'], 1],
        [['a', 'b'], 0],
        [['b', 'c', 'd'], 0.1666666],
      ],
      shape: {
        options: [
          { id: 'a', text: '1' },
          { id: 'b', text: '2' },
          { id: 'c', text: '3' },
          { id: 'd', text: '4' },
          { id: 'e', text: '5' },
        ],
      },
    },
  },
  {
    name: 'question text in markdown and plain_text formats kept as written',
    text: xml(
      q(
        'truefalse',
        'Markdown',
        qt('The **sun** is a star.', 'markdown'),
        ans(100, 'true'),
        ans(0, 'false'),
      ),
      q(
        'truefalse',
        'Plain',
        qt('1 < 2 is *true*', 'plain_text'),
        ans(100, 'true'),
        ans(0, 'false'),
      ),
    ),
    expect: { grades: [['true', 1]], shape: { prompt: 'The **sun** is a star.' } },
  },
  {
    name: 'hints and penalty (interactive mode) do not change the grade of one try',
    text: xml(
      q(
        'multichoice',
        'Hints',
        qt('Which protocol is connectionless?'),
        '<single>true</single>',
        '<penalty>0.3333333</penalty>',
        ans(100, 'UDP'),
        ans(0, 'TCP'),
        '<hint format="html"><text>Think of DNS.</text></hint>',
      ),
    ),
    expect: {
      grades: [
        ['a', 1],
        ['b', 0],
      ],
    },
  },
  {
    name: 'calculated refused by name',
    text: xml(q('calculated', 'Calc', qt('What is {a} + {b}?'), ans(100, '{a}+{b}'))),
    expect: { refused: /calculated/ },
  },
  {
    name: 'drag and drop into text refused by name',
    text: xml(q('ddwtos', 'Drag', qt('The [[1]] is a star.'))),
    expect: { refused: /drag-and-drop/ },
  },
  {
    name: 'an unknown question type refused by name',
    text: xml(q('somethingnew', 'New', qt('What is this?'))),
    expect: { refused: /somethingnew/ },
  },
  {
    name: 'essay refused by name',
    text: xml(q('essay', 'Essay', qt('Discuss.'), '<responseformat>editor</responseformat>')),
    expect: { refused: /essay/ },
  },
  {
    name: 'description refused by name',
    text: xml(q('description', 'Intro', qt('The next questions are about cats.'))),
    expect: { refused: /description/ },
  },
  {
    name: 'cloze (multianswer) refused by name',
    text: xml(q('multianswer', 'Cloze', qt('Paris is the capital of {1:SHORTANSWER:=France}.'))),
    expect: { refused: /cloze|embedded/i },
  },
  {
    name: 'an image from @@PLUGINFILE@@ is refused by name',
    text: xml(
      q(
        'truefalse',
        'Image',
        qt('<p>Is this a cat? <img src="@@PLUGINFILE@@/cat.png" alt="cat"></p>'),
        '<file name="cat.png" encoding="base64">iVBORw0KGgo=</file>',
        ans(100, 'true'),
        ans(0, 'false'),
      ),
    ),
    expect: { refused: /cat\.png/ },
  },
  {
    name: 'idnumber, tags and a name are kept',
    text: xml(
      q(
        'truefalse',
        'Sun question',
        qt('The sun is a star.'),
        '<idnumber>sun-star</idnumber>',
        ans(100, 'true'),
        ans(0, 'false'),
        '<tags><tag><text>astronomy</text></tag></tags>',
      ),
    ),
    expect: {
      grades: [['true', 1]],
      shape: { id: 'sun-star', title: 'Sun question', tags: ['astronomy'] },
    },
  },
  {
    name: 'an idnumber with HTML characters that is no Assay id gives a derived id',
    text: xml(
      q(
        'truefalse',
        'Alpha Question',
        qt('<p>Testing Alpha Question</p>'),
        '<idnumber>T &amp; F</idnumber>',
        ans(100, 'true'),
        ans(0, 'false'),
      ),
    ),
    expect: { grades: [['true', 1]], shape: { id: 't-f', title: 'Alpha Question' } },
  },
  {
    name: 'nested categories: the last segment names the area',
    text: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<quiz>',
      '  <question type="category"><category><text>$course$/top/Things/devops-cicd</text></category></question>',
      q('truefalse', 'Nested', qt('Pipelines can be code.'), ans(100, 'true'), ans(0, 'false')),
      '</quiz>',
    ].join('\n'),
    expect: { grades: [['true', 1]], shape: { area: 'devops-cicd' } },
  },
];
