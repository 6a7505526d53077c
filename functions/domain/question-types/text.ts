import type fc from 'fast-check';
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import {
  type Chars,
  type GiftQuestion,
  plain,
  splitAt,
  splitFeedback,
  splitWeight,
  str,
  trim,
} from '../gift-syntax.ts';
import { giftAnswer, giftQuestion } from '../gift-text.ts';
import {
  creditPercent,
  fractionOf,
  fullMark,
  type Pos,
  percentOf,
  type Reader,
  sameFraction,
} from '../moodle.ts';
import { xmlPlainAnswer } from '../moodle-xml-text.ts';
import { storable } from '../numbers.ts';
import { cleanText, withoutUnclean } from '../text.ts';
import { once } from '../z.ts';
import type { Authored, Content, GeneratorsFor, QuestionType } from './type.ts';

/** NFKC, trimmed, lower-cased, inner white space collapsed: how short answers are compared. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** One answer of Moodle's short answer: a pattern (`*` any text, `\*` a star) and its credit. */
export interface TextAnswer {
  text: string;
  credit: number;
}

/**
 * The key of a short answer: the accepted answers, each worth everything and compared
 * literally; or Moodle's answers in order, each a pattern in which `*` stands for any text
 * (`\*` for a star) with its credit: the first that matches gives the score. Both compare after
 * the same normalisation (`normaliseText`; `caseSensitive` keeps case), unless `compare` is
 * `moodle`: then as Moodle's short answer compares (`matchesAsMoodle`). The Moodle readers set
 * it; a key without it (every key stored before it existed) compares as it always did.
 */
export type TextKey =
  | string[]
  | { answers: TextAnswer[]; caseSensitive?: boolean; compare?: 'moodle' };

/** A pattern split at its runs of unescaped `*`, with `\*` unescaped in the pieces. */
export function patternPieces(pattern: string): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && pattern[i + 1] === '*') {
      cur += '*';
      i++;
    } else if (c === '*') {
      pieces.push(cur);
      cur = '';
      while (pattern[i + 1] === '*') i++;
    } else cur += c;
  }
  pieces.push(cur);
  return pieces;
}

/** The normalisation of `normaliseText` without the trim, for the pieces of a pattern. */
const normalisePiece = (s: string, keepCase: boolean) => {
  const t = s.normalize('NFKC').replace(/\s+/g, ' ');
  return keepCase ? t : t.toLowerCase();
};

/**
 * Whether a response matches a pattern: linear in their lengths (no regular expression built
 * from an upload, so no ReDoS). Pieces match in order, the first at the start, the last at the
 * end, the others leftmost between them: exactly the texts `*` allows.
 */
export function matchesPattern(pattern: string, response: string, caseSensitive = false): boolean {
  const pieces = patternPieces(pattern.trim()).map((p) => normalisePiece(p, caseSensitive));
  const s = normalisePiece(response.trim(), caseSensitive);
  if (pieces.length === 1) return s === pieces[0];
  const first = pieces[0]!;
  const last = pieces.at(-1)!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) {
    return false;
  }
  let at = first.length;
  const end = s.length - last.length;
  for (const mid of pieces.slice(1, -1)) {
    const i = s.indexOf(mid, at);
    if (i < 0 || i + mid.length > end) return false;
    at = i + mid.length;
  }
  return true;
}

const hasWildcard = (pattern: string) => patternPieces(pattern).length > 1;

/** What PHP's trim() removes, and nothing else: Moodle trims answers and responses with it. */
const PHP_TRIMMED = ' \t\n\r\0\v';

function phpTrim(s: string): string {
  let from = 0;
  let to = s.length;
  while (from < to && PHP_TRIMMED.includes(s[from]!)) from++;
  while (to > from && PHP_TRIMMED.includes(s[to - 1]!)) to--;
  return s.slice(from, to);
}

/**
 * A code point as a caseless comparison sees it: its simple (one code point) upper case, then
 * that one's simple lower case, so that K, k and the Kelvin sign, or Σ, σ and ς, are one. PCRE's
 * caseless sets agree on these; they differ on the Turkish dotless ı, which this folds to i.
 */
function caseless(c: string): string {
  const upper = c.toUpperCase();
  const u = upper.length === c.length ? upper : c;
  const lower = u.toLowerCase();
  return lower.length === u.length ? lower : u;
}

/**
 * Whether a response matches a pattern as Moodle's short answer decides it
 * (qtype_shortanswer_question::compare_string_with_wildcard): both texts in NFC, trimmed as PHP
 * trims, every other character as written (inner white space, full-width letters, ligatures);
 * a run of unescaped `*` stands for any text without a line break (PCRE's `.*` without the `s`
 * flag) and `\*` for a star; case ignored unless `caseSensitive` (Moodle's usecase). Moodle
 * builds a regular expression; this runs the pattern as an automaton over the response's code
 * points instead (a set of states per character: time bounded by the product of the lengths),
 * so that no pattern backtracks.
 */
export function matchesAsMoodle(pattern: string, response: string, caseSensitive = false): boolean {
  const fold = caseSensitive ? (c: string) => c : caseless;
  // null: a wildcard; otherwise one code point to match.
  const tokens: (string | null)[] = [];
  patternPieces(phpTrim(pattern).normalize('NFC')).forEach((piece, i) => {
    if (i > 0) tokens.push(null);
    for (const c of piece) tokens.push(fold(c));
  });
  const m = tokens.length;
  let on = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  // A wildcard may match nothing: whoever stands on it stands after it too.
  const close = (s: Uint8Array) => {
    for (let i = 0; i < m; i++) if (s[i] && tokens[i] === null) s[i + 1] = 1;
  };
  on[0] = 1;
  close(on);
  for (const ch of phpTrim(response.normalize('NFC'))) {
    const c = fold(ch);
    next.fill(0);
    for (let i = 0; i < m; i++) {
      if (!on[i]) continue;
      const t = tokens[i];
      if (t === null) {
        if (c !== '\n') next[i] = 1;
      } else if (t === c) next[i + 1] = 1;
    }
    close(next);
    [on, next] = [next, on];
  }
  return on[m] === 1;
}

/** The score of a response: 1 if it is an accepted answer, or the first matching answer's credit. */
function gradeText(key: TextKey, response: string): number {
  if (Array.isArray(key)) {
    const given = normaliseText(response);
    return key.some((a) => normaliseText(a) === given) ? 1 : 0;
  }
  // Moodle trims a response as it arrives (PARAM_RAW_TRIMMED) and grades no empty one: a blank
  // response scores nothing, not the credit of a `*`.
  if (key.compare === 'moodle' && phpTrim(response) === '') return 0;
  const matches = key.compare === 'moodle' ? matchesAsMoodle : matchesPattern;
  return key.answers.find((a) => matches(a.text, response, key.caseSensitive))?.credit ?? 0;
}

/** How a key compares, as the assay comment of an export says it (read back the same way). */
const compareOf = (key: TextKey) =>
  Array.isArray(key) || key.compare === undefined ? ('assay' as const) : key.compare;

/**
 * The accepted-answer list that Moodle's answers of a short answer amount to, or undefined: when
 * every answer is worth 100%, none has a wildcard and case does not count, the key is the list
 * of their texts (`\*` read as a star). Assay's own export is read back so, and the hash of a
 * derived id sees a key so (question-ids.ts), so that both keep the shape keys had before they
 * said how they compare.
 */
export function acceptedList(
  answers: readonly { text: string; credit: number }[],
  caseSensitive = false,
): string[] | undefined {
  if (caseSensitive || !answers.every((a) => a.credit === 1 && !hasWildcard(a.text))) return;
  return answers.map((a) => patternPieces(a.text)[0]!);
}

/** A pattern for a literal text: `*` escaped, so that Moodle does not read it as "any text". */
const literalPattern = (text: string) => text.replace(/\*/g, '\\*');

/** The answers of a key as Moodle's patterns and credits. */
const textAnswers = (key: TextKey): TextAnswer[] =>
  Array.isArray(key) ? key.map((a) => ({ text: literalPattern(a), credit: 1 })) : key.answers;

interface Read {
  text: string;
  fraction: number;
  pos: Pos;
}

/**
 * A text key from Moodle's short answers, in order, with their credits, compared as Moodle
 * compares them. Read back from Assay's own export (an assay comment without `compare=moodle`): the accepted-answer list
 * when every answer is worth 100%, has no wildcard and case does not count, else the answers,
 * compared Assay's way. A negative credit is a penalty Assay cannot give; one answer must be
 * worth 100%.
 */
function textKeyOf(r: Reader, read: Read[], caseSensitive: boolean, pos: Pos): TextKey | undefined {
  const compare = r.compareRule();
  for (const a of read) {
    if (a.fraction < 0) {
      r.unsupported(
        `the answer "${a.text}" costs ${percentOf(-a.fraction)}% in Moodle (${r.weight(Number(percentOf(a.fraction)), '=')}), a negative mark; Assay scores a question from 0 to 100%`,
        a.pos,
      );
    } else if (a.text === '')
      r.fail(
        `An empty answer: write the accepted text ${r.format === 'xml' ? "in the <answer>'s <text>" : 'after "="'}.`,
        a.pos,
        'answer',
      );
  }
  if (r.failed) return undefined;
  if (!read.some((a) => sameFraction(a.fraction, 1))) {
    return r.fail(
      `No answer is worth 100% (${fullMark(r)}), so nobody could score full marks.`,
      pos,
      'answer',
    );
  }
  const answers = read.map((a) => ({
    text: a.text,
    credit: sameFraction(a.fraction, 1) ? 1 : a.fraction,
  }));
  const list = compare ? undefined : acceptedList(answers, caseSensitive);
  if (list) {
    read.forEach((a, i) => {
      r.at(`answer[${i}]`, a.pos);
    });
    return list;
  }
  read.forEach((a, i) => {
    r.at(`answer.answers[${i}]`, a.pos);
  });
  return {
    answers,
    ...(caseSensitive ? { caseSensitive: true } : {}),
    ...(compare ? { compare } : {}),
  };
}

/** GIFT short answers: `=a =%50%b#feedback` (text before the first `=` is an answer too). */
function readGiftText(r: GiftQuestion, body: Chars): Read[] {
  return splitAt(body, '=')
    .filter((p, i) => i > 0 || trim(p.body).length > 0)
    .map((p) => {
      const pos = r.posAt(body, p.at);
      const w = splitWeight(p.body, { r, pos, mark: '=' });
      const f = splitFeedback(w.rest);
      // Moodle compares an answer as written: its format marker goes, any HTML stays.
      const text = str(plain(f.text));
      r.feedbackOn(text, f.feedback);
      return { text, fraction: fractionOf(w.weight ?? 100), pos };
    });
}

// Long text: a tab or newline is white space that normaliseText collapses, like any other.
const ANSWER = /* @__PURE__ */ once(() => cleanText('long', { min: 1, max: 200 }));

/** Rules: no blank answer; a credit of 1 somewhere. */
function textRules(q: Content<TextKey>): FieldIssue[] {
  if (Array.isArray(q.answer)) {
    return q.answer
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => normaliseText(a) === '')
      .map(({ i }) => ({ path: `answer[${i}]`, message: 'An accepted answer cannot be blank.' }));
  }
  return [
    ...q.answer.answers
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => normaliseText(a.text) === '')
      .map(({ i }) => ({
        path: `answer.answers[${i}].text`,
        message: 'An answer cannot be blank.',
      })),
    ...(q.answer.answers.some((a) => a.credit === 1)
      ? []
      : [
          {
            path: 'answer.answers',
            message: 'One answer must have credit 1, so that a full score is possible.',
          },
        ]),
  ];
}

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const textKey = /* @__PURE__ */ once(() =>
  z.union([
    z.array(ANSWER()).check(z.minLength(1), z.maxLength(20)),
    z.strictObject({
      answers: z
        .array(
          z.strictObject({
            text: ANSWER(),
            credit: z
              .number()
              .check(z.gte(0, 'Credit is in [0,1].'), z.lte(1, 'Credit is in [0,1].'), storable()),
          }),
        )
        .check(z.minLength(1), z.maxLength(20)),
      caseSensitive: z.optional(z.boolean()),
      compare: z.optional(z.literal('moodle', 'compare is "moodle" or absent.')),
    }),
  ]),
);

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() => cleanText('long', { max: 500 }));

/**
 * A short text answer, compared after normalisation with the accepted answers (or Moodle's
 * patterns). Deliberately no author regexes: a pattern from an upload is a ReDoS waiting to
 * happen; `*` is matched by a linear scan.
 */
export const text: QuestionType<'text', TextKey, string, Record<never, never>> = {
  id: 'text',
  withOptions: false,
  get key() {
    return textKey();
  },
  rules: textRules,
  get answer() {
    return answerSchema();
  },
  expected: 'a text',
  response: () => cleanText('long', { max: 500 }),
  // 500 UTF-16 units, each at most 6 bytes in JSON (a control character as \u001f), and quotes.
  answerBytes: () => 2 + 6 * 500,
  answerKind: 'text',
  view: {},
  show: () => ({}),
  hidden: (q) =>
    Array.isArray(q.answer)
      ? q.answer
      : q.answer.answers.filter((a) => a.credit > 0 && !a.text.includes('*')).map((a) => a.text),
  effortSeconds: 2,
  grade: (q, r) => gradeText(q.answer, r),
  describe: (_q, r) => JSON.stringify(r),
  describeKey: (q) => {
    if (Array.isArray(q.answer))
      return `${q.answer.map((a) => JSON.stringify(a)).join(' or ')} (case and spacing ignored)`;
    // Moodle's patterns: the first that matches gives its credit.
    const { answers, caseSensitive, compare } = q.answer;
    const listed = answers.map((a) => `${JSON.stringify(a.text)}: ${creditPercent(a.credit)}`);
    const caseNote = caseSensitive ? 'case counts' : 'case ignored';
    const notes = [
      ...(answers.length > 1 ? ['the first that matches counts'] : []),
      ...(answers.some((a) => hasWildcard(a.text)) ? ['* stands for any text'] : []),
      compare === 'moodle'
        ? `compared as Moodle does: ${caseNote}, spacing as written`
        : caseSensitive
          ? 'spacing ignored, case counts'
          : 'case and spacing ignored',
    ];
    return `${listed.join('; ')} (${notes.join('; ')})`;
  },
  gift: {
    // `{=a =%50%b =%0%*}`: Moodle's short answer; every answer accepted unless weighted.
    read: {
      claims: (b) => b.form === 'shortanswer',
      read: (r, b) => {
        const read = readGiftText(r, b.body);
        if (r.failed) return undefined;
        const answer = textKeyOf(r, read, false, b.pos);
        return answer && { answer };
      },
    },
    // GIFT reads `=` with `->` as a matching question, and `->` cannot be escaped.
    write: (q) => {
      const answers = textAnswers(q.answer);
      if (answers.some((a) => a.text.includes('->'))) {
        return {
          skip: 'An answer contains "->", which GIFT reads as a matching question and cannot escape.',
        };
      }
      if (!Array.isArray(q.answer) && q.answer.caseSensitive) {
        return { skip: 'GIFT cannot say that case counts; export the question as Moodle XML.' };
      }
      if (Array.isArray(q.answer) && q.answer.some((a) => a.includes('\\*'))) {
        return {
          skip: 'An answer contains "\\*", which Moodle reads as a star: it cannot be written.',
        };
      }
      return {
        ...giftQuestion(
          q,
          answers.map((a) =>
            Array.isArray(q.answer)
              ? giftAnswer('=', a.text, undefined, true)
              : giftAnswer('=', a.text, percentOf(a.credit), true),
          ),
        ),
        compare: compareOf(q.answer),
      };
    },
  },
  moodle: {
    read: {
      claims: (q) => q.qtype === 'shortanswer',
      read: (r, q) => {
        const read = q.answers.map((a) => {
          r.feedback(a.raw, a.feedback);
          return { text: a.raw, fraction: a.fraction, pos: a.pos };
        });
        const answer = textKeyOf(r, read, q.usecase, q.pos);
        return answer && { answer };
      },
    },
    write: (q) =>
      Array.isArray(q.answer) && q.answer.some((a) => a.includes('\\*'))
        ? { skip: 'An answer contains "\\*", which Moodle reads as a star: it cannot be written.' }
        : {
            qtype: 'shortanswer',
            compare: compareOf(q.answer),
            body: [
              `<usecase>${!Array.isArray(q.answer) && q.answer.caseSensitive ? 1 : 0}</usecase>`,
              ...textAnswers(q.answer).map((a) => xmlPlainAnswer(a.text, a.credit)),
            ],
          },
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const textGenerators: GeneratorsFor<typeof text> = {
  arbitrary: (fast, gen) =>
    fast.oneof(
      fast
        .array(
          gen.text(1, 200).filter((s) => normaliseText(s) !== ''),
          { minLength: 1, maxLength: 20 },
        )
        .map((answer) => ({ answer: answer as TextKey })),
      fast
        .tuple(
          fast.array(
            fast.record({
              text: gen.text(1, 200).filter((s) => normaliseText(s) !== ''),
              credit: fast.constantFrom(1, 0.5, 0.75, 0.25, 0),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          fast.boolean(),
          fast.integer({ min: 0, max: 4 }).map((n) => n === 0),
          fast.boolean(),
        )
        .map(([answers, star, caseSensitive, moodle]) => ({
          answers: [...answers, ...(star ? [{ text: '*', credit: 0 }] : [])],
          ...(caseSensitive ? { caseSensitive: true } : {}),
          ...(moodle ? { compare: 'moodle' as const } : {}),
        }))
        .filter((k) => k.answers.some((a) => a.credit === 1))
        // A list in disguise (everything worth 1, no "*", case ignored, Assay's comparison)
        // reads back as the list.
        .filter(
          (k) =>
            k.compare !== undefined ||
            k.caseSensitive ||
            k.answers.some((a) => a.credit !== 1 || a.text.includes('*')),
        )
        .map((answer) => ({ answer: answer as TextKey })),
    ) as fc.Arbitrary<Authored<TextKey>>,
  // Anything a person can send: any characters but those the clean-text rules refuse.
  answers: (fast) =>
    fast
      .string({ unit: 'binary', maxLength: 500 })
      .map((s) => withoutUnclean(s, 'long'))
      .filter((s) => s.length <= 500),
};
