/**
 * What GIFT and Moodle XML share: Moodle's meaning of a question, independent of the syntax it
 * was written in. The type modules read both formats into the same keys through a `Reader`
 * (GIFT: `GiftQuestion` in gift-syntax.ts, XML: `XmlQuestion` in moodle-xml-read.ts), so that a
 * question means the same whichever format it came in. See "Moodle banks" in
 * docs/question-format.md.
 */
import type { Notice } from './bank-import.ts';
import type { FieldIssue } from './errors.ts';
import type { ImportOptions } from './moodle-import.ts';
import type { XmlNumbers } from './moodle-number.ts';
import type { XmlQuestion } from './moodle-xml-text.ts';
import type { AnyQuestionType } from './question-types/registry.ts';
import type { Option } from './question-types/type.ts';

/** A place in an uploaded file (1-based). */
export interface Pos {
  line: number;
  column: number;
}

/** One question as read from a Moodle file, before ids are given and it is validated. */
export interface Draft {
  index: number;
  start: Pos;
  /** Where each field of the question comes from, by path relative to the question. */
  at: Map<string, Pos>;
  issues: FieldIssue[];
  /** Why Assay cannot represent the question with Moodle's meaning, if it cannot. */
  unsupported?: { reason: string; pos: Pos };
  warnings: Notice[];
  /** The question's name (`::title::`, `<name>`). */
  title?: string;
  /** The id the author gave (`[id:...]`, `<idnumber>`) and where. */
  authorId?: { raw: string; pos: Pos };
  /** The author's Moodle tags (`[tag:...]`, `<tag>`) and where they are. */
  tags?: { raw: string[]; pos: Pos };
  /** Whether the question has general feedback (`####`, `<generalfeedback>`). */
  generalFeedback?: boolean;
  raw?: Record<string, unknown>;
}

/**
 * What a reader of a Moodle file (`giftDrafts`, `moodleXmlDrafts`) hands to `importDrafts`: the
 * drafts with the problems and notes of the file itself, or, for a text that cannot be read at
 * all (XML that is not well formed), the one problem (`fatal`). Plain data, no error thrown: the
 * readers run in a side entry (`#side/moodle-readers`) with its own copy of any class, and the
 * bundle's `importDrafts` throws the bundle's own ValidationError.
 */
export type MoodleDrafts =
  | { drafts: Draft[]; issues: FieldIssue[]; notes: Notice[] }
  | { fatal: FieldIssue[] };

/**
 * A reader of a Moodle file (GIFT: `giftDrafts`, XML: `moodleXmlDrafts`): its text as drafts.
 * `types` are the question types that may claim a question: the caller's registry.
 */
export type MoodleReader = (
  text: string,
  opts: ImportOptions,
  types: readonly AnyQuestionType[],
) => MoodleDrafts;

/** How a message names the text a reader converted. */
export const ROLE_NAMES = {
  prompt: 'question text',
  answer: 'answer',
  feedback: 'feedback',
} as const;

/** How the author writes an answer worth 100%, in the file's syntax: `"=" or =%100%`, `<answer fraction="100">`. */
export const fullMark = (r: Reader) =>
  r.format === 'xml' ? '<answer fraction="100">' : `written "=" or ${r.weight(100, '=')}`;

/** The two formats Moodle exports questions in. */
export type MoodleFormat = 'gift' | 'xml';

/**
 * The reading of one question, as the type modules see it whatever the format: where each field
 * comes from, what is wrong with it, and the feedback that becomes part of its explanation.
 */
export interface Reader {
  readonly format: MoodleFormat;
  /** A problem the author must fix; returns undefined so that readers can `return r.fail(...)`. */
  fail(message: string, pos: Pos, path?: string): undefined;
  /**
   * A question Assay cannot grade as Moodle would (an essay, a penalty for a wrong choice...):
   * refused, or skipped and listed when the upload asks to skip what is unsupported.
   */
  unsupported(reason: string, pos: Pos): undefined;
  /** Imported as Moodle means it, with something the author should know. */
  warn(message: string, pos: Pos): void;
  /** Where a field of the question comes from (its path relative to the question). */
  at(path: string, pos: Pos): void;
  /** Options from answer texts, with ids from the assay comment or a, b, c, ... */
  options(
    texts: { text: string; pos: Pos }[],
    defaults?: (i: number) => string,
  ): Option[] | undefined;
  /** The feedback of one answer: a line of the explanation. */
  feedback(label: string, text: string | undefined): void;
  /**
   * How a key that compares texts or numbers compares a response: `moodle` (as Moodle grades
   * it), or undefined for Assay's own rule when an assay comment lacks `compare=moodle`.
   */
  compareRule(): 'moodle' | undefined;
  /** Whether a matching question's right-hand items are plain text (`rights=plain`). */
  rightsPlain(): boolean;
  /** How the author wrote a weight of `percent` on an answer: `~%50%` or `fraction="50"`. */
  weight(percent: number, mark?: '~' | '='): string;
  readonly failed: boolean;
}

/** What the Moodle XML reader gives a type's XML member beyond `Reader`. */
export interface XmlReader extends Reader {
  /**
   * A numerical question's units and a reader of its numbers as Moodle reads them
   * (moodle-number.ts, loaded by the readers only); undefined when its units are refused.
   */
  xmlNumbers(q: XmlQuestion): XmlNumbers | undefined;
}

/**
 * Moodle keeps answer fractions with 7 decimals (0.3333333): a percentage as Moodle stores it,
 * so that `~%33.33333%` and `fraction="33.33333"` give the same number.
 */
export function fractionOf(percent: number): number {
  return Math.round(percent * 1e5) / 1e7;
}

/** A fraction as a percentage for messages and files: 0.5 -> "50", 0.3333333 -> "33.33333". */
export function percentOf(fraction: number): string {
  return String(Math.round(fraction * 1e7) / 1e5);
}

/** A credit as a person reads it in a report: 0.5 is "50%", -1 is "-100%", 1/3 is "33.33%". */
export function creditPercent(credit: number): string {
  return `${Number((credit * 100).toFixed(2))}%`;
}

/**
 * The grades Moodle's import takes (`question_bank::fraction_options_full`, checked by
 * `match_grade_options` in `qformat_default::importprocess` for multiple choice, short answer and
 * numerical answers, in GIFT and XML alike): these and their negatives, to within 0.00001.
 */
const MOODLE_GRADES = [
  1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
  0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0,
];

/**
 * A warning for an answer weight (a fraction) that is not one of Moodle's grades, or undefined.
 * Moodle's import refuses such a file by default ("invalid grade"; with "Nearest grade if not
 * listed" it takes the nearest grade instead); Assay grades the weight as written, and says so.
 */
export function offListGrade(fraction: number, written: string): string | undefined {
  let nearest = 0;
  for (const g of MOODLE_GRADES.flatMap((x) => [x, -x])) {
    if (Math.abs(fraction - g) < 0.00001) return undefined;
    if (Math.abs(fraction - g) < Math.abs(fraction - nearest)) nearest = g;
  }
  return `${written}: ${percentOf(fraction)}% is not one of Moodle's grades (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and their negatives), so Moodle refuses the file ("invalid grade"), or with "Nearest grade if not listed" reads ${percentOf(nearest)}%. Assay grades it at ${percentOf(fraction)}% as written; use a listed grade if the file must also import into Moodle.`;
}

/**
 * Warnings for the grades an exported question carries that Moodle's import would refuse:
 * `percents` are the grades as the file writes them (`fraction="45"`, GIFT's `%45%`), one
 * warning per distinct off-list grade.
 */
export function offListExported(percents: Iterable<string>, mark: (p: string) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of percents) {
    if (seen.has(p)) continue;
    seen.add(p);
    const off = offListGrade(Number(p) / 100, mark(p));
    if (off) out.push(off);
  }
  return out;
}

/** Two fractions Moodle would store as the same value. */
export const sameFraction = (a: number, b: number) => Math.abs(a - b) < 5e-7;

/** Own property lookup of a weight: ids such as "constructor" must not reach the prototype. */
export function weightOf(weights: Readonly<Record<string, number>>, id: string): number {
  return Object.hasOwn(weights, id) ? weights[id]! : 0;
}

/**
 * Where Moodle marks a missing word: the question text of a GIFT question with text after its
 * answer block has the block replaced by five underscores (qformat_gift), and so does the
 * Moodle XML of such a question.
 */
export const MOODLE_BLANK = '_____';

/**
 * Moodle's question types that Assay has no equivalent for, with why, for refusals that name
 * them. Types Assay reads are claimed by the type modules (`moodle.read`); anything neither
 * here nor claimed is refused as an unknown type.
 */
export const UNSUPPORTED_MOODLE_TYPES: Readonly<Record<string, string>> = {
  essay: 'essay questions need manual grading',
  description: 'a description has nothing to answer (it is text shown between questions)',
  multianswer: 'embedded-answer (cloze) questions hold several questions in one text',
  calculated: 'calculated questions draw numbers from datasets Assay does not have',
  calculatedsimple: 'calculated questions draw numbers from datasets Assay does not have',
  calculatedmulti: 'calculated questions draw numbers from datasets Assay does not have',
  randomsamatch: 'random short-answer matching draws its items from other questions',
  random: 'a random question is a slot that draws from a category, not a question',
  ddwtos: 'drag-and-drop into text has no Assay equivalent',
  gapselect: 'select-missing-words questions have several gaps; Assay has one',
  ddimageortext: 'drag-and-drop onto an image needs its image files',
  ddmarker: 'drag-and-drop markers need their image files',
  ordering: 'Moodle ordering questions are graded in ways Assay does not reproduce',
};
