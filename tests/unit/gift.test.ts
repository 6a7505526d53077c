import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bank, validateBank } from '../../functions/domain/bank.ts';
import { type FieldIssue, ValidationError } from '../../functions/domain/errors.ts';
import { parseGift, toGift } from '../../functions/domain/gift.ts';
import { isStorableNumber } from '../../functions/domain/numbers.ts';
import {
  QUESTION_ID_PATTERN,
  type QuestionContent,
  validateQuestion,
} from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { AREA_IDS } from '../../functions/domain/taxonomy.ts';
import { anyQuestion, ofType, storableNumber } from '../support/questions.ts';

/** GIFT lines joined; a leading `$CATEGORY` keeps most examples short. */
const gift = (...lines: string[]) => lines.join('\n');
const inArea = (...lines: string[]) => gift('$CATEGORY: microservices', '', ...lines);

function only(text: string, opts?: Parameters<typeof parseGift>[1]): QuestionContent {
  const bank = parseGift(text, opts);
  expect(bank.questions).toHaveLength(1);
  return bank.questions[0]!;
}

/** The issues of the ValidationError that parsing `text` must throw. */
function problems(text: string, opts?: Parameters<typeof parseGift>[1]): FieldIssue[] {
  try {
    parseGift(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('validation-failed');
    return (err as ValidationError).issues;
  }
  throw new Error('parseGift accepted the text');
}

const EXPLAINED = '####The explanation says why.';

describe('reading GIFT', () => {
  it('reads a multiple-choice question with one "=" as a single-choice question', () => {
    const q = only(
      inArea(
        '::k8s-probe::Which probe keeps a warming pod out of traffic?{',
        '  ~liveness',
        '  =readiness',
        '  ~startup',
        `  ${EXPLAINED}`,
        '}',
      ),
    );
    expect(q).toEqual({
      id: 'k8s-probe',
      area: 'microservices',
      type: 'single',
      difficulty: 2,
      prompt: 'Which probe keeps a warming pod out of traffic?',
      options: [
        { id: 'a', text: 'liveness' },
        { id: 'b', text: 'readiness' },
        { id: 'c', text: 'startup' },
      ],
      answer: 'b',
      explanation: 'The explanation says why.',
      tags: ['microservices'],
    });
  });

  it('reads weighted multiple answers as a multi question whose keys are the positive weights', () => {
    const q = only(
      inArea(
        'Which HTTP methods are idempotent by definition?{~%50%PUT ~%-50%POST ~%50%DELETE ~%0%PATCH',
        EXPLAINED,
        '}',
      ),
    );
    expect(q.type).toBe('multi');
    expect(q.options?.map((o) => o.text)).toEqual(['PUT', 'POST', 'DELETE', 'PATCH']);
    expect(q.answer).toEqual(['a', 'c']);
  });

  it.each([
    ['T', 'true'],
    ['TRUE', 'true'],
    ['F', 'false'],
    ['FALSE', 'false'],
  ])(
    'reads the true/false answer {%s} as a single question with options true and false',
    (mark, key) => {
      const q = only(inArea(`Kafka keeps message order within a partition.{${mark}${EXPLAINED}}`));
      expect(q.type).toBe('single');
      expect(q.options).toEqual([
        { id: 'true', text: 'True' },
        { id: 'false', text: 'False' },
      ]);
      expect(q.answer).toBe(key);
    },
  );

  it('reads a short answer with only "=" answers as a text question', () => {
    const q = only(
      inArea(
        'Which header makes POST retries safe?{=Idempotency-Key =Idempotency Key',
        EXPLAINED,
        '}',
      ),
    );
    expect(q.type).toBe('text');
    expect(q.answer).toEqual(['Idempotency-Key', 'Idempotency Key']);
    expect(q.options).toBeUndefined();
  });

  it('reads a numerical answer with a tolerance, a bare number, and a range as value and tolerance', () => {
    expect(
      only(inArea(`What is pi to two decimals, please?{#3.14:0.01${EXPLAINED}}`)).answer,
    ).toEqual({ value: 3.14, tolerance: 0.01 });
    expect(only(inArea(`How many bits are in a byte, exactly?{#8${EXPLAINED}}`)).answer).toEqual({
      value: 8,
      tolerance: 0,
    });
    expect(
      only(inArea(`Name any number from one to five, please.{#1..5${EXPLAINED}}`)).answer,
    ).toEqual({ value: 3, tolerance: 2 });
    expect(
      only(inArea(`Name a negative number above minus four?{#-4..-1${EXPLAINED}}`)).answer,
    ).toEqual({ value: -2.5, tolerance: 1.5 });
  });

  it('takes the 100% answer of a numerical question with several answers and keeps their feedback', () => {
    const q = only(
      inArea(
        'When was Ulysses S. Grant born, as a year?{#',
        '  =1822:0#Right.',
        '  =%50%1822:2#Close.',
        '  ~#Look it up.',
        '  ####Grant was born in 1822.',
        '}',
      ),
    );
    expect(q.type).toBe('numeric');
    expect(q.answer).toEqual({ value: 1822, tolerance: 0 });
    expect(q.explanation).toBe(
      'Grant was born in 1822.\n\n1822:0: Right.\n1822:2: Close.\nAny other answer: Look it up.',
    );
  });

  it('collects per-answer feedback and general feedback into the explanation', () => {
    const q = only(
      inArea(
        'Which probe keeps a warming pod out of traffic?{~liveness#It restarts the pod. =readiness#It only stops traffic.####Readiness gates traffic.}',
      ),
    );
    expect(q.explanation).toBe(
      'Readiness gates traffic.\n\nliveness: It restarts the pod.\nreadiness: It only stops traffic.',
    );
  });

  it('labels true/false feedback by the option it is shown for', () => {
    const q = only(
      inArea(
        'Kafka keeps message order within a partition.{T#Order is kept per partition.#Yes, per partition.}',
      ),
    );
    expect(q.explanation).toBe('True: Yes, per partition.\nFalse: Order is kept per partition.');
  });

  it('ignores // comment lines, inside and between questions', () => {
    const bank = parseGift(
      inArea(
        '// a comment',
        'Which probe keeps a warming pod out of traffic?{',
        '  // not an answer',
        '  ~liveness',
        '  =readiness',
        `  ${EXPLAINED}`,
        '}',
        '',
        '// the end',
      ),
    );
    expect(bank.questions[0]!.options).toHaveLength(2);
  });

  it('unescapes \\: \\~ \\= \\# \\{ \\} \\\\ and \\n', () => {
    const q = only(
      inArea(
        String.raw`Escapes\: a\~b c\=d \#e \{f\} g\\h i\nj ok?{=x\=1 \{y\} =\~z\\ =a\#b####Line one\nline two.}`,
      ),
    );
    expect(q.prompt).toBe('Escapes: a~b c=d #e {f} g\\h i\nj ok?');
    expect(q.answer).toEqual(['x=1 {y}', '~z\\', 'a#b']);
    expect(q.explanation).toBe('Line one\nline two.');
  });

  it('strips [html], [markdown] and [plain] format markers', () => {
    const q = only(
      inArea(
        `::fmt::[markdown]Which probe gates **traffic**?{~[plain]liveness =[html]readiness####[markdown]Readiness gates traffic.}`,
      ),
    );
    expect(q.prompt).toBe('Which probe gates **traffic**?');
    expect(q.options?.map((o) => o.text)).toEqual(['liveness', 'readiness']);
    expect(q.explanation).toBe('Readiness gates traffic.');
  });

  it('takes difficulty, tags, option ids and calibration from the // assay: comment above a question', () => {
    const q = only(
      inArea(
        '// assay: difficulty=3 tags=kafka-offsets,consumer-groups options=auto,manual timeHintSeconds=60 discrimination=1.2 difficultyParam=-0.5',
        'When are offsets committed with enable.auto.commit on?{=During poll() ~Never',
        EXPLAINED,
        '}',
      ),
    );
    expect(q).toMatchObject({
      difficulty: 3,
      tags: ['kafka-offsets', 'consumer-groups'],
      options: [
        { id: 'auto', text: 'During poll()' },
        { id: 'manual', text: 'Never' },
      ],
      answer: 'auto',
      timeHintSeconds: 60,
      discrimination: 1.2,
      difficultyParam: -0.5,
    });
  });

  it('defaults the difficulty to the option given, else 2, and the tags to the area', () => {
    const text = inArea(`Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`);
    expect(only(text).difficulty).toBe(2);
    expect(only(text, { difficulty: 1 }).difficulty).toBe(1);
    expect(only(text).tags).toEqual(['microservices']);
  });

  it('uses a title that is an id as the id, slugifies other titles, and numbers untitled questions', () => {
    const q = `Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;
    const bank = parseGift(
      inArea(
        `::http-put::${q}`,
        '',
        `::Grant's Tomb (1897)::${q}`,
        '',
        q,
        '',
        `::Grant's tomb 1897::${q}`,
      ),
    );
    expect(bank.questions.map((x) => x.id)).toEqual([
      'http-put',
      'grant-s-tomb-1897',
      'gift-3',
      'grant-s-tomb-1897-2',
    ]);
  });

  it('maps the last segment of $CATEGORY to an area, by id or by name', () => {
    const q = `Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;
    const bank = parseGift(
      gift(
        '$CATEGORY: $course$/top/Backend/api-first',
        '',
        q,
        '',
        '$CATEGORY: Real-time data',
        '',
        q,
      ),
    );
    expect(bank.questions.map((x) => x.area)).toEqual(['api-first', 'real-time-data']);
  });

  it('uses the area option when there is no $CATEGORY, and the category over the option', () => {
    const q = `Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;
    expect(only(q, { area: 'security' }).area).toBe('security');
    expect(only(gift('$CATEGORY: serverless', q), { area: 'security' }).area).toBe('serverless');
  });

  it('names the bank from the options', () => {
    const bank = parseGift(
      inArea(`Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`),
      { bankId: 'moodle-quiz', bankTitle: 'Moodle quiz' },
    );
    expect(bank.bank).toEqual({ id: 'moodle-quiz', title: 'Moodle quiz' });
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const text =
      `\uFEFF${inArea('Which HTTP method is idempotent of these two?{', '=PUT', '~POST', EXPLAINED, '}')}`.replace(
        /\n/g,
        '\r\n',
      );
    expect(only(text).answer).toBe('a');
  });
});

describe('rejecting GIFT that does not map', () => {
  const good = `Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;

  it.each([
    ['an essay question', 'Describe a canary release in your own words.{}', /essay/],
    [
      'an essay question with general feedback',
      'Describe a canary release in your own words.{####Good.}',
      /essay/,
    ],
    ['a description', 'This is a description of the next section of the quiz.', /description/],
    [
      'a missing-word question without choices',
      'A canary release shifts {=some =a little} of the traffic first.',
      /missing-word/,
    ],
    [
      'an unreadable answer block',
      'What is the best practice for retries here?{maybe}',
      /Cannot read/,
    ],
    [
      'an unclosed answer block',
      'What is the best practice for retries here?{=backoff',
      /not closed/,
    ],
    [
      'an unclosed title',
      '::retries What is the best practice for retries here?{=backoff}',
      /title/,
    ],
    [
      'a single choice with two keys',
      'Which HTTP method is idempotent of these two?{=PUT =DELETE ~POST}',
      /2 answers are marked "="/,
    ],
    [
      'partial credit beside a key',
      'Which HTTP method is idempotent of these two?{=PUT ~%50%DELETE ~POST}',
      /Partial credit/,
    ],
    [
      'a partially accepted short answer',
      'Which header makes POST retries safe?{=Idempotency-Key =%50%Key}',
      /Partial credit/,
    ],
    [
      'weights with no correct answer',
      'Which HTTP method is idempotent of these two?{~%-50%POST ~%0%PATCH}',
      /positive weight/,
    ],
    [
      'a numerical answer that is not a number',
      'How many bits are in a byte, exactly?{#eight}',
      /not a number/,
    ],
    [
      'a numerical question without a 100% answer',
      'How many bits are in a byte, exactly?{#=%50%8:1}',
      /100%/,
    ],
    ['a backwards range', 'Name any number from one to five, please.{#5..1}', /backwards/],
  ])('rejects %s with a 400 ValidationError naming its line', (_, question, message) => {
    const issues = problems(inArea(good, '', '// between', question, '', good));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 6, questionIndex: 1 });
    expect(issues[0]!.message).toMatch(message);
  });

  it('names the line of a question in a longer file, and its column', () => {
    const text = inArea(
      good,
      '',
      good,
      '',
      '::ports::Match the protocols with their ports.{',
      '  // an essay: nothing to grade',
      '}',
      '',
      good,
    );
    const issues = problems(text);
    expect(issues).toEqual([
      expect.objectContaining({ line: 7, column: 47, questionIndex: 2, questionId: 'ports' }),
    ]);
  });

  it('reports every problem of every question at once, GIFT and validation problems alike', () => {
    const text = inArea(
      'Short?{=a ~b}', // line 3: prompt and explanation too short
      '',
      'Describe it.{}', // line 5: essay
      '',
      `Which HTTP method is idempotent of these two?{=PUT ~POST####Short.}`, // line 7: explanation
    );
    const issues = problems(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [3, 'questions[0].prompt'],
      [3, 'questions[0].explanation'],
      [5, 'questions[1]'],
      [7, 'questions[2].explanation'],
    ]);
    expect(issues[3]!.column).toBe(57);
  });

  it('locates a validation problem of an option on the line of that option', () => {
    const issues = problems(
      inArea(
        'Which HTTP method is idempotent of these two?{',
        '  =PUT',
        `  ~${'x'.repeat(1001)}`,
        `  ${EXPLAINED}`,
        '}',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[0].options[1].text', line: 5, column: 3 }),
    ]);
  });

  it('reports a question without any area on its own line', () => {
    const issues = problems(gift('', `::no-area::${good}`));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[0].area', line: 2, questionId: 'no-area' }),
    ]);
    expect(issues[0]!.message).toMatch(/\$CATEGORY/);
  });

  it('reports a category that is not an area once, on the category line', () => {
    const issues = problems(gift('$CATEGORY: $course$/top/Cooking', '', good, '', good));
    expect(issues).toEqual([expect.objectContaining({ line: 1, column: 12 })]);
    expect(issues[0]!.message).toMatch(/"Cooking" is not an area/);
  });

  it('rejects duplicate question ids on the line of the second', () => {
    const issues = problems(inArea(`::same-id::${good}`, '', `::same-id::${good}`));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[1].id', line: 5, questionIndex: 1 }),
    ]);
  });

  it('rejects an assay comment that no question follows, and unknown or malformed assay keys', () => {
    expect(problems(inArea('// assay: difficulty=3', '', good))).toEqual([
      expect.objectContaining({ line: 3, column: 1 }),
    ]);
    const issues = problems(inArea('// assay: difficulty=5 colour=red tags', good));
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [3, 11],
      [3, 24],
      [3, 35],
    ]);
  });

  it('rejects option ids in the assay comment that do not fit the answers', () => {
    expect(problems(inArea('// assay: options=a,b,c', good))[0]).toMatchObject({
      line: 3,
      column: 11,
    });
    expect(
      problems(inArea('// assay: options=a,b', `How many bits are in a byte?{#8${EXPLAINED}}`))[0]!
        .message,
    ).toMatch(/no options/);
  });

  it('locates an invalid tag on the assay comment line', () => {
    const issues = problems(inArea('// assay: tags=Not_A_Tag', good));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[0].tags[0]', line: 3, column: 11 }),
    ]);
  });

  it('rejects a text without questions', () => {
    expect(problems('// only a comment\n')).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('says where the problems are in the error message', () => {
    expect(() => parseGift(inArea('Describe it.{}'))).toThrow(
      /1 problem in the GIFT text: line 3: .*essay/,
    );
  });
});

// --- writing GIFT -------------------------------------------------------------------------------

const base = {
  area: 'real-time-data',
  difficulty: 2 as const,
  explanation: 'Because the key is right and the others are not.',
  tags: ['kafka'],
};

const sample: Bank = validateBank({
  bank: { id: 'sample', title: 'Sample bank' },
  questions: [
    {
      ...base,
      id: 'q-single',
      type: 'single',
      prompt: 'Which guarantee does acks=all give?',
      options: [
        { id: 'a', text: 'No loss once acknowledged' },
        { id: 'b', text: 'Exactly once' },
      ],
      answer: 'a',
    },
    {
      ...base,
      id: 'q-order',
      type: 'order',
      prompt: 'Order the steps of a canary release.',
      options: [
        { id: 'a', text: 'Deploy' },
        { id: 'b', text: 'Shift' },
      ],
      answer: ['a', 'b'],
    },
    {
      ...base,
      id: 'q-sjt',
      area: 'collaboration',
      type: 'sjt',
      prompt: 'The on-call engineer of another team is not answering.',
      options: [
        { id: 'a', text: 'Revert' },
        { id: 'b', text: 'Wait' },
      ],
      answer: { weights: { a: 1, b: 0 } },
    },
    {
      ...base,
      id: 'q-numeric',
      area: 'cloud-native',
      difficulty: 3,
      type: 'numeric',
      prompt: 'Two 99.9% services in series: availability in %?',
      answer: { value: 99.8, tolerance: 0.01 },
    },
    {
      ...base,
      id: 'q-text',
      area: 'cloud-native',
      type: 'text',
      prompt: 'Which header makes POST retries safe?',
      answer: ['Idempotency-Key'],
    },
    {
      ...base,
      id: 'q-arrow',
      area: 'cloud-native',
      type: 'text',
      prompt: 'How do you write a lambda arrow in Java?',
      answer: ['->'],
    },
  ],
});

describe('writing GIFT', () => {
  it('writes categories, ids, the assay comment, the answers and the explanation as general feedback', () => {
    const { text } = toGift(sample);
    expect(text).toContain(
      gift(
        '$CATEGORY: real-time-data',
        '',
        '// assay: difficulty=2 tags=kafka',
        '::q-single::Which guarantee does acks\\=all give?{',
        '  =No loss once acknowledged',
        '  ~Exactly once',
        '  ####Because the key is right and the others are not.',
        '}',
        '',
        '$CATEGORY: cloud-native',
        '',
        '// assay: difficulty=3 tags=kafka',
        '::q-numeric::Two 99.9% services in series\\: availability in %?{',
        '  #99.8:0.01',
      ),
    );
  });

  it('lists order, sjt and unescapable text questions as skipped, with a reason', () => {
    const { text, skipped } = toGift(sample);
    expect(skipped).toEqual([
      { id: 'q-order', type: 'order', reason: expect.stringMatching(/ordering/) },
      { id: 'q-sjt', type: 'sjt', reason: expect.stringMatching(/weights/) },
      { id: 'q-arrow', type: 'text', reason: expect.stringMatching(/->/) },
    ]);
    expect(text).not.toMatch(/q-order|q-sjt|q-arrow|collaboration/);
  });

  it('reads its own output back to the same questions', () => {
    const back = parseGift(toGift(sample).text, { bankId: 'sample', bankTitle: 'Sample bank' });
    expect(back.questions).toEqual(
      sample.questions.filter((q) => ['q-single', 'q-numeric', 'q-text'].includes(q.id)),
    );
  });

  it('writes true/false options as {TRUE} or {FALSE}', () => {
    const tf = validateBank({
      bank: { id: 'tf-bank', title: 'True or false' },
      questions: [
        {
          ...base,
          id: 'q-tf',
          type: 'single',
          prompt: 'Kafka keeps order per partition.',
          options: [
            { id: 'true', text: 'True' },
            { id: 'false', text: 'False' },
          ],
          answer: 'false',
        },
      ],
    });
    const { text } = toGift(tf);
    expect(text).toContain(
      '// assay: difficulty=2 tags=kafka\n::q-tf::Kafka keeps order per partition.{\n  FALSE\n',
    );
    expect(parseGift(text).questions).toEqual(tf.questions);
  });
});

// --- round trip ---------------------------------------------------------------------------------

/** Pieces of text that exercise GIFT's escapes, markers, comments and weights. */
const piece = fc.constantFrom(
  ...'abcxyzABC0129 .,?!-_/()*`\'"éß€中'.split(''),
  ...'~=#{}:\\%[]>\n\t\u00a0'.split(''),
  '[html]',
  '[plain]',
  '//',
  '::',
  '####',
  '%50%',
  '->',
  '\\n',
  'T',
  'FALSE',
  '$CATEGORY:',
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
    prompt: textOf(10, 4000, 60),
    explanation: textOf(10, 4000, 60),
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/), {
      minLength: 1,
      maxLength: 10,
    }),
    timeHintSeconds: fc.integer({ min: 10, max: 3600 }),
    discrimination: fc.double({ min: 0.1, max: 4, noNaN: true }),
    difficultyParam: fc
      .double({ min: -4, max: 4, noNaN: true })
      .map((n) => (n === 0 ? 0 : n))
      .filter(isStorableNumber),
  },
  { requiredKeys: ['id', 'area', 'difficulty', 'prompt', 'explanation', 'tags'] },
);
const gen = { text: (min: number, max: number) => textOf(min, max, 12), number: storableNumber };

/** A valid question of any type, with text that exercises GIFT's escapes and markers. */
const question = anyQuestion(gen, common).filter((q) => validateQuestion(q).question !== undefined);

describe('GIFT round trip', () => {
  it('keeps every question GIFT can express unchanged through toGift and parseGift, and says why it skips the others', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(question, { minLength: 1, maxLength: 5, selector: (q) => q.id }),
        (questions) => {
          const bank = validateBank({ bank: { id: 'round-trip', title: 'Round trip' }, questions });
          const { text, skipped } = toGift(bank);
          const skippedIds = new Set(skipped.map((s) => s.id));
          for (const s of skipped) {
            expect(s.reason.length).toBeGreaterThan(20);
            expect(s.type).toBe(bank.questions.find((q) => q.id === s.id)!.type);
          }
          const written = bank.questions.filter((q) => !skippedIds.has(q.id));
          if (written.length === 0) return;
          expect(parseGift(text, { bankId: 'round-trip', bankTitle: 'Round trip' })).toEqual({
            ...bank,
            questions: written,
          });
        },
      ),
      { numRuns: 300 },
    );
    // Generated banks are heavy work on a busy machine: allow well beyond the usual second.
  }, 30_000);

  for (const t of QUESTION_TYPE_LIST.filter((x) => x.gift.read !== undefined)) {
    it(`writes and reads back most generated ${t.id} questions (the round trip is not vacuous)`, () => {
      const bank = sampledBank(t.id, 40);
      expect(toGift(bank).skipped.length).toBeLessThan(bank.questions.length / 2);
    });
  }

  for (const t of QUESTION_TYPE_LIST.filter((x) => x.gift.read === undefined)) {
    it(`skips every ${t.id} question, with a reason, since GIFT has no syntax for it`, () => {
      const bank = sampledBank(t.id, 10);
      expect(toGift(bank).skipped).toHaveLength(bank.questions.length);
    });
  }
});

/** A bank of `n` generated valid questions of one type (a fixed seed, so it is the same each run). */
function sampledBank(type: string, n: number): Bank {
  const samples = fc.sample(
    ofType(type, gen, common).filter((q) => validateQuestion(q).question !== undefined),
    { numRuns: n, seed: 7 },
  );
  return validateBank({
    bank: { id: 'sampled', title: 'Sampled' },
    questions: samples.map((q, i) => ({ ...q, id: `q-${i}` })),
  });
}
