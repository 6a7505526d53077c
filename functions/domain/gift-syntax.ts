/**
 * GIFT lexing and blocks: the text split into question blocks (with their `$CATEGORY:` and
 * `// assay:` lines), a question's characters with their escapes and offsets, and the reader
 * that the type modules' GIFT readers use to record options, locations, feedback and problems.
 * What a block means is decided by the type that claims it (`gift.read` in each type module);
 * `gift.ts` puts the pieces together. See "Moodle banks" in docs/question-format.md.
 */

import type { Notice } from './bank-import.ts';
import { type FieldIssue, MAX_ISSUE_TEXT } from './errors.ts';
import {
  type Converted,
  htmlTagsIn,
  imageName,
  moodleText,
  plainToMarkdown,
  type TextFormat,
} from './html-text.ts';
import {
  type Draft,
  fractionOf,
  type MoodleFormat,
  offListGrade,
  type Pos,
  type Reader,
  ROLE_NAMES,
} from './moodle.ts';
import { notAGiftNumber } from './moodle-number.ts';
import type { Authored, Option, QuestionContent } from './question-types/type.ts';
import { AREAS } from './taxonomy.ts';
import { count, UPLOAD_COUNT_LIMITS } from './upload-limits.ts';

export type { Draft, Pos } from './moodle.ts';

/** One character of a question after unescaping; `esc` marks a backslash-escaped one. */
export interface Ch {
  c: string;
  esc: boolean;
  off: number;
}

export type Chars = Ch[];

export interface Feedback {
  label: string;
  text: string;
}

/** The metadata of an `// assay:` comment. */
export interface AssayMeta {
  pos: Pos;
  keyPos: Map<string, Pos>;
  difficulty?: 1 | 2 | 3;
  tags?: string[];
  options?: string[];
  timeHintSeconds?: number;
  discrimination?: number;
  difficultyParam?: number;
  /**
   * How the key compares a response: `assay` (Assay's own rule) or `moodle` (as Moodle does).
   * Written by Assay's export; an assay comment without it is an export from before it existed,
   * whose keys all compared Assay's way.
   */
  compare?: 'assay' | 'moodle';
  /**
   * `plain`: the matching question's right-hand items are written as plain text (Moodle shows
   * them so), to be read back as markdown that shows them as written, whatever the question's
   * format. Without it, a markdown question's right-hand items are markdown as written.
   */
  rights?: 'plain';
}

interface Category {
  pos: Pos;
  area?: string;
}

export interface Block {
  lines: { no: number; text: string }[];
  /** The question's `//` lines: those directly above it (no blank line between) and inside. */
  comments: { no: number; text: string }[];
  assay?: AssayMeta;
  category?: Category;
}

const ASSAY_COMMENT = /^\s*\/\/\s*assay\s*:(.*)$/i;
const CATEGORY_LINE = /^\s*\$CATEGORY:(.*)$/;
const FORMAT_MARKER = /^\[(html|markdown|plain|moodle)\]/i;
export const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Moodle's answer weight (qformat_gift): `%50%`, `%-33.33333%`, `%100%`. */
const WEIGHT = /^%(-?\d{1,2}\.?\d*)%/;
const ESCAPABLE = new Set([':', '~', '=', '#', '{', '}', '\\']);
export const TRUE_FALSE = /^(?:t|true|f|false)$/i;

/**
 * Split the text into question blocks (runs of non-blank lines). `//` lines are comments: those
 * directly above a question and inside it belong to it (Moodle reads `[id:...]` and `[tag:...]`
 * there); an `// assay:` comment directly above a question is its metadata. `$CATEGORY:` lines
 * set the area of the questions after them: a category that names no area takes `fallbackArea`
 * (the area given with the upload) with a note, and is one problem without it.
 */
/** Call `each` with every line of `text` and its index, without splitting the text first. */
function forEachLine(text: string, each: (line: string, index: number) => boolean | void): void {
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let index = 0; ; index++) {
    breaks.lastIndex = start;
    const m = breaks.exec(text);
    if (each(text.slice(start, m ? m.index : text.length), index) === false || !m) return;
    start = m.index + m[0].length;
  }
}

export function splitBlocks(
  text: string,
  issues: FieldIssue[],
  notes: Notice[] = [],
  fallbackArea?: string,
): Block[] | { fatal: FieldIssue } {
  const blocks: Block[] = [];
  // A GIFT text with more questions or paragraphs than Assay reads (`UPLOAD_COUNT_LIMITS`):
  // the one problem of the file, at the first paragraph past the limit; nothing more is read.
  let fatal: FieldIssue | undefined;
  // Paragraphs (runs of lines between blank lines) and questions so far: each costs memory and
  // time to read whatever it holds, so a file of millions of tiny ones is refused at the limit.
  let paragraphs = 0;
  let inParagraph = false;
  const tooMany = (what: string, limit: number, no: number, explained = what) => {
    fatal = {
      path: '',
      message: `This GIFT file has more than ${count(limit)} ${explained}: number ${count(limit + 1)} starts on line ${no}. Assay reads at most ${count(limit)} ${what} in one file; split it into several uploads.`,
      line: no,
      column: 1,
    };
    return false;
  };
  let category: Category | undefined;
  let current: Block | undefined;
  let pendingAssay: AssayMeta | undefined;
  let pendingComments: Block['comments'] = [];

  const orphan = () => {
    if (pendingAssay) {
      issues.push({
        path: '',
        message: 'An "// assay:" comment must be immediately above the question it describes.',
        ...pendingAssay.pos,
      });
    }
    pendingAssay = undefined;
  };
  const close = () => {
    if (current) blocks.push(current);
    current = undefined;
  };

  forEachLine(text, (line, i) => {
    const no = i + 1;
    if (line.trim() === '') {
      inParagraph = false;
      close();
      orphan();
      pendingComments = [];
      return;
    }
    if (!inParagraph) {
      inParagraph = true;
      if (++paragraphs > UPLOAD_COUNT_LIMITS.giftParagraphs) {
        return tooMany(
          'paragraphs',
          UPLOAD_COUNT_LIMITS.giftParagraphs,
          no,
          'paragraphs (blocks of lines between blank lines)',
        );
      }
    }
    const assay = ASSAY_COMMENT.exec(line);
    if (assay) {
      if (current) {
        issues.push({
          path: '',
          message:
            'An "// assay:" comment inside a question; put it on the line above the question.',
          line: no,
          column: line.search(/\S/) + 1,
        });
        return;
      }
      if (pendingAssay) {
        issues.push({
          path: '',
          message: `A second "// assay:" comment for the same question (the first is on line ${pendingAssay.pos.line}); use one.`,
          line: no,
          column: line.search(/\S/) + 1,
        });
        return;
      }
      pendingAssay = parseAssay(line, no, line.length - assay[1]!.length, issues);
      return;
    }
    if (/^\s*\/\//.test(line)) {
      // A comment: kept as an empty line inside a question so columns stay right.
      if (current) {
        current.lines.push({ no, text: '' });
        current.comments.push({ no, text: line });
      } else pendingComments.push({ no, text: line });
      return;
    }
    const cat = CATEGORY_LINE.exec(line);
    if (cat) {
      close();
      orphan();
      pendingComments = [];
      category = parseCategory(
        cat[1]!,
        no,
        line.length - cat[1]!.length,
        issues,
        notes,
        fallbackArea,
      );
      return;
    }
    if (!current) {
      if (blocks.length >= UPLOAD_COUNT_LIMITS.giftQuestions) {
        return tooMany('questions', UPLOAD_COUNT_LIMITS.giftQuestions, no);
      }
      current = {
        lines: [],
        comments: pendingComments,
        ...(pendingAssay ? { assay: pendingAssay } : {}),
        ...(category ? { category } : {}),
      };
      pendingAssay = undefined;
      pendingComments = [];
    }
    current.lines.push({ no, text: line });
  });
  if (fatal) return { fatal };
  close();
  orphan();
  return blocks;
}

const AREA_BY_NAME = /* @__PURE__ */ (() =>
  new Map<string, string>(
    AREAS.flatMap((a) => [
      [a.id, a.id],
      [slugify(a.name), a.id],
    ]),
  ))();

/**
 * How to fix a category that is no area, with the areas' ids while they fit within the 400
 * characters an issue keeps (MAX_ISSUE_TEXT: a longer message loses its middle, here the fix
 * itself); past that (more areas than today's 13), where to read them instead.
 */
export function notAnAreaMessage(what: string, areaIds: readonly string[]): string {
  const fix = `${what}: upload with ?area=<area> (assay --area; the console's Area under "For Moodle files"), or end the category with one: $CATEGORY: $course$/top/security.`;
  const listed = `${fix} Areas: ${areaIds.join(', ')}.`;
  return listed.length <= MAX_ISSUE_TEXT ? listed : `${fix} The areas: GET /v1/areas.`;
}

export function parseCategory(
  value: string,
  line: number,
  offset: number,
  issues: FieldIssue[],
  notes: Notice[],
  fallbackArea: string | undefined,
): Category {
  // Moodle writes a slash inside a category name as `//`; segments are separated by `/`.
  const segments = value
    .trim()
    .split(/(?<!\/)\/(?!\/)/)
    .map((s) => s.replace(/\/\//g, '/').trim())
    .filter((s) => s !== '');
  const last = segments.at(-1);
  const column = offset + value.search(/\S|$/) + 1;
  const pos = { line, column };
  const area = last === undefined ? undefined : AREA_BY_NAME.get(slugify(last));
  if (area) return { pos, area };
  const what =
    last === undefined
      ? 'The $CATEGORY: line names no category'
      : `Category "${last.length > 32 ? `${last.slice(0, 31)}…` : last}" is not an area`;
  if (fallbackArea) {
    notes.push({
      message: `${what}: the questions under it go to the area given with the upload, "${fallbackArea}".`,
      ...pos,
    });
    return { pos, area: fallbackArea };
  }
  issues.push({
    path: '',
    message: notAnAreaMessage(
      what,
      AREAS.map((a) => a.id),
    ),
    ...pos,
  });
  return { pos };
}

const ASSAY_KEYS = [
  'difficulty',
  'tags',
  'options',
  'timeHintSeconds',
  'discrimination',
  'difficultyParam',
  'compare',
  'rights',
];

export function parseAssay(
  line: string,
  no: number,
  offset: number,
  issues: FieldIssue[],
): AssayMeta {
  const meta: AssayMeta = { pos: { line: no, column: line.search(/\S/) + 1 }, keyPos: new Map() };
  const rest = line.slice(offset);
  for (const m of rest.matchAll(/\S+/g)) {
    const pos = { line: no, column: offset + m.index + 1 };
    const eq = m[0].indexOf('=');
    const key = eq > 0 ? m[0].slice(0, eq) : m[0];
    const value = eq > 0 ? m[0].slice(eq + 1) : '';
    const fail = (message: string) => issues.push({ path: '', message, ...pos });
    if (eq <= 0 || value === '') {
      fail(`"${m[0]}" in the assay comment is not key=value.`);
      continue;
    }
    if (!ASSAY_KEYS.includes(key)) {
      fail(`Unknown assay key "${key}"; known keys: ${ASSAY_KEYS.join(', ')}.`);
      continue;
    }
    if (meta.keyPos.has(key)) {
      fail(`The assay key "${key}" is given twice.`);
      continue;
    }
    meta.keyPos.set(key, pos);
    if (key === 'difficulty') {
      if (value === '1' || value === '2' || value === '3')
        meta.difficulty = Number(value) as 1 | 2 | 3;
      else fail(`difficulty must be 1, 2 or 3, not "${value}".`);
    } else if (key === 'compare') {
      if (value === 'assay' || value === 'moodle') meta.compare = value;
      else fail(`compare must be assay or moodle, not "${value}".`);
    } else if (key === 'rights') {
      if (value === 'plain') meta.rights = value;
      else fail(`rights must be plain, not "${value}".`);
    } else if (key === 'tags' || key === 'options') {
      meta[key] = value.split(',');
    } else if (NUMBER.test(value)) {
      meta[key as 'timeHintSeconds' | 'discrimination' | 'difficultyParam'] = Number(value);
    } else {
      fail(`${key} must be a number, not "${value}".`);
    }
  }
  return meta;
}

/** `Grant's tomb` -> `grant-s-tomb`. */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// --- one question ------------------------------------------------------------------------------

/** Unescape a question's text, keeping each character's offset for locations. */
export function readEscapes(text: string): Chars {
  const out: Chars = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && ESCAPABLE.has(next)) {
      out.push({ c: next, esc: true, off: i });
      i++;
    } else if (c === '\\' && next === 'n') {
      out.push({ c: '\n', esc: true, off: i });
      i++;
    } else {
      out.push({ c, esc: false, off: i });
    }
  }
  return out;
}

export const str = (cs: Chars) => cs.map((c) => c.c).join('');
const isSpace = (ch: Ch | undefined) => ch !== undefined && !ch.esc && /\s/.test(ch.c);
export const isMark = (ch: Ch | undefined, c: string) => ch !== undefined && !ch.esc && ch.c === c;

export function trimStart(cs: Chars): Chars {
  let a = 0;
  while (a < cs.length && isSpace(cs[a])) a++;
  return cs.slice(a);
}

export function trimEnd(cs: Chars): Chars {
  let b = cs.length;
  while (b > 0 && isSpace(cs[b - 1])) b--;
  return cs.slice(0, b);
}

export const trim = (cs: Chars): Chars => trimEnd(trimStart(cs));

/** Text without leading white space and a leading `[html]`/`[markdown]`/`[plain]`/`[moodle]` marker. */
export function unmarked(cs: Chars): Chars {
  const t = trimStart(cs);
  const m = FORMAT_MARKER.exec(str(t.slice(0, 12)));
  return m ? trimStart(t.slice(m[0].length)) : t;
}

/** Trimmed text without a leading format marker. */
export const plain = (cs: Chars): Chars => trimEnd(unmarked(cs));

/** Whether the characters hold anything but white space. */
export const hasText = (cs: Chars): boolean => trim(cs).length > 0;

export function indexOfMark(cs: Chars, c: string, from = 0): number {
  for (let i = from; i < cs.length; i++) if (isMark(cs[i], c)) return i;
  return -1;
}

/** Split at every unescaped mark character; each part keeps the mark that starts it. */
export function splitAt(cs: Chars, marks: string): { mark: string; body: Chars; at: number }[] {
  const parts: { mark: string; body: Chars; at: number }[] = [{ mark: '', body: [], at: 0 }];
  cs.forEach((ch, i) => {
    if (!ch.esc && marks.includes(ch.c)) parts.push({ mark: ch.c, body: [], at: i });
    else parts.at(-1)!.body.push(ch);
  });
  return parts;
}

/** `text#feedback` -> text and feedback (the first unescaped `#` separates them). */
export function splitFeedback(cs: Chars): { text: Chars; feedback?: Chars } {
  const i = indexOfMark(cs, '#');
  return i < 0 ? { text: cs } : { text: cs.slice(0, i), feedback: cs.slice(i + 1) };
}

/**
 * A leading `%50%` weight, if any, and the rest; with a reader, a weight that is not one of
 * Moodle's grades is a warning at `pos` (`offListGrade`).
 */
export function splitWeight(
  cs: Chars,
  warnAt?: { r: Reader; pos: Pos; mark: '~' | '=' },
): { weight?: number; rest: Chars } {
  const t = trim(cs);
  const m = WEIGHT.exec(str(t.slice(0, 24)));
  if (!m) return { rest: t };
  const weight = Number(m[1]);
  const off = warnAt && offListGrade(fractionOf(weight), `"${warnAt.mark}${m[0]}"`);
  if (off) warnAt.r.warn(off, warnAt.pos);
  return { weight, rest: t.slice(m[0].length) };
}

/** The option id the reader gives the i-th answer when the assay comment names none. */
export const defaultOptionId = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `o${i + 1}`);

/**
 * The assay comment's metadata (`difficulty=2 options=c,a,b ...`), which neither GIFT nor Moodle
 * XML can express: the GIFT writer puts it in `// assay:`, the XML writer in `<!-- assay: -->`,
 * and both readers read it back.
 */
export function assayMetadata(
  q: QuestionContent,
  readBackIds: readonly string[] | undefined,
  compare: 'assay' | 'moodle' | undefined,
  rightsPlain?: boolean,
): string {
  const parts = [`difficulty=${q.difficulty}`];
  const ids = (q.options ?? []).map((o) => o.id);
  const readBack = (i: number) => readBackIds?.[i] ?? defaultOptionId(i);
  if (ids.some((id, i) => id !== readBack(i))) parts.push(`options=${ids.join(',')}`);
  if (q.timeHintSeconds !== undefined) parts.push(`timeHintSeconds=${q.timeHintSeconds}`);
  if (q.discrimination !== undefined) parts.push(`discrimination=${q.discrimination}`);
  if (q.difficultyParam !== undefined) parts.push(`difficultyParam=${q.difficultyParam}`);
  // The reader takes a key for Assay's unless told otherwise (exports from before compare=).
  if (compare) parts.push(`compare=${compare}`);
  // Without it, the reader would take a markdown question's right-hand items for markdown.
  if (rightsPlain) parts.push('rights=plain');
  return parts.join(' ');
}

/**
 * What Moodle makes of an answer block, by its own rules (qformat_gift): empty is an essay,
 * `#` numerical, any `~` multiple choice, `=` with `->` matching, T or F true/false, anything
 * else a short answer. Text after the block makes any of them a missing-word question. Moodle
 * takes only upper-case T, TRUE, F and FALSE as true/false (a lower-case `{true}` is a short
 * answer accepting "true"); Assay reads them in any case, which grades the same.
 */
export type MoodleForm =
  | 'essay'
  | 'numerical'
  | 'multichoice'
  | 'matching'
  | 'shortanswer'
  | 'truefalse';

export function moodleForm(body: Chars): MoodleForm {
  if (body.length === 0) return 'essay';
  if (isMark(body[0], '#')) return 'numerical';
  if (indexOfMark(body, '~') >= 0) return 'multichoice';
  if (indexOfMark(body, '=') >= 0 && str(body).includes('->')) return 'matching';
  return TRUE_FALSE.test(str(trim(splitAt(body, '#')[0]!.body))) ? 'truefalse' : 'shortanswer';
}

/** One question's answer block and the text around it. */
export interface GiftBlock {
  /** The answers: the block's content without its general feedback, trimmed. */
  body: Chars;
  form: MoodleForm;
  /** The question text before the block, without a format marker; trailing white space kept. */
  before: Chars;
  /** The question text after the block: leading white space kept, trailing trimmed. */
  after: Chars;
  /** Where the block's `{` is. */
  pos: Pos;
}

/** How a type reads GIFT: which answer blocks are its own, and how to read one. */
export interface GiftReader<Key> {
  /**
   * What the prompt shows where the block was when text follows it: Moodle's five underscores
   * unless the type marks its blank otherwise (missing-word's `{blank}`).
   */
  readonly blank?: string;
  /** Whether this type reads the block; no two types may claim the same block. */
  claims(block: GiftBlock): boolean;
  /** The options and key (and prompt, if the type owns it); problems go to `r`. */
  read(r: GiftQuestion, block: GiftBlock): Authored<Key> | undefined;
}

/** One `~`/`=` answer of a choice block. */
export interface ChoiceAnswer {
  mark: string;
  /** The `%n%` weight of a `~` answer (Moodle reads none on a `=` answer). */
  weight?: number;
  text: string;
  pos: Pos;
  path: string;
}

/**
 * The answers of a choice block (`=right ~wrong ~%50%partly`) as Moodle reads them, with
 * their feedback recorded and weights outside -100..100 reported; undefined when text
 * precedes the first answer. Moodle reads a weight only after `~`: `=%50%x` is a full-credit
 * answer whose text is "%50%x" (a note says so).
 */
export function choiceAnswers(r: GiftQuestion, body: Chars): ChoiceAnswer[] | undefined {
  const parts = splitAt(body, '~=');
  if (trim(parts[0]!.body).length) {
    return r.fail(
      'Text before the first "~" or "=" answer: every answer of a multiple-choice block starts with "=" (right) or "~" (wrong, or weighted as "~%50%").',
      r.posAt(parts[0]!.body),
    );
  }
  const answers = parts.slice(1).map((p, i) => {
    const pos = r.posAt(body, p.at);
    const w = p.mark === '~' ? splitWeight(p.body, { r, pos, mark: '~' }) : { rest: trim(p.body) };
    if (p.mark === '=' && WEIGHT.test(str(w.rest.slice(0, 24)))) {
      r.warn(
        `"=${str(w.rest).slice(0, 24)}": Moodle reads no weight after "=", so this is a full-credit answer whose text starts with "%". Write "~%n%" for partial credit.`,
        pos,
      );
    }
    const f = splitFeedback(w.rest);
    const text = r.rich(f.text, 'answer', pos);
    r.feedbackOn(text, f.feedback);
    return {
      mark: p.mark,
      ...(w.weight !== undefined ? { weight: w.weight } : {}),
      text,
      pos,
      path: `options[${i}]`,
    };
  });
  for (const a of answers) {
    if (a.weight !== undefined && (a.weight < -100 || a.weight > 100)) {
      r.fail(`The weight ~%${a.weight}% is outside -100%..100%.`, a.pos, a.path);
    }
  }
  return answers;
}

const MARKER_AT_START = /^\[(html|markdown|plain|moodle)\]/i;

/** The fields of an assay comment that have a place in the question (options are placed apart). */
const META_FIELDS = ['difficulty', 'tags', 'timeHintSeconds', 'discrimination', 'difficultyParam'];

/**
 * What the GIFT and the Moodle XML readers share (see `Reader`): the draft's problems, warnings
 * and field positions, and options named by the assay comment.
 */
export abstract class DraftReader {
  abstract readonly format: MoodleFormat;
  abstract readonly d: Draft;
  abstract readonly meta: AssayMeta | undefined;

  /** Record a problem; returns undefined so that readers can `return r.fail(...)`. */
  fail(message: string, pos: Pos, path = ''): undefined {
    this.d.issues.push({
      path: `questions[${this.d.index}]${path ? `.${path}` : ''}`,
      message,
      ...pos,
    });
    return undefined;
  }

  unsupported(reason: string, pos: Pos): undefined {
    this.d.unsupported ??= { reason, pos };
    return undefined;
  }

  warn(message: string, pos: Pos): void {
    this.d.warnings.push({ message, ...pos });
  }

  at(path: string, pos: Pos): void {
    this.d.at.set(path, pos);
  }

  get failed(): boolean {
    return this.d.issues.length > 0 || this.d.unsupported !== undefined;
  }

  private compareAsked = false;

  /**
   * How the key this question reads compares a response. Without an assay comment the file is
   * Moodle's: as Moodle does (`moodle`). With one it is Assay's export: `compare=moodle` as
   * Moodle does, else Assay's own rule; an export from before `compare=` existed has the comment
   * but not the field, and its keys compared Assay's way, so they must go on doing so.
   */
  compareRule(): 'moodle' | undefined {
    this.compareAsked = true;
    if (!this.meta) return 'moodle';
    return this.meta.compare === 'moodle' ? 'moodle' : undefined;
  }

  private rightsAsked = false;

  /**
   * Whether the right-hand items of a matching question are plain text even in a markdown
   * question: Assay's export says `rights=plain` when it wrote them so.
   */
  rightsPlain(): boolean {
    this.rightsAsked = true;
    return this.meta?.rights === 'plain';
  }

  /**
   * A `compare=` or `rights=` in the assay comment of a type it does not apply to is an error
   * (not told when the question failed already: its reader may have stopped before asking).
   */
  checkCompare(): void {
    const meta = this.meta;
    if (!meta || this.failed) return;
    if (meta.compare !== undefined && !this.compareAsked) {
      this.fail(
        'compare= applies to short-answer and numerical questions only; remove it from the assay comment.',
        meta.keyPos.get('compare') ?? meta.pos,
        'answer',
      );
    }
    if (meta.rights !== undefined && !this.rightsAsked) {
      this.fail(
        'rights= applies to matching questions only; remove it from the assay comment.',
        meta.keyPos.get('rights') ?? meta.pos,
        'answer',
      );
    }
  }

  /** Where the assay comment's option ids are. */
  protected get optionsPos(): Pos | undefined {
    return this.meta ? (this.meta.keyPos.get('options') ?? this.meta.pos) : undefined;
  }

  /** Where the assay comment's fields come from: its line, or the line of each key. */
  locateMeta(): void {
    const meta = this.meta;
    if (!meta) return;
    for (const key of META_FIELDS) this.at(key, meta.keyPos.get(key) ?? meta.pos);
  }

  options(texts: { text: string; pos: Pos }[], defaults = defaultOptionId): Option[] | undefined {
    const ids = this.meta?.options;
    const pos = this.optionsPos;
    if (ids && ids.length !== texts.length) {
      const n = ids.length;
      return this.fail(
        `The assay comment names ${n} option id${n === 1 ? '' : 's'} but the question has ${texts.length} answers.`,
        pos!,
        'options',
      );
    }
    texts.forEach((t, i) => {
      this.at(`options[${i}]`, t.pos);
      this.at(`options[${i}].id`, ids ? pos! : t.pos);
    });
    return texts.map((t, i) => ({ id: ids?.[i] ?? defaults(i), text: t.text }));
  }
}

/**
 * The reading of one question: where each field comes from, its problems, the assay comment
 * and the feedback that becomes part of its explanation.
 */
export class GiftQuestion extends DraftReader implements Reader {
  readonly format = 'gift' as const;

  /** Why a GIFT numerical answer is no number (moodle-number.ts, loaded by the readers only). */
  notAGiftNumber(s: string): string {
    return notAGiftNumber(s);
  }

  readonly d: Draft;
  readonly feedbackLines: Feedback[] = [];
  /** Feedback for any other answer (numerical `~#...`); listed after the others. */
  otherFeedback?: Feedback;
  /** The question text's format (its `[html]`-style marker); answers and feedback inherit it. */
  textFormat?: TextFormat;
  private readonly lineStarts: number[] = [];
  private warnedHtml = false;

  constructor(
    readonly block: Block,
    readonly index: number,
  ) {
    super();
    const first = block.lines[0]!;
    this.d = {
      index,
      start: { line: first.no, column: first.text.search(/\S/) + 1 },
      at: new Map(),
      issues: [],
      warnings: [],
    };
    let o = 0;
    for (const l of block.lines) {
      this.lineStarts.push(o);
      o += l.text.length + 1;
    }
  }

  get meta(): AssayMeta | undefined {
    return this.block.assay;
  }

  get text(): string {
    return this.block.lines.map((l) => l.text).join('\n');
  }

  /** Line and column of the i-th character of `cs` (or of its last, or the question start). */
  posAt(cs: Chars, i = 0): Pos {
    const ch = cs[Math.min(i, cs.length - 1)];
    if (!ch) return this.d.start;
    let k = this.lineStarts.length - 1;
    while (k > 0 && this.lineStarts[k]! > ch.off) k--;
    return { line: this.block.lines[k]!.no, column: ch.off - this.lineStarts[k]! + 1 };
  }

  weight(percent: number, mark: '~' | '=' = '~'): string {
    return `${mark}%${percent}%`;
  }

  feedback(label: string, text: string | undefined): void {
    if (text !== undefined) this.feedbackLines.push({ label, text });
  }

  feedbackOn(label: string, cs: Chars | undefined): void {
    if (cs) this.feedback(label, this.rich(cs, 'feedback', this.posAt(cs)));
  }

  /**
   * A formatted text (an answer, feedback, a matching item) as Assay keeps it: its own format
   * marker or the question's; HTML becomes markdown. An image is refused in an answer (it is
   * part of what the candidate must read) and dropped with a note in feedback.
   */
  rich(cs: Chars, role: 'prompt' | 'answer' | 'feedback', pos: Pos): string {
    const t = trimStart(cs);
    const m = MARKER_AT_START.exec(str(t.slice(0, 12)));
    const format = this.formatOf(cs);
    const body = str(trim(m ? t.slice(m[0].length) : t));
    if (format === 'markdown') return body;
    if (format === undefined || format === 'plain') {
      // Moodle shows such a text as written (auto-format renders its HTML: a warning says so).
      if (format === undefined) this.noteHtml(body, pos);
      return plainToMarkdown(body);
    }
    const c = moodleText(body, format);
    this.converted(c, role, pos);
    return c.text;
  }

  /** The format of a text: its own marker (`[markdown]...`), else the question's. */
  formatOf(cs: Chars): TextFormat | undefined {
    const m = MARKER_AT_START.exec(str(trimStart(cs).slice(0, 12)));
    return m ? (m[1]!.toLowerCase() as TextFormat) : this.textFormat;
  }

  /** What a conversion from HTML reports: images (below) and approximations (a warning). */
  converted(c: Converted, role: 'prompt' | 'answer' | 'feedback', pos: Pos): void {
    if (c.problem) this.fail(`The ${ROLE_NAMES[role]} cannot be read: ${c.problem}.`, pos);
    this.images(c.images, role, pos);
    for (const note of c.notes ?? []) {
      this.warn(`The ${ROLE_NAMES[role]} had ${note}: check that it reads as intended.`, pos);
    }
  }

  /** Images found in a converted text: refused in a prompt or an answer, dropped in feedback. */
  images(images: string[], role: 'prompt' | 'answer' | 'feedback', pos: Pos): void {
    if (images.length === 0) return;
    const names = images.map((src) => `"${imageName(src)}"`).join(', ');
    if (role === 'feedback') {
      this.warn(
        `The image ${names} in feedback was left out: Assay keeps no files (a Moodle export refers to them as @@PLUGINFILE@@).`,
        pos,
      );
    } else {
      this.unsupported(
        `the ${role === 'prompt' ? 'question text' : 'answer'} shows the image ${names}, which Assay cannot keep (it stores no files; a Moodle export refers to them as @@PLUGINFILE@@)`,
        pos,
      );
    }
  }

  /** Unmarked text with HTML tags: Moodle would render them; say how to convert them. */
  noteHtml(text: string, pos: Pos): void {
    const tags = htmlTagsIn(text);
    if (tags.length === 0 || this.warnedHtml) return;
    this.warnedHtml = true;
    this.warn(
      `The text has HTML tags (${tags.slice(0, 3).join(' ')}) but no format marker: it is kept as written, tags and all. Start the question with [html] to turn the HTML into formatted text, as Moodle shows it.`,
      pos,
    );
  }

  /** Options from answer texts, with ids from the assay `options=` or a, b, c, ... */

  /** A type without options reports an `options=` in the assay comment. */
  noOptions(): void {
    if (this.meta?.options) {
      this.fail(
        'This question type has no options; remove options= from the assay comment.',
        this.optionsPos!,
        'options',
      );
    }
  }
}
