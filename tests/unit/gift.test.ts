import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bank, validateBank } from '../../functions/domain/bank.ts';
import { type FieldIssue, MAX_ISSUE_TEXT, ValidationError } from '../../functions/domain/errors.ts';
import { importGift, parseGift, toGift } from '../../functions/domain/gift.ts';
import { notAnAreaMessage } from '../../functions/domain/gift-syntax.ts';
import { toMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { isStorableNumber } from '../../functions/domain/numbers.ts';
import {
  gradeResponse,
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

  it('reads weighted multiple answers with the weights Moodle grades by', () => {
    const q = only(
      inArea(
        'Which HTTP methods are idempotent by definition?{~%50%PUT ~%-50%POST ~%50%DELETE ~%0%PATCH',
        EXPLAINED,
        '}',
      ),
    );
    expect(q.type).toBe('multi');
    expect(q.options?.map((o) => o.text)).toEqual(['PUT', 'POST', 'DELETE', 'PATCH']);
    expect(q.answer).toEqual({ weights: { a: 0.5, b: -0.5, c: 0.5, d: 0 } });
    // Moodle: the picked weights added up, floored at 0 and capped at 100%.
    expect(gradeResponse(q, ['a', 'c'])).toBe(1);
    expect(gradeResponse(q, ['a', 'c', 'd'])).toBe(1);
    expect(gradeResponse(q, ['a', 'b'])).toBe(0);
    expect(gradeResponse(q, ['b'])).toBe(0);
    expect(gradeResponse(q, ['a', 'd'])).toBe(0.5);
  });

  it('reads symmetric weights (+100/keys, -100/keys) as the plain key they grade like', () => {
    const q = only(
      inArea('Which two HTTP methods are idempotent?{~%50%PUT ~%-50%POST ~%50%DELETE ~%-50%PATCH}'),
    );
    expect(q.answer).toEqual(['a', 'c']);
  });

  it.each([
    ['T', 'true'],
    ['TRUE', 'true'],
    ['F', 'false'],
    ['FALSE', 'false'],
    ['true', 'true'],
    ['False', 'false'],
    ['t', 'true'],
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

  /** Moodle's short answers each worth 100%, compared as Moodle compares them. */
  const moodleTexts = (...texts: string[]) => ({
    answers: texts.map((text) => ({ text, credit: 1 })),
    compare: 'moodle',
  });

  it('reads a short answer with only "=" answers as a text question', () => {
    const q = only(
      inArea(
        'Which header makes POST retries safe?{=Idempotency-Key =Idempotency Key',
        EXPLAINED,
        '}',
      ),
    );
    expect(q.type).toBe('text');
    expect(q.answer).toEqual(moodleTexts('Idempotency-Key', 'Idempotency Key'));
    expect(q.options).toBeUndefined();
  });

  it('reads a block with one bare answer as the short answer Moodle makes of it', () => {
    expect(only(inArea('How do you write the word for the number 1?{One}')).answer).toEqual(
      moodleTexts('One'),
    );
  });

  it('reads short answers with partial credit and the "*" catch-all, graded by the first that matches', () => {
    const q = only(
      inArea(
        '::animal::Which is the best animal?{',
        '  =Frog#Good!',
        '  =%50%Cat#What is it with Moodlers and cats?',
        '  =%0%*#Completely wrong',
        '}',
      ),
    );
    expect(q.answer).toEqual({
      answers: [
        { text: 'Frog', credit: 1 },
        { text: 'Cat', credit: 0.5 },
        { text: '*', credit: 0 },
      ],
      compare: 'moodle',
    });
    expect(gradeResponse(q, ' frog ')).toBe(1);
    expect(gradeResponse(q, 'CAT')).toBe(0.5);
    expect(gradeResponse(q, 'Dog')).toBe(0);
    expect(q.explanation).toBe(
      'Frog: Good!\nCat: What is it with Moodlers and cats?\n*: Completely wrong',
    );
  });

  it('reads a numerical answer with a tolerance, a bare number, and a range as value and tolerance', () => {
    expect(
      only(inArea(`What is pi to two decimals, please?{#3.14:0.01${EXPLAINED}}`)).answer,
    ).toEqual({ value: 3.14, tolerance: 0.01, compare: 'moodle' });
    expect(only(inArea(`How many bits are in a byte, exactly?{#8${EXPLAINED}}`)).answer).toEqual({
      value: 8,
      tolerance: 0,
      compare: 'moodle',
    });
    expect(
      only(inArea(`Name any number from one to five, please.{#1..5${EXPLAINED}}`)).answer,
    ).toEqual({ value: 3, tolerance: 2, compare: 'moodle' });
    expect(
      only(inArea(`Name a negative number above minus four?{#-4..-1${EXPLAINED}}`)).answer,
    ).toEqual({ value: -2.5, tolerance: 1.5, compare: 'moodle' });
  });

  it('reads several numerical answers, each with its credit, graded by the first whose range holds the number', () => {
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
    expect(q.answer).toEqual({
      answers: [
        { value: 1822, tolerance: 0, credit: 1 },
        { value: 1822, tolerance: 2, credit: 0.5 },
      ],
      compare: 'moodle',
    });
    expect(gradeResponse(q, 1822)).toBe(1);
    expect(gradeResponse(q, 1823)).toBe(0.5);
    expect(gradeResponse(q, 1830)).toBe(0);
    expect(q.explanation).toBe(
      'Grant was born in 1822.\n\n1822:0: Right.\n1822:2: Close.\nAny other answer: Look it up.',
    );
  });

  it('reads several "=" answers and partial credit in a choice as Moodle grades a single choice', () => {
    const two = only(inArea('Which HTTP method is idempotent of these three?{=PUT =DELETE ~POST}'));
    expect(two.answer).toEqual({ weights: { a: 1, b: 1, c: 0 } });
    const partial = only(
      inArea('Which HTTP method is idempotent of these three?{=PUT ~%50%DELETE ~POST}'),
    );
    expect(partial.answer).toEqual({ weights: { a: 1, b: 0.5, c: 0 } });
    expect(gradeResponse(partial, 'b')).toBe(0.5);
    expect(gradeResponse(partial, 'c')).toBe(0);
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
    // The prompt and explanation are markdown that shows Moodle's text: the backslash escaped,
    // the line break a hard break. Short answers are compared, not shown: kept as unescaped.
    expect(q.prompt).toBe('Escapes: a~b c=d #e {f} g\\\\h i\\\nj ok?');
    expect(q.answer).toEqual(moodleTexts('x=1 {y}', '~z\\', 'a#b'));
    expect(q.explanation).toBe('Line one\\\nline two.');
  });

  it('keeps [markdown] and [plain] texts as written and turns [html] into markdown', () => {
    const q = only(
      inArea(
        `::fmt::[markdown]Which probe gates **traffic**?{~[plain]liveness =[html]<b>readiness</b>####[markdown]Readiness gates traffic.}`,
      ),
    );
    expect(q.prompt).toBe('Which probe gates **traffic**?');
    expect(q.options?.map((o) => o.text)).toEqual(['liveness', '**readiness**']);
    expect(q.explanation).toBe('Readiness gates traffic.');
  });

  it("turns HTML into markdown with no tags left, answers and feedback taking the question's format", () => {
    const q = only(
      inArea(
        '::sun::[html]<p>The sun rises in which <b>direction</b>? &lt;b&gt; stays text.</p> {',
        '    =<p>The <i>east</i>.</p>#<b>Awesome!</b>',
        '    ~<p>The west.</p>#What planet did <em>you</em> grow up on?<script>alert(1)</script>',
        '    ####<p>It <a href="javascript:alert(1)">rotates</a> <a href="https://example.org/earth">eastward</a>.</p>',
        '}',
      ),
    );
    expect(q.prompt).toBe('The sun rises in which **direction**? &lt;b> stays text.');
    expect(q.options).toEqual([
      { id: 'a', text: 'The _east_.' },
      { id: 'b', text: 'The west.' },
    ]);
    expect(q.explanation).toBe(
      'It rotates [eastward](https://example.org/earth).\n\nThe _east_.: **Awesome!**\nThe west.: What planet did _you_ grow up on?',
    );
    expect(`${q.prompt}${q.explanation}${q.options!.map((o) => o.text)}`).not.toMatch(/</);
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

  it('takes the id from [id:...], else from the title (slugged, Unicode-aware), else from the content, never from the position', () => {
    const q = (n: number) =>
      `Which HTTP method is idempotent of these ${n}?{=PUT ~POST${EXPLAINED}}`;
    const bank = parseGift(
      inArea(
        '// [id:myid] [tag:http] [tag:Idempotency Keys]',
        `::A title the id overrides::${q(1)}`,
        '',
        `::http-put::${q(2)}`,
        '',
        `::Grant's Tomb (1897)::${q(3)}`,
        '',
        `::Где находится Кремль?::${q(4)}`,
        '',
        `::Q1::${q(5)}`,
        '',
        `::中文问题::${q(6)}`,
        '',
        q(7),
      ),
    );
    const ids = bank.questions.map((x) => x.id);
    expect(ids.slice(0, 6)).toEqual([
      'myid',
      'http-put',
      'grant-s-tomb-1897',
      'gde-nakhoditsya-kreml',
      'q-q1',
      expect.stringMatching(/^t-[0-9a-f]{10}$/),
    ]);
    expect(ids[6]).toMatch(/^which-http-method-is-idempotent-of-[0-9a-f]{8}$/);
    expect(bank.questions[0]).toMatchObject({
      title: 'A title the id overrides',
      tags: ['http', 'idempotency-keys'],
    });
    expect(bank.questions[1]!.title).toBeUndefined(); // the title is the id
    expect(bank.questions[3]!.title).toBe('Где находится Кремль?');

    // The same questions in another order, or another file with more questions, keep their ids.
    const again = parseGift(inArea(q(7), '', `::http-put::${q(2)}`));
    expect(again.questions.map((x) => x.id)).toEqual([ids[6], 'http-put']);
  });

  it('maps the last segment of $CATEGORY to an area, by id or by name', () => {
    const q = (n: number) =>
      `::q-${n}::Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;
    const bank = parseGift(
      gift(
        '$CATEGORY: $course$/top/Backend/api-first',
        '',
        q(1),
        '',
        '$CATEGORY: Real-time data',
        '',
        q(2),
      ),
    );
    expect(bank.questions.map((x) => x.area)).toEqual(['api-first', 'real-time-data']);
  });

  it("puts the questions of Moodle's default categories in the area given with the upload, and says so", () => {
    const r = importGift(
      gift(
        '$CATEGORY: $course$/top/Default for LING-373-2194-B',
        '',
        `Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`,
      ),
      { area: 'security' },
    );
    expect(r.bank.questions[0]!.area).toBe('security');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/"Default for LING-373-2194-B" is not an area.*"security"/),
      }),
    );
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

  it('imports a question without general feedback and warns about it on its line, by title', () => {
    const r = importGift(
      inArea('', '::Retries::What makes a retried POST safe to repeat?{=Idempotency-Key}'),
    );
    expect(r.bank.questions[0]!.explanation).toBe('');
    expect(r.warnings).toEqual([
      {
        message: 'no general feedback (`####`)',
        line: 4,
        column: 1,
        questionIndex: 0,
        questionId: 'retries',
        title: 'Retries',
      },
    ]);
  });

  it('keeps text after the answer block in the prompt: five underscores where the block was', () => {
    expect(
      only(inArea('What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.')).prompt,
    ).toBe('What is the value of pi (to 3 decimal places)? _____.');
    expect(only(inArea('{ =Asia } is the largest continent in the world.')).prompt).toBe(
      '_____ is the largest continent in the world.',
    );
    expect(
      only(inArea('A canary release shifts {=some =a little} of the traffic first.')).answer,
    ).toEqual(moodleTexts('some', 'a little'));
  });
});

describe('rejecting GIFT that does not map', () => {
  const good = (n: number) =>
    `::good-${n}::Which HTTP method is idempotent of these two?{=PUT ~POST${EXPLAINED}}`;

  it.each([
    ['an essay question', 'Describe a canary release in your own words.{}', /essay/],
    [
      'an essay question with general feedback',
      'Describe a canary release in your own words.{####Good.}',
      /essay/,
    ],
    ['a description', 'This is a description of the next section of the quiz.', /description/],
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
      'a penalty in a single choice',
      'Which HTTP method is idempotent of these two?{=PUT ~%-50%DELETE ~POST}',
      /costs 50% in Moodle \(~%-50%\), a negative mark/,
    ],
    [
      'a single choice without a 100% answer',
      'Which HTTP method is idempotent of these two?{~%50%PUT ~%50%DELETE =%50%POST ~%-100%PATCH ~GET}',
      /positive weights|100%/,
    ],
    [
      'weights with no correct answer',
      'Which HTTP method is idempotent of these two?{~%-50%POST ~%0%PATCH}',
      /positive weight/,
    ],
    [
      'weights that add up to less than 100%',
      'Which HTTP methods are idempotent of these?{~%50%PUT ~%30%DELETE ~POST}',
      /add up to 80%.*Moodle's editor refuses this too/,
    ],
    [
      // Moodle's editor rounds the total to 2 decimals of a fraction, so it accepts these thirds.
      'thirds written with three decimals, which Moodle accepts as 100%',
      'Which HTTP methods are idempotent of these?{~%33.333%PUT ~%33.333%DELETE ~%33.333%GET ~%-100%POST}',
      /add up to 99\.999%.*Moodle accepts them \(it rounds the total to 100%\).*~%33\.33333%/,
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
    [
      'a short answer without a 100% answer',
      'Which header makes POST retries safe?{=%50%Key =%25%Idempotency}',
      /No answer is worth 100%/,
    ],
    [
      'an image in the question text',
      '[html]<p>What does this show? <img src="@@PLUGINFILE@@/diagram.png"></p>{=A queue ~A stack}',
      /image "diagram.png"/,
    ],
  ])('rejects %s with a 400 ValidationError naming its line', (_, question, message) => {
    const issues = problems(inArea(good(1), '', '// between', question, '', good(2)));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 6, questionIndex: 1 });
    expect(issues[0]!.message).toMatch(message);
  });

  it('says to escape an unescaped "{", and to put a blank line between two questions', () => {
    const brace = problems(inArea('What does {x} mean in a template?{=a variable ~a set}'));
    expect(brace).toEqual([expect.objectContaining({ line: 3, column: 11 })]);
    expect(brace[0]!.message).toMatch(/\\\{/);
    const joined = problems(
      inArea(
        '::one::Which HTTP method is idempotent?{=PUT ~POST}',
        '::two::Which is safe?{=GET ~POST}',
      ),
    );
    expect(joined).toEqual([expect.objectContaining({ line: 4, column: 1 })]);
    expect(joined[0]!.message).toMatch(/blank line/);
  });

  it('skips unsupported questions on request, listing each with its line, title and reason', () => {
    const r = importGift(
      inArea(
        good(1),
        '',
        '::Essay 1::Describe a canary release in your own words.{}',
        '',
        'Just a description of what follows.',
        '',
        good(2),
      ),
      { skipUnsupported: true },
    );
    expect(r.bank.questions.map((q) => q.id)).toEqual(['good-1', 'good-2']);
    expect(r.skipped).toEqual([
      {
        line: 5,
        questionIndex: 1,
        title: 'Essay 1',
        reason: expect.stringMatching(/essay questions need manual grading/),
      },
      { line: 7, questionIndex: 2, reason: expect.stringMatching(/description/) },
    ]);
  });

  it('names the line of a question in a longer file, and its column', () => {
    const text = inArea(
      good(1),
      '',
      good(2),
      '',
      '::ports::Match the protocols with their ports.{',
      '  // an essay: nothing to grade',
      '}',
      '',
      good(3),
    );
    const issues = problems(text);
    expect(issues).toEqual([
      expect.objectContaining({
        line: 7,
        column: 47,
        questionIndex: 2,
        questionId: 'ports',
        title: 'ports',
      }),
    ]);
  });

  it('reports every problem of every question at once, GIFT and validation problems alike', () => {
    const text = inArea(
      'Short?{=a ~b}', // line 3: prompt too short
      '',
      'Describe it.{}', // line 5: essay
      '',
      `Which HTTP method is idempotent of these two?{=PUT ~POST####${'x'.repeat(4001)}}`, // line 7: explanation
    );
    const issues = problems(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [3, 'questions[0].prompt'],
      [5, 'questions[1]'],
      [7, 'questions[2].explanation'],
    ]);
    expect(issues[2]!.column).toBe(57);
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
    const issues = problems(
      gift('', `::no-area::Which HTTP method is idempotent of these two?{=PUT ~POST}`),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[0].area', line: 2, questionId: 'no-area' }),
    ]);
    expect(issues[0]!.message).toMatch(/\$CATEGORY.*\?area=/);
  });

  it('reports a category that is not an area once, on the category line, saying how to fix it', () => {
    const issues = problems(gift('$CATEGORY: $course$/top/Cooking', '', good(1), '', good(2)));
    expect(issues).toEqual([expect.objectContaining({ line: 1, column: 12 })]);
    expect(issues[0]!.message).toMatch(/"Cooking" is not an area.*\?area=<area>/);
    // A long category name still leaves the whole message within what an issue keeps.
    const long = problems(gift(`$CATEGORY: $course$/top/${'Course '.repeat(20)}`, '', good(1)));
    expect(long[0]!.message.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
    expect(long[0]!.message).toMatch(/\?area=<area>.*Areas: .*collaboration\.$/);
  });

  it('reports two questions with the same title on the line of the second, naming the first', () => {
    const issues = problems(
      inArea(
        '::Same::Which HTTP method is idempotent?{=PUT ~POST}',
        '',
        '::Same::Which is safe here?{=GET ~POST}',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: 'questions[1].id', line: 5, questionIndex: 1 }),
    ]);
    expect(issues[0]!.message).toMatch(/"same".*line 3/);
  });

  it('derives the id from an [id:...] that is no Assay id, with a warning, and lower-cases one that only needs it', () => {
    const derived = importGift(inArea('// [id:Q 1!]', good(1)));
    expect(derived.bank.questions[0]!.id).toBe('q-1');
    expect(derived.origins[0]).toMatchObject({ id: 'q-1', idFrom: 'id-text' });
    expect(derived.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/"Q 1!".*no Assay id.*"q-1"/) }),
    );
    const r = importGift(inArea('// [id:MATH-101]', good(1)));
    expect(r.bank.questions[0]!.id).toBe('math-101');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/stored as "math-101"/) }),
    );
  });

  it('rejects an assay comment that no question follows, and unknown or malformed assay keys', () => {
    expect(problems(inArea('// assay: difficulty=3', '', good(1)))).toEqual([
      expect.objectContaining({ line: 3, column: 1 }),
    ]);
    const issues = problems(inArea('// assay: difficulty=5 colour=red tags', good(1)));
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [3, 11],
      [3, 24],
      [3, 35],
    ]);
  });

  it('rejects option ids in the assay comment that do not fit the answers', () => {
    expect(problems(inArea('// assay: options=a,b,c', good(1)))[0]).toMatchObject({
      line: 3,
      column: 11,
    });
    expect(
      problems(inArea('// assay: options=a,b', `How many bits are in a byte?{#8${EXPLAINED}}`))[0]!
        .message,
    ).toMatch(/no options/);
  });

  it('locates an invalid tag on the assay comment line', () => {
    const issues = problems(inArea('// assay: tags=Not_A_Tag', good(1)));
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
      title: 'Acks: all',
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
  it("writes categories, Moodle's id and tag comment, the assay comment, the title, the answers and the explanation as general feedback", () => {
    const { text } = toGift(sample);
    expect(text).toContain(
      gift(
        '$CATEGORY: real-time-data',
        '',
        '// [id:q-single] [tag:kafka]',
        '// assay: difficulty=2',
        '::Acks\\: all::[markdown]Which guarantee does acks\\=all give?{',
        '  =No loss once acknowledged',
        '  ~Exactly once',
        '  ####Because the key is right and the others are not.',
        '}',
        '',
        '$CATEGORY: cloud-native',
        '',
        '// [id:q-numeric] [tag:kafka]',
        '// assay: difficulty=3 compare=assay',
        '::q-numeric::[markdown]Two 99.9% services in series\\: availability in %?{',
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
      '// [id:q-tf] [tag:kafka]\n// assay: difficulty=2\n::q-tf::[markdown]Kafka keeps order per partition.{\n  FALSE\n',
    );
    expect(parseGift(text).questions).toEqual(tf.questions);
  });

  /** A multiple-answer question of two keys: weights of +50% and -50%, both Moodle grades. */
  const idempotentMethods = (id: string) => ({
    ...base,
    id,
    type: 'multi',
    prompt: 'Which two HTTP methods are idempotent?',
    options: [
      { id: 'a', text: 'PUT' },
      { id: 'b', text: 'POST' },
      { id: 'c', text: 'DELETE' },
    ],
    answer: ['a', 'c'],
  });

  it("writes Moodle's weights so that Moodle grades as Assay does", () => {
    const weighted = validateBank({
      bank: { id: 'w-bank', title: 'Weights' },
      questions: [
        idempotentMethods('q-multi'),
        {
          ...base,
          id: 'q-two-keys',
          type: 'single',
          prompt: 'Which HTTP method is idempotent?',
          options: [
            { id: 'a', text: 'PUT' },
            { id: 'b', text: 'DELETE' },
          ],
          answer: { weights: { a: 1, b: 1 } },
        },
      ],
    });
    const { text } = toGift(weighted);
    expect(text).toContain('  ~%50%PUT\n  ~%-50%POST\n  ~%50%DELETE\n');
    // Two full-credit answers: one "=", the other "~%100%", so that Moodle reads a choice.
    expect(text).toContain('  =PUT\n  ~%100%DELETE\n');
    expect(parseGift(text).questions).toEqual(weighted.questions);
  });

  it('warns, on export, of a weight Moodle refuses, as its import of the file would', () => {
    const offList = validateBank({
      bank: { id: 'w-bank', title: 'Weights' },
      questions: [
        {
          ...base,
          id: 'q-off-list',
          type: 'multi',
          prompt: 'Which of these protect a session cookie?',
          options: [
            { id: 'a', text: 'HttpOnly' },
            { id: 'b', text: 'Secure' },
            { id: 'c', text: 'Max-Age' },
          ],
          answer: { weights: { a: 0.45, b: 0.55, c: -1 } },
        },
        idempotentMethods('q-listed'),
      ],
    });
    for (const out of [toGift(offList), toMoodleXml(offList)]) {
      expect(out.warnings.map((w) => w.id)).toEqual(['q-off-list', 'q-off-list']);
      expect(out.warnings[0]!.message).toContain("45% is not one of Moodle's grades");
      expect(out.warnings[1]!.message).toContain("55% is not one of Moodle's grades");
    }
    // What the exported files say when read back: the same two grades, off Moodle's list.
    const back = importGift(toGift(offList).text).warnings.map((w) => w.message);
    expect(back.filter((m) => m.includes("is not one of Moodle's grades"))).toHaveLength(2);
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

describe('the message for a category that is not an area', () => {
  it('lists the areas while the whole message fits in an issue, and says where to read them past that', () => {
    const what = `Category "${'x'.repeat(31)}…" is not an area`;
    const today = notAnAreaMessage(what, AREA_IDS);
    expect(today.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
    expect(today).toMatch(/\?area=<area>.*Areas: microservices, .*collaboration\.$/);

    // More areas than fit (a 14th and more with long ids): the fix stays whole, the list goes.
    const more = [...AREA_IDS, 'platform-engineering', 'observability-and-sre', 'data-engineering'];
    const grown = notAnAreaMessage(what, more);
    expect(grown.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
    expect(grown).toMatch(
      /\?area=<area>.*\$course\$\/top\/security\. The areas: GET \/v1\/areas\.$/,
    );
  });
});
