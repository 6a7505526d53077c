/**
 * The acceptance suite of issue 13: real GIFT samples, each imported with the meaning Moodle
 * gives it or refused with a located reason, never imported with another meaning.
 *
 * - gift-pegjs's test questions (MIT, vendored in tests/fixtures/gift-pegjs/ with its licence):
 *   each question is imported alone and graded by Assay for a set of responses; the expected
 *   grades are computed from gift-pegjs's own parse (its .json) with Moodle's grading rules
 *   (see `moodleGrades`), so the comparison is with a second, independent reading of the text.
 * - Our own cases for the features of Moodle's fixtures and tests (question/format/gift/tests
 *   and question/format/xml/tests in moodle/moodle, GPL: read, not copied), in
 *   `moodle-cases.ts`, each stating its expected grades or its expected refusal.
 *
 * The suite prints its counts; a case imported with a meaning other than Moodle's fails it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors.ts';
import { importGift } from '../../functions/domain/gift.ts';
import { importMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { gradeResponse, type QuestionContent } from '../../functions/domain/question.ts';
import { rightId } from '../../functions/domain/question-types/matching.ts';
import { type Expectation, GIFT_CASES, XML_CASES } from './moodle-cases.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/gift-pegjs');

type Outcome = 'same' | 'refused' | 'different';
const tally: Record<string, Record<Outcome, number>> = {};
const refusals: string[] = [];

function count(source: string, outcome: Outcome, note?: string) {
  tally[source] ??= { same: 0, refused: 0, different: 0 };
  tally[source][outcome]++;
  if (note) refusals.push(`${source}: ${note}`);
}

afterAll(() => {
  const total = { same: 0, refused: 0, different: 0 };
  for (const t of Object.values(tally))
    for (const k of Object.keys(total) as Outcome[]) total[k] += t[k];
  console.log(
    [
      'Moodle fidelity (cases: same meaning / refused with a located reason / different meaning):',
      ...Object.entries(tally).map(
        ([s, t]) =>
          `  ${s}: ${t.same + t.refused + t.different} cases: ${t.same} same, ${t.refused} refused, ${t.different} different`,
      ),
      `  total: ${total.same + total.refused + total.different} cases: ${total.same} same, ${total.refused} refused, ${total.different} different`,
      'Refusals:',
      ...refusals.map((r) => `  ${r}`),
    ].join('\n'),
  );
});

// --- Moodle's grading of gift-pegjs's parse ------------------------------------------------------

interface PegText {
  format?: string;
  text: string;
}
interface PegChoice {
  isCorrect: boolean;
  weight: number | null;
  text:
    | PegText
    | { type: string; number?: number; range?: number; numberHigh?: number; numberLow?: number };
}
interface PegQuestion {
  type: string;
  title: string | null;
  stem: PegText;
  hasEmbeddedAnswers?: boolean;
  isTrue?: boolean;
  choices?:
    | PegChoice[]
    | { type: string; number?: number; range?: number; numberHigh?: number; numberLow?: number };
  matchPairs?: { subquestion: PegText; subanswer: string }[];
}

/** Moodle's credit of an answer: `%n%` if given, else 100% for `=` and 0 for `~`. */
const creditOf = (c: PegChoice) => (c.weight !== null ? c.weight / 100 : c.isCorrect ? 1 : 0);

/** PHP's trim(): these six characters only (Moodle trims answers and responses with it). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and VT are two of the six.
const phpTrim = (s: string) => s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');

/**
 * Moodle's short-answer match (qtype_shortanswer_question::compare_string_with_wildcard): both
 * texts NFC, the pattern split at runs of unescaped `*` (`\*` a star), each run `.*` in a PCRE
 * without the `s` flag (so not across a line break), anchored, `iu` when case is ignored (GIFT's
 * default), against the trimmed response. Written independently of Assay's matcher: a regular
 * expression, as Moodle builds one, on the suite's short texts.
 */
function shortMatch(pattern: string, response: string): boolean {
  const re = phpTrim(pattern)
    .normalize('NFC')
    .split(/(?<!\\)\*+/)
    .map((p) => p.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\n]*');
  return new RegExp(`^${re}$`, 'iu').test(phpTrim(response.normalize('NFC')));
}

/** ASCII letters and digits in their full-width forms: other characters to Moodle, not to NFKC. */
const fullWidth = (s: string) =>
  s.replace(/[A-Za-z0-9]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));

type Range = { low: number; high: number };

/**
 * Moodle's interval of a numerical answer (qtype_numerical_answer::get_tolerance_interval,
 * nominal): GIFT's `low..high` is stored as the middle and half the width; the tolerance grows by
 * 1e-14 (PHP's default precision) of the larger of tolerance and answer.
 */
function rangeOf(t: {
  type: string;
  number?: number;
  range?: number;
  numberHigh?: number;
  numberLow?: number;
}): Range {
  const [answer, tol] =
    t.type === 'high-low'
      ? [(t.numberLow! + t.numberHigh!) / 2, (t.numberHigh! - t.numberLow!) / 2]
      : [t.number!, Math.abs(t.range ?? 0)];
  const epsilon = 1e-14;
  const margin = tol + epsilon * Math.max(tol, Math.abs(answer), epsilon);
  return { low: answer - margin, high: answer + margin };
}

/** Every subset of n options (n is at most 8 in the samples). */
const subsets = (n: number) =>
  Array.from({ length: 2 ** n }, (_, m) =>
    Array.from({ length: n }, (_, i) => i).filter((i) => m & (2 ** i)),
  );

/**
 * Pairs of (Assay response, Moodle's grade) for a question as gift-pegjs parsed it, or undefined
 * when Moodle would not grade it automatically (essay, description).
 */
function moodleGrades(p: PegQuestion, q: QuestionContent): [unknown, number][] | undefined {
  const optionId = (i: number) => q.options?.[i]?.id ?? `#${i}`;
  switch (p.type) {
    case 'TF':
      return [
        ['true', p.isTrue ? 1 : 0],
        ['false', p.isTrue ? 0 : 1],
      ];
    case 'MC': {
      const choices = p.choices as PegChoice[];
      if (choices.some((c) => c.isCorrect)) {
        return choices.map((c, i) => [optionId(i), creditOf(c)]);
      }
      return subsets(choices.length).map((s) => [
        s.map(optionId),
        Math.min(
          1,
          Math.max(
            0,
            s.reduce((sum, i) => sum + creditOf(choices[i]!), 0),
          ),
        ),
      ]);
    }
    case 'Short': {
      const choices = p.choices as PegChoice[];
      const texts = choices.map((c) => (c.text as PegText).text).filter((t) => t !== '*');
      const responses = [
        ...texts,
        ...texts.map((t) => t.toUpperCase()),
        // What Assay's own normalisation would fold and Moodle does not.
        ...texts.filter((t) => / /.test(t)).map((t) => t.replace(/ /g, '  ')),
        ...texts.filter((t) => /[A-Za-z0-9]/.test(t)).map(fullWidth),
        'a response nobody expects',
      ];
      return responses.map((r) => {
        const hit = choices.find((c) => shortMatch((c.text as PegText).text, r));
        return [r, hit ? creditOf(hit) : 0];
      });
    }
    case 'Numerical': {
      const choices: PegChoice[] = Array.isArray(p.choices)
        ? p.choices
        : [{ isCorrect: true, weight: null, text: p.choices! }];
      const ranges = choices.map((c) => rangeOf(c.text as never));
      const probes = [
        ...ranges.flatMap((r) => [
          r.low,
          r.high,
          (r.low + r.high) / 2,
          r.low - 1e-3 * (1 + Math.abs(r.low)),
          r.high + 1e-3 * (1 + Math.abs(r.high)),
          // Just outside Moodle's interval, inside Assay's own relative 1e-9.
          r.low - 1e-11 * Math.max(1, Math.abs(r.low)),
          r.high + 1e-11 * Math.max(1, Math.abs(r.high)),
        ]),
        123456789,
      ];
      return probes.map((n) => {
        const i = ranges.findIndex((r) => n >= r.low && n <= r.high);
        return [n, i < 0 ? 0 : creditOf(choices[i]!)];
      });
    }
    case 'Matching': {
      const pairs = (p.matchPairs ?? []).filter((m) => m.subquestion.text.trim() !== '');
      const ids = pairs.map((m) => rightId(m.subanswer.trim()));
      const rotated = ids.map((_, i) => ids[(i + 1) % ids.length]!);
      const right = (picks: string[]) =>
        picks.filter((id, i) => ids[i] === id).length / pairs.length;
      return [
        [ids, 1],
        [rotated, right(rotated)],
        [ids.map(() => null), 0],
      ];
    }
    default:
      return undefined;
  }
}

/** Lower-case words of a text without markup, for comparing prompts. */
const words = (t: string): string[] =>
  t
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\\n/g, ' ')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** Split a GIFT file as Moodle does: questions are separated by blank lines. */
function chunks(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n[ \t]*\r?\n/)
    .map((c) => c.trim())
    .filter((c) => c.split(/\r?\n/).some((l) => l.trim() !== '' && !l.trim().startsWith('//')));
}

const pegFiles = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.gift'))
  .sort();

describe("gift-pegjs's test questions", () => {
  for (const file of pegFiles) {
    it(`imports ${file} with Moodle's meaning or refuses each question with a located reason`, () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const expected = JSON.parse(
        readFileSync(join(FIXTURES, file.replace(/\.gift$/, '.json')), 'utf8'),
      ) as PegQuestion[];
      const parts = chunks(text).filter(
        (c) => !/^\s*\$CATEGORY:/.test(c.replace(/^(\s*\/\/.*\n)*/, '')),
      );
      const questions = expected.filter((p) => p.type !== 'Category');
      expect(parts.length, `${file}: questions found by blank lines vs gift-pegjs's parse`).toBe(
        questions.length,
      );
      const differences: string[] = [];
      questions.forEach((p, i) => {
        const where = `${file} #${i + 1} (${p.type}${p.title ? ` "${p.title}"` : ''})`;
        let q: QuestionContent | undefined;
        try {
          q = importGift(parts[i]!, { area: 'security', bankId: 'fixture' }).bank.questions[0];
        } catch (err) {
          expect(err, where).toBeInstanceOf(ValidationError);
          const issues = (err as ValidationError).issues;
          expect(
            issues.every((x) => x.line !== undefined || x.path === ''),
            `${where}: every problem located`,
          ).toBe(true);
          count(
            'gift-pegjs',
            'refused',
            `${where}: ${issues.map((x) => `line ${x.line}: ${x.message}`).join(' | ')}`,
          );
          return;
        }
        const grades = moodleGrades(p, q!);
        if (!grades) {
          differences.push(`${where}: imported as ${q!.type} although Moodle does not grade it`);
          count('gift-pegjs', 'different', differences.at(-1));
          return;
        }
        const wrong = grades.filter(([r, g]) => Math.abs(gradeResponse(q!, r) - g) > 1e-6);
        const stemWords = words(p.stem.text).filter((w) => !/^_+$/.test(w));
        const promptWords = words(q!.prompt.replace(/\{blank\}/g, ' '));
        const missing = stemWords.filter((w) => !promptWords.includes(w));
        const blank = !p.hasEmbeddedAnswers || /\{blank\}|_{3,}/.test(q!.prompt);
        // The texts a candidate chooses from: every word of each choice in its option.
        const choiceTexts =
          p.type === 'MC' ? (p.choices as PegChoice[]).map((c) => (c.text as PegText).text) : [];
        const optionWords = (q!.options ?? []).map((o) => words(o.text));
        const garbled = choiceTexts.filter(
          (t, i) => !words(t).every((w) => optionWords[i]?.includes(w)),
        );
        if (garbled.length) missing.push(...garbled.map((t) => `option "${t}"`));
        if (p.type === 'Matching') {
          const pairs = (q!.answer as { pairs: { left: string; right: string }[] }).pairs;
          (p.matchPairs ?? [])
            .filter((m) => m.subquestion.text.trim() !== '')
            .forEach((m, i) => {
              const left = words(pairs[i]?.left ?? '');
              if (!words(m.subquestion.text).every((w) => left.includes(w))) {
                missing.push(`pair ${i + 1} "${m.subquestion.text}"`);
              }
              if (pairs[i]?.right !== m.subanswer.trim()) missing.push(`answer "${m.subanswer}"`);
            });
        }
        if (wrong.length || missing.length || !blank) {
          differences.push(
            `${where}: ${wrong.map(([r, g]) => `${JSON.stringify(r)} Moodle ${g}, Assay ${gradeResponse(q!, r)}`).join('; ')} ${missing.length ? `prompt lacks ${missing.join(' ')}` : ''}${blank ? '' : ' no blank in the prompt'}`,
          );
          count('gift-pegjs', 'different', differences.at(-1));
          return;
        }
        count('gift-pegjs', 'same');
      });
      expect(differences, `${file}: questions imported with a meaning other than Moodle's`).toEqual(
        [],
      );
    });
  }
});

// --- our own cases for Moodle's fixtures' features ---------------------------------------------

function check(source: string, name: string, read: () => QuestionContent[], expected: Expectation) {
  let questions: QuestionContent[];
  try {
    questions = read();
  } catch (err) {
    expect(err, name).toBeInstanceOf(ValidationError);
    const message = (err as ValidationError).issues
      .map((x) => `line ${x.line}: ${x.message}`)
      .join(' | ');
    if ('refused' in expected) {
      expect(message, name).toMatch(expected.refused);
      expect((err as ValidationError).issues[0]!.line, `${name}: located`).toBeDefined();
      count(source, 'refused', `${name}: ${message}`);
      return;
    }
    count(source, 'refused', `${name} (expected to import): ${message}`);
    throw new Error(`${name} was refused, expected to import: ${message}`);
  }
  if ('refused' in expected) {
    count(source, 'different', `${name}: imported, expected a refusal`);
    throw new Error(`${name} imported; expected a refusal matching ${expected.refused}`);
  }
  const q = questions[expected.index ?? 0]!;
  const wrong = expected.grades.filter(([r, g]) => Math.abs(gradeResponse(q, r) - g) > 1e-6);
  const shape = expected.shape
    ? Object.entries(expected.shape).filter(
        ([k, v]) =>
          JSON.stringify((q as unknown as Record<string, unknown>)[k]) !== JSON.stringify(v),
      )
    : [];
  if (wrong.length || shape.length) {
    count(source, 'different', name);
    expect(
      {
        grades: wrong.map(([r]) => [r, gradeResponse(q, r)]),
        shape: shape.map(([k]) => [k, (q as unknown as Record<string, unknown>)[k]]),
      },
      name,
    ).toEqual({ grades: [], shape: [] });
  }
  count(source, 'same');
}

describe("GIFT cases for the features of Moodle's GIFT fixtures and tests", () => {
  for (const c of GIFT_CASES) {
    it(c.name, () => {
      check(
        'moodle-gift (own cases)',
        c.name,
        () => importGift(c.text, { area: 'security', bankId: 'cases' }).bank.questions,
        c.expect,
      );
    });
  }
});

describe("Moodle XML cases for the features of Moodle's XML fixtures and tests", () => {
  for (const c of XML_CASES) {
    it(c.name, () => {
      check(
        'moodle-xml (own cases)',
        c.name,
        () => importMoodleXml(c.text, { area: 'security', bankId: 'cases' }).bank.questions,
        c.expect,
      );
    });
  }
});

describe("gift-pegjs's test files, whole, as an author would upload them", () => {
  it('imports every file with ?skipUnsupported, or refuses it for a reason an author can act on', () => {
    const outcomes: Record<string, string[]> = { imported: [], refused: [] };
    for (const file of pegFiles) {
      try {
        importGift(readFileSync(join(FIXTURES, file), 'utf8'), {
          area: 'security',
          bankId: 'fixture',
          skipUnsupported: true,
        });
        outcomes.imported!.push(file);
      } catch (err) {
        expect(err, file).toBeInstanceOf(ValidationError);
        const message = (err as ValidationError).issues.map((x) => x.message).join(' | ');
        // Only: nothing left to import, no question at all, or two questions with one id.
        expect(message, file).toMatch(
          /nothing to import|contains no questions|Two questions get the id/,
        );
        outcomes.refused!.push(`${file}: ${message}`);
      }
    }
    console.log(
      `gift-pegjs files whole with skipUnsupported: ${outcomes.imported!.length} imported, ${outcomes.refused!.length} refused:\n  ${outcomes.refused!.join('\n  ')}`,
    );
    expect(outcomes.imported!.length).toBeGreaterThanOrEqual(38);
  });
});
