/**
 * Moodle GIFT import and export. A hand-written, line-oriented parser (see "GIFT" in
 * docs/question-format.md for why not gift-pegjs): questions are blocks of lines separated by
 * blank lines, and every problem is reported with the line and column it comes from.
 */
import { type Bank, BankMeta, validateBank } from './bank.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { QUESTION_ID_PATTERN, validateQuestion } from './question.ts';
import { giftText } from './question-types/gift-text.ts';
import { typeOf } from './question-types/registry.ts';
import type { Option, QuestionContent } from './question-types/type.ts';
import { AREAS } from './taxonomy.ts';
import { issuesOf } from './z.ts';

export interface GiftOptions {
  /** Area of the questions that no `$CATEGORY:` line places. */
  area?: string;
  /** Difficulty of questions without an `// assay: difficulty=` comment (default 2). */
  difficulty?: 1 | 2 | 3;
  bankId?: string;
  bankTitle?: string;
}

export interface GiftExport {
  text: string;
  skipped: { id: string; type: string; reason: string }[];
}

interface Pos {
  line: number;
  column: number;
}

/** One character of a question after unescaping; `esc` marks a backslash-escaped one. */
interface Ch {
  c: string;
  esc: boolean;
  off: number;
}

type Chars = Ch[];

interface Feedback {
  label: string;
  text: string;
}

/** The metadata of an `// assay:` comment. */
interface AssayMeta {
  pos: Pos;
  keyPos: Map<string, Pos>;
  difficulty?: 1 | 2 | 3;
  tags?: string[];
  options?: string[];
  timeHintSeconds?: number;
  discrimination?: number;
  difficultyParam?: number;
}

interface Category {
  pos: Pos;
  area?: string;
}

interface Block {
  lines: { no: number; text: string }[];
  assay?: AssayMeta;
  category?: Category;
}

interface Draft {
  index: number;
  start: Pos;
  /** Where each field of the question comes from, by path relative to the question. */
  at: Map<string, Pos>;
  issues: FieldIssue[];
  title?: string;
  raw?: Record<string, unknown>;
}

const ASSAY_COMMENT = /^\s*\/\/\s*assay\s*:(.*)$/i;
const CATEGORY_LINE = /^\s*\$CATEGORY:(.*)$/;
const FORMAT_MARKER = /^\[(html|markdown|plain|moodle)\]/i;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WEIGHT = /^%(-?\d+(?:\.\d+)?)%/;
const ESCAPABLE = new Set([':', '~', '=', '#', '{', '}', '\\']);
const TRUE_FALSE = /^(?:t|true|f|false)$/i;

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/**
 * Parse a GIFT text into a bank. Every question goes through the same validation as a YAML
 * bank; any problem throws a ValidationError listing every issue with its line (and column).
 */
export function parseGift(text: string, opts: GiftOptions = {}): Bank {
  const issues: FieldIssue[] = [];
  const bank = {
    id: opts.bankId ?? 'gift-import',
    title: opts.bankTitle ?? 'GIFT import',
  };
  const meta = BankMeta.safeParse(bank);
  if (!meta.success) issues.push(...issuesOf(meta.error, 'bank'));

  const blocks = splitBlocks(text.replace(/^\uFEFF/, ''), issues);
  const drafts = blocks.map((b, index) => parseQuestion(b, index, opts));
  assignIds(drafts);

  const seen = new Map<string, number>();
  for (const d of drafts) {
    const questionId =
      (d.raw?.id as string | undefined) ??
      (d.title && QUESTION_ID_PATTERN.test(d.title) ? d.title : undefined);
    const where = { questionIndex: d.index, ...(questionId ? { questionId } : {}) };
    issues.push(...d.issues.map((i) => ({ ...i, ...where })));
    if (!d.raw) continue;
    const r = validateQuestion(d.raw, `questions[${d.index}]`);
    for (const i of r.issues) {
      if (d.raw.area === undefined && i.path === `questions[${d.index}].area`) continue; // reported
      issues.push({ ...i, ...locate(d, i.path), ...where });
    }
    if (questionId !== undefined) {
      const first = seen.get(questionId);
      if (first !== undefined) {
        issues.push({
          path: `questions[${d.index}].id`,
          message: `Duplicate question id "${questionId}" (first at questions[${first}]).`,
          ...locate(d, 'id'),
          ...where,
        });
      } else seen.set(questionId, d.index);
    }
  }
  if (drafts.length === 0) {
    issues.push({
      path: 'questions',
      message: 'The GIFT text contains no questions.',
      line: 1,
      column: 1,
    });
  }
  if (issues.length) throw giftError(issues);
  return validateBank({ bank, questions: drafts.map((d) => d.raw) }, (path) => {
    const m = /^questions\[(\d+)\]\.?(.*)$/.exec(path);
    const d = m ? drafts[Number(m[1])] : undefined;
    return d ? locate(d, m![2]!) : undefined;
  });
}

function giftError(issues: FieldIssue[]): ValidationError {
  const sorted = [...issues].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  const shown = sorted
    .slice(0, 3)
    .map((i) => `${i.line !== undefined ? `line ${i.line}` : i.path || '(body)'}: ${i.message}`)
    .join('; ');
  const n = sorted.length;
  return new ValidationError(
    sorted,
    `${n} problem${n === 1 ? '' : 's'} in the GIFT text: ${shown}${n > 3 ? '; ...' : ''}`,
  );
}

/** Line and column of a validation path (relative to the question), or of its nearest parent. */
function locate(d: Draft, path: string): Pos {
  let p = path.replace(/^questions\[\d+\]\.?/, '');
  for (;;) {
    const hit = d.at.get(p);
    if (hit) return hit;
    const shorter = p.replace(/(?:\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === p) return d.start;
    p = shorter;
  }
}

/**
 * Split the text into question blocks (runs of non-blank lines). Whole-line `//` comments are
 * dropped; an `// assay:` comment directly above a question belongs to it; `$CATEGORY:` lines
 * set the area of the questions after them. File-level problems go to `issues`.
 */
function splitBlocks(text: string, issues: FieldIssue[]): Block[] {
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let category: Category | undefined;
  let current: Block | undefined;
  let pendingAssay: AssayMeta | undefined;

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

  lines.forEach((line, i) => {
    const no = i + 1;
    if (line.trim() === '') {
      close();
      orphan();
      return;
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
      // A comment: dropped, but kept as an empty line inside a question so columns stay right.
      if (current) current.lines.push({ no, text: '' });
      return;
    }
    const cat = CATEGORY_LINE.exec(line);
    if (cat) {
      close();
      orphan();
      category = parseCategory(cat[1]!, no, line.length - cat[1]!.length, issues);
      return;
    }
    if (!current) {
      current = {
        lines: [],
        ...(pendingAssay ? { assay: pendingAssay } : {}),
        ...(category ? { category } : {}),
      };
      pendingAssay = undefined;
    }
    current.lines.push({ no, text: line });
  });
  close();
  orphan();
  return blocks;
}

const AREA_BY_NAME = new Map<string, string>(
  AREAS.flatMap((a) => [
    [a.id, a.id],
    [slugify(a.name), a.id],
  ]),
);

function parseCategory(
  value: string,
  line: number,
  offset: number,
  issues: FieldIssue[],
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
  if (last === undefined) {
    issues.push({ path: '', message: 'The $CATEGORY: line names no category.', ...pos });
    return { pos };
  }
  const area = AREA_BY_NAME.get(slugify(last));
  if (!area) {
    issues.push({
      path: '',
      message: `Category "${last}" is not an area; its last segment must be one of: ${AREAS.map((a) => a.id).join(', ')}.`,
      ...pos,
    });
    return { pos };
  }
  return { pos, area };
}

const ASSAY_KEYS = [
  'difficulty',
  'tags',
  'options',
  'timeHintSeconds',
  'discrimination',
  'difficultyParam',
];

function parseAssay(line: string, no: number, offset: number, issues: FieldIssue[]): AssayMeta {
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
function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Ids: a title that is an id stays; others are slugified (or `gift-<n>`), made unique. */
function assignIds(drafts: Draft[]): void {
  const explicit = new Set(
    drafts.filter((d) => d.title && QUESTION_ID_PATTERN.test(d.title)).map((d) => d.title!),
  );
  const used = new Set(explicit);
  for (const d of drafts) {
    if (!d.raw) continue;
    if (d.title && explicit.has(d.title)) {
      d.raw.id = d.title;
      continue;
    }
    let base = d.title ? slugify(d.title).slice(0, 64).replace(/-+$/, '') : '';
    if (!QUESTION_ID_PATTERN.test(base)) base = `gift-${d.index + 1}`;
    let id = base;
    for (let n = 2; used.has(id); n++)
      id = `${base.slice(0, 63 - String(n).length).replace(/-+$/, '')}-${n}`;
    used.add(id);
    d.raw.id = id;
  }
}

// --- one question ------------------------------------------------------------------------------

/** Unescape a question's text, keeping each character's offset for locations. */
function readEscapes(text: string): Chars {
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

const str = (cs: Chars) => cs.map((c) => c.c).join('');
const isSpace = (ch: Ch | undefined) => ch !== undefined && !ch.esc && /\s/.test(ch.c);
const isMark = (ch: Ch | undefined, c: string) => ch !== undefined && !ch.esc && ch.c === c;

function trim(cs: Chars): Chars {
  let a = 0;
  let b = cs.length;
  while (a < b && isSpace(cs[a])) a++;
  while (b > a && isSpace(cs[b - 1])) b--;
  return cs.slice(a, b);
}

/** Trimmed text without a leading `[html]`/`[markdown]`/`[plain]`/`[moodle]` marker. */
function plain(cs: Chars): Chars {
  const t = trim(cs);
  const m = FORMAT_MARKER.exec(str(t.slice(0, 12)));
  return m ? trim(t.slice(m[0].length)) : t;
}

function indexOfMark(cs: Chars, c: string, from = 0): number {
  for (let i = from; i < cs.length; i++) if (isMark(cs[i], c)) return i;
  return -1;
}

/** Split at every unescaped mark character; each part keeps the mark that starts it. */
function splitAt(cs: Chars, marks: string): { mark: string; body: Chars; at: number }[] {
  const parts: { mark: string; body: Chars; at: number }[] = [{ mark: '', body: [], at: 0 }];
  cs.forEach((ch, i) => {
    if (!ch.esc && marks.includes(ch.c)) parts.push({ mark: ch.c, body: [], at: i });
    else parts.at(-1)!.body.push(ch);
  });
  return parts;
}

/** `text#feedback` -> text and feedback (the first unescaped `#` separates them). */
function splitFeedback(cs: Chars): { text: Chars; feedback?: Chars } {
  const i = indexOfMark(cs, '#');
  return i < 0 ? { text: cs } : { text: cs.slice(0, i), feedback: cs.slice(i + 1) };
}

/** A leading `%50%` weight, if any, and the rest. */
function splitWeight(cs: Chars): { weight?: number; rest: Chars } {
  const t = trim(cs);
  const m = WEIGHT.exec(str(t.slice(0, 24)));
  return m ? { weight: Number(m[1]), rest: t.slice(m[0].length) } : { rest: t };
}

function explanationOf(general: string | undefined, feedback: Feedback[]): string {
  const lines = feedback.filter((f) => f.text !== '').map((f) => `${f.label}: ${f.text}`);
  return [general, lines.join('\n')].filter((s) => s).join('\n\n');
}

const defaultOptionId = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `o${i + 1}`);

/** What an answer block maps to. */
interface Key {
  type: 'single' | 'multi' | 'numeric' | 'text';
  options?: Option[];
  answer: unknown;
}

/** The state of reading one question: its locations, issues, metadata and feedback. */
class QuestionReader {
  readonly d: Draft;
  readonly feedback: Feedback[] = [];
  /** Feedback for "any other answer" of a numerical question; listed last. */
  otherFeedback?: Feedback;
  private readonly lineStarts: number[] = [];

  constructor(
    readonly block: Block,
    readonly index: number,
  ) {
    const first = block.lines[0]!;
    this.d = {
      index,
      start: { line: first.no, column: first.text.search(/\S/) + 1 },
      at: new Map(),
      issues: [],
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

  at(path: string, pos: Pos): void {
    this.d.at.set(path, pos);
  }

  /** Record a problem; returns undefined so that readers can `return r.fail(...)`. */
  fail(message: string, pos: Pos, path = ''): undefined {
    this.d.issues.push({
      path: `questions[${this.index}]${path ? `.${path}` : ''}`,
      message,
      ...pos,
    });
    return undefined;
  }

  get failed(): boolean {
    return this.d.issues.length > 0;
  }

  feedbackOn(label: string, cs: Chars | undefined): void {
    if (cs) this.feedback.push({ label, text: str(plain(cs)) });
  }

  private get optionsPos(): Pos | undefined {
    return this.meta ? (this.meta.keyPos.get('options') ?? this.meta.pos) : undefined;
  }

  /** Options from answer texts, with ids from the assay `options=` or a, b, c, ... */
  options(texts: { text: string; pos: Pos }[], defaults = defaultOptionId): Option[] | undefined {
    const ids = this.meta?.options;
    if (ids && ids.length !== texts.length) {
      const n = ids.length;
      return this.fail(
        `The assay comment names ${n} option id${n === 1 ? '' : 's'} but the question has ${texts.length} answers.`,
        this.optionsPos!,
        'options',
      );
    }
    texts.forEach((t, i) => {
      this.at(`options[${i}]`, t.pos);
      this.at(`options[${i}].id`, ids ? this.optionsPos! : t.pos);
    });
    return texts.map((t, i) => ({ id: ids?.[i] ?? defaults(i), text: t.text }));
  }

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

function parseQuestion(block: Block, index: number, opts: GiftOptions): Draft {
  const r = new QuestionReader(block, index);
  const { d } = r;
  let cs = trim(readEscapes(r.text));

  if (isMark(cs[0], ':') && isMark(cs[1], ':')) {
    let end = -1;
    for (let i = 2; i < cs.length - 1 && end < 0; i++)
      if (isMark(cs[i], ':') && isMark(cs[i + 1], ':')) end = i;
    if (end < 0) {
      r.fail('The title "::..." is not closed with "::".', r.posAt(cs), 'id');
      return d;
    }
    d.title = str(trim(cs.slice(2, end)));
    r.at('id', r.posAt(cs));
    cs = cs.slice(end + 2);
  }

  // The answer block: the first unescaped `{` up to the next unescaped `}`.
  const open = indexOfMark(cs, '{');
  const close = indexOfMark(cs, '}', open + 1);
  const nested = indexOfMark(cs, '{', open + 1);
  if (open < 0) {
    const stray = indexOfMark(cs, '}');
    if (stray >= 0)
      r.fail(
        'An unescaped "}" without an answer block "{...}"; write \\} for a literal brace.',
        r.posAt(cs, stray),
      );
    else
      r.fail(
        'No answer block "{...}": a description (text without a question), which Assay cannot import.',
        d.start,
      );
    return d;
  }
  if (close < 0) {
    r.fail(
      'The answer block "{" is not closed with "}" before the blank line that ends the question.',
      r.posAt(cs, open),
    );
    return d;
  }
  if (nested >= 0 && nested < close) {
    r.fail(
      'An unescaped "{" inside an answer block; write \\{ for a literal brace.',
      r.posAt(cs, nested),
    );
    return d;
  }
  const after = trim(cs.slice(close + 1));
  if (after.length) {
    r.fail(
      'Text after the answer block: a missing-word (fill-in-the-blank) question, which Assay cannot represent; end the question with its answer block.',
      r.posAt(after),
    );
    return d;
  }
  const promptCs = plain(cs.slice(0, open));
  const blockPos = r.posAt(cs, open);
  r.at('prompt', promptCs.length ? r.posAt(promptCs) : blockPos);
  for (const path of ['answer', 'options', 'explanation']) r.at(path, blockPos);

  // General feedback: everything after the first unescaped `####`.
  let inner = cs.slice(open + 1, close);
  let general: string | undefined;
  const gf = inner.findIndex((_, i) => [0, 1, 2, 3].every((j) => isMark(inner[i + j], '#')));
  if (gf >= 0) {
    r.at('explanation', r.posAt(inner, gf));
    general = str(plain(inner.slice(gf + 4)));
    inner = inner.slice(0, gf);
  }
  const body = trim(inner);

  const area = block.category ? block.category.area : opts.area;
  if (block.category) r.at('area', block.category.pos);
  else if (area === undefined) {
    r.fail(
      'No area for this question: put a "$CATEGORY: <area>" line above it (or pass an area with the upload).',
      d.start,
      'area',
    );
  }
  const meta = block.assay;
  if (meta) {
    for (const key of [
      'difficulty',
      'tags',
      'timeHintSeconds',
      'discrimination',
      'difficultyParam',
    ]) {
      r.at(key, meta.keyPos.get(key) ?? meta.pos);
    }
  }

  const key = readKey(r, body, blockPos);
  if (!key || r.d.issues.some((i) => !i.path.endsWith('.area'))) return d;
  d.raw = {
    id: undefined,
    area,
    type: key.type,
    difficulty: meta?.difficulty ?? opts.difficulty ?? 2,
    prompt: str(promptCs),
    ...(key.options ? { options: key.options } : {}),
    answer: key.answer,
    explanation: explanationOf(general, [
      ...r.feedback,
      ...(r.otherFeedback ? [r.otherFeedback] : []),
    ]),
    tags: meta?.tags ?? [area ?? 'imported'],
    ...(meta?.timeHintSeconds !== undefined ? { timeHintSeconds: meta.timeHintSeconds } : {}),
    ...(meta?.discrimination !== undefined ? { discrimination: meta.discrimination } : {}),
    ...(meta?.difficultyParam !== undefined ? { difficultyParam: meta.difficultyParam } : {}),
  };
  return d;
}

/** Classify the answer block as Moodle does, and read it. */
function readKey(r: QuestionReader, body: Chars, blockPos: Pos): Key | undefined {
  if (body.length === 0) {
    return r.fail(
      'An empty answer block "{}" is an essay question, which Assay cannot grade.',
      blockPos,
    );
  }
  if (isMark(body[0], '#')) return readNumerical(r, body.slice(1), blockPos);
  if (indexOfMark(body, '~') >= 0) return readChoice(r, body, blockPos);
  if (indexOfMark(body, '=') >= 0 && str(body).includes('->')) {
    return r.fail('A matching question ("=... -> ..."), which Assay cannot represent.', blockPos);
  }
  if (indexOfMark(body, '=') >= 0) return readShortAnswer(r, body);
  return readTrueFalse(r, body);
}

/** `{=key ~wrong ...}` is single; `{~%50%a ~%50%b ~%-100%c}` (no `=`) is multi. */
function readChoice(r: QuestionReader, body: Chars, blockPos: Pos): Key | undefined {
  const parts = splitAt(body, '~=');
  if (trim(parts[0]!.body).length) {
    return r.fail('Text before the first "~" or "=" answer.', r.posAt(parts[0]!.body));
  }
  const answers = parts.slice(1).map((p, i) => {
    const w = splitWeight(p.body);
    const f = splitFeedback(w.rest);
    const text = str(plain(f.text));
    r.feedbackOn(text, f.feedback);
    return {
      mark: p.mark,
      weight: w.weight,
      text,
      pos: r.posAt(body, p.at),
      path: `options[${i}]`,
    };
  });
  for (const a of answers) {
    if (a.weight !== undefined && (a.weight < -100 || a.weight > 100)) {
      r.fail(`The weight ${a.weight}% is outside -100%..100%.`, a.pos, a.path);
    }
  }
  const keys = answers.filter((a) => a.mark === '=');
  if (keys.length > 1) {
    return r.fail(
      `${keys.length} answers are marked "="; a single-choice question has one key. Weight several correct answers instead: "~%50%".`,
      keys[1]!.pos,
      'answer',
    );
  }
  if (keys.length === 1) {
    for (const a of answers) {
      if (a.mark === '=' && a.weight !== undefined && a.weight !== 100) {
        r.fail(
          `The "=" answer is worth ${a.weight}%; a single-choice key is worth 100%.`,
          a.pos,
          a.path,
        );
      } else if (a.mark === '~' && a.weight !== undefined && a.weight !== 0) {
        r.fail(
          `Partial credit (${a.weight}%) beside a "=" answer cannot be represented: a single-choice question scores only its key. Drop the weight, or weight every answer ("~%n%") for a multi question.`,
          a.pos,
          a.path,
        );
      }
    }
    const options = r.options(answers);
    r.at('answer', keys[0]!.pos);
    return options && { type: 'single', options, answer: options[answers.indexOf(keys[0]!)]!.id };
  }
  const correct = answers.flatMap((a, i) => ((a.weight ?? 0) > 0 ? [i] : []));
  if (correct.length === 0) {
    r.fail(
      'No answer has a positive weight ("~%50%..."), so no answer is correct.',
      blockPos,
      'answer',
    );
  }
  correct.forEach((i, n) => {
    r.at(`answer[${n}]`, answers[i]!.pos);
  });
  const options = r.options(answers);
  return options && { type: 'multi', options, answer: correct.map((i) => options[i]!.id) };
}

/** `{=a =b}`: every answer accepted, none partially. */
function readShortAnswer(r: QuestionReader, body: Chars): Key | undefined {
  r.noOptions();
  const parts = splitAt(body, '=');
  if (trim(parts[0]!.body).length) {
    return r.fail(
      'Text before the first "=" answer of a short-answer question.',
      r.posAt(parts[0]!.body),
    );
  }
  const answer = parts.slice(1).map((p, i) => {
    const pos = r.posAt(body, p.at);
    r.at(`answer[${i}]`, pos);
    const w = splitWeight(p.body);
    if (w.weight !== undefined && w.weight !== 100) {
      r.fail(
        `Partial credit (${w.weight}%) for a short answer cannot be represented: every accepted answer scores 1.`,
        pos,
        `answer[${i}]`,
      );
    }
    const f = splitFeedback(w.rest);
    const text = str(plain(f.text));
    r.feedbackOn(text, f.feedback);
    return text;
  });
  return { type: 'text', answer };
}

/** `{T}`, `{FALSE#feedback if wrong#feedback if right}`: a single with options true/false. */
function readTrueFalse(r: QuestionReader, body: Chars): Key | undefined {
  const parts = splitAt(body, '#');
  const head = str(trim(parts[0]!.body));
  if (!TRUE_FALSE.test(head)) {
    return r.fail(
      `Cannot read the answer block "${str(body).slice(0, 40)}": expected "=" / "~" answers, T or F, or "#" and a number.`,
      r.posAt(body),
      'answer',
    );
  }
  if (parts.length > 3) {
    return r.fail(
      'A true/false answer takes at most two feedbacks: {T#if wrong#if right}.',
      r.posAt(body, parts[3]!.at),
    );
  }
  const isTrue = /^t/i.test(head);
  const pos = r.posAt(body);
  const options = r.options(
    [
      { text: 'True', pos },
      { text: 'False', pos },
    ],
    (i) => (i === 0 ? 'true' : 'false'),
  );
  const [wrong, right] = [parts[1]?.body, parts[2]?.body];
  r.feedbackOn('True', isTrue ? right : wrong);
  r.feedbackOn('False', isTrue ? wrong : right);
  return options && { type: 'single', options, answer: options[isTrue ? 0 : 1]!.id };
}

/**
 * `{#3.14:0.01}`, `{#1..5}`, `{#3}`, or several answers `{#=1.5:0.1 =%50%1.5:0.5 ~#feedback}`
 * of which the one worth 100% is the key.
 */
function readNumerical(r: QuestionReader, body: Chars, blockPos: Pos): Key | undefined {
  r.noOptions();
  const tilde = indexOfMark(body, '~');
  if (tilde >= 0) {
    const other = splitFeedback(body.slice(tilde + 1));
    if (trim(other.text).length) {
      return r.fail(
        'A "~" answer with a value in a numerical question is not supported; only "~#feedback" for any other answer is.',
        r.posAt(body, tilde),
        'answer',
      );
    }
    if (other.feedback)
      r.otherFeedback = { label: 'Any other answer', text: str(plain(other.feedback)) };
    body = body.slice(0, tilde);
  }
  const answers: { value: number; tolerance: number; weight: number; pos: Pos }[] = [];
  const read = (cs: Chars, weight: number): void => {
    const f = splitFeedback(cs);
    const t = trim(f.text);
    const pos = r.posAt(t.length ? t : cs);
    const s = str(t);
    r.feedbackOn(s, f.feedback);
    const n = numericAnswer(s);
    if (typeof n === 'string') r.fail(n, pos, 'answer');
    else answers.push({ ...n, weight, pos });
  };
  if (indexOfMark(body, '=') >= 0) {
    const parts = splitAt(body, '=');
    if (trim(parts[0]!.body).length) {
      return r.fail(
        'Text before the first "=" answer of a numerical question.',
        r.posAt(parts[0]!.body),
        'answer',
      );
    }
    for (const p of parts.slice(1)) {
      const w = splitWeight(p.body);
      read(w.rest, w.weight ?? 100);
    }
  } else {
    read(body, 100);
  }
  if (r.failed) return undefined;
  const full = answers.filter((a) => a.weight === 100);
  if (full.length !== 1) {
    return r.fail(
      full.length === 0
        ? 'A numerical question needs one answer worth 100%.'
        : `A numerical question has one key, but ${full.length} answers are worth 100% (lines ${full.map((a) => a.pos.line).join(', ')}).`,
      blockPos,
      'answer',
    );
  }
  r.at('answer', full[0]!.pos);
  return { type: 'numeric', answer: { value: full[0]!.value, tolerance: full[0]!.tolerance } };
}

/** `3.14:0.01`, `1..5` or `3` as value and tolerance; a message when it is none of them. */
function numericAnswer(s: string): { value: number; tolerance: number } | string {
  const range = /^(.*?)\.\.(.*)$/.exec(s);
  if (range && NUMBER.test(range[1]!.trim()) && NUMBER.test(range[2]!.trim())) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) return `The range ${s} runs backwards; write the lower bound first.`;
    return { value: (lo + hi) / 2, tolerance: (hi - lo) / 2 };
  }
  const pair = /^([^:]*):(.*)$/.exec(s);
  if (pair && NUMBER.test(pair[1]!.trim()) && NUMBER.test(pair[2]!.trim())) {
    return { value: Number(pair[1]), tolerance: Number(pair[2]) };
  }
  if (NUMBER.test(s)) return { value: Number(s), tolerance: 0 };
  return `"${s}" is not a number, "value:tolerance" or "low..high".`;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

const SKIP_REASONS: Partial<Record<string, string>> = {
  order:
    'GIFT has no ordering question (Moodle ordering is a plugin without GIFT syntax); export the bank as YAML to keep it.',
  sjt: 'Situational-judgement weights would become Moodle grades with a different meaning; GIFT cannot express an sjt question.',
  text: 'An accepted answer contains "->", which GIFT reads as a matching question and cannot escape.',
};

/** The `// assay:` comment line: metadata GIFT itself cannot express. */
function assayComment(q: QuestionContent): string {
  const parts = [`difficulty=${q.difficulty}`, `tags=${q.tags.join(',')}`];
  const ids = (q.options ?? []).map((o) => o.id);
  // True/false options read back with ids true and false; any other choice with a, b, c, ...
  const trueFalse = q.options?.map((o) => o.text).join() === 'True,False';
  const readBack = (i: number) => (trueFalse ? ['true', 'false'][i] : defaultOptionId(i));
  if (ids.some((id, i) => id !== readBack(i))) parts.push(`options=${ids.join(',')}`);
  if (q.timeHintSeconds !== undefined) parts.push(`timeHintSeconds=${q.timeHintSeconds}`);
  if (q.discrimination !== undefined) parts.push(`discrimination=${q.discrimination}`);
  if (q.difficultyParam !== undefined) parts.push(`difficultyParam=${q.difficultyParam}`);
  return `// assay: ${parts.join(' ')}`;
}

/**
 * GIFT text for every question whose type GIFT can express, grouped under `$CATEGORY: <area>`
 * lines; the others are listed in `skipped` with the reason.
 */
export function toGift(bank: Bank): GiftExport {
  const out: string[] = [
    `// Assay bank ${bank.bank.id}: ${bank.bank.title.replace(/\s+/g, ' ')}`,
    '',
  ];
  const skipped: GiftExport['skipped'] = [];
  let area: string | undefined;
  for (const q of bank.questions) {
    const gift = typeOf(q.type).toGift?.(q as QuestionContent & { answer: unknown });
    if (gift === undefined) {
      skipped.push({
        id: q.id,
        type: q.type,
        reason: SKIP_REASONS[q.type] ?? `GIFT cannot express a ${q.type} question.`,
      });
      continue;
    }
    if (q.area !== area) {
      area = q.area;
      out.push(`$CATEGORY: ${area}`, '');
    }
    out.push(assayComment(q), `::${q.id}::${giftText(q.prompt)}${gift}`, '');
  }
  return { text: out.join('\n'), skipped };
}
