/**
 * Moodle GIFT import and export. A hand-written, line-oriented parser (see "GIFT" in
 * docs/question-format.md for why not gift-pegjs): questions are blocks of lines separated by
 * blank lines, and every problem is reported with the line and column it comes from. Lexing
 * and blocks are `gift-syntax.ts`; what an answer block means, and how a question is written,
 * belongs to its type (`gift` in each module of `question-types/`).
 */
import { type Bank, BankMeta, validateBank } from './bank.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import {
  type Block,
  type Draft,
  defaultOptionId,
  type Feedback,
  type GiftBlock,
  GiftQuestion,
  hasText,
  indexOfMark,
  isMark,
  moodleForm,
  type Pos,
  plain,
  readEscapes,
  slugify,
  splitBlocks,
  str,
  trim,
  trimEnd,
  trimStart,
  unmarked,
} from './gift-syntax.ts';
import { QUESTION_ID_PATTERN, validateQuestion } from './question.ts';
import { type AnyQuestionType, QUESTION_TYPE_LIST, typeOf } from './question-types/registry.ts';
import type { QuestionContent } from './question-types/type.ts';
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

function explanationOf(general: string | undefined, feedback: Feedback[]): string {
  const lines = feedback.filter((f) => f.text !== '').map((f) => `${f.label}: ${f.text}`);
  return [general, lines.join('\n')].filter((s) => s).join('\n\n');
}

/** The type that reads an answer block; no two types may claim one (a bug if they do). */
function readerOf(block: GiftBlock): AnyQuestionType | undefined {
  const claiming = QUESTION_TYPE_LIST.filter((t) => t.gift.read?.claims(block));
  if (claiming.length > 1) {
    throw new Error(`GIFT readers overlap: ${claiming.map((t) => t.id).join(', ')}`);
  }
  return claiming[0];
}

/**
 * Why no type reads an answer block: Moodle's name for it. Only forms no registered type
 * claims get here (an essay, an unreadable block; any other form once no type reads it).
 */
function unreadable(r: GiftQuestion, block: GiftBlock): undefined {
  switch (block.form) {
    case 'essay':
      return r.fail(
        'An empty answer block "{}" is an essay question, which Assay cannot grade.',
        block.pos,
      );
    case 'unknown':
      return r.fail(
        `Cannot read the answer block "${str(block.body).slice(0, 40)}": expected "=" / "~" answers, T or F, or "#" and a number.`,
        r.posAt(block.body),
        'answer',
      );
    default:
      return r.fail(`A Moodle ${block.form} question of a kind Assay cannot represent.`, block.pos);
  }
}

function parseQuestion(block: Block, index: number, opts: GiftOptions): Draft {
  const r = new GiftQuestion(block, index);
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
  const blockPos = r.posAt(cs, open);

  // General feedback: everything after the first unescaped `####`.
  let inner = cs.slice(open + 1, close);
  let general: string | undefined;
  const gf = inner.findIndex((_, i) => [0, 1, 2, 3].every((j) => isMark(inner[i + j], '#')));
  if (gf >= 0) {
    general = str(plain(inner.slice(gf + 4)));
    inner = inner.slice(0, gf);
  }
  const body = trim(inner);
  const block_: GiftBlock = {
    body,
    form: moodleForm(body),
    before: unmarked(cs.slice(0, open)),
    after: trimEnd(cs.slice(close + 1)),
    pos: blockPos,
  };
  const type = readerOf(block_);
  if (!type && hasText(block_.after)) {
    r.fail(
      'Text after the answer block: a missing-word (fill-in-the-blank) question, which Assay cannot represent; end the question with its answer block.',
      r.posAt(trimStart(block_.after)),
    );
    return d;
  }
  const promptCs = trim(block_.before);
  r.at('prompt', promptCs.length ? r.posAt(promptCs) : blockPos);
  for (const path of ['answer', 'options', 'explanation']) r.at(path, blockPos);
  if (gf >= 0) r.at('explanation', r.posAt(cs.slice(open + 1, close), gf));

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

  if (type && !type.withOptions) r.noOptions();
  const key = type ? type.gift.read!.read(r, block_) : unreadable(r, block_);
  if (!type || !key || r.d.issues.some((i) => !i.path.endsWith('.area'))) return d;
  d.raw = {
    id: undefined,
    area,
    type: type.id,
    difficulty: meta?.difficulty ?? opts.difficulty ?? 2,
    prompt: key.prompt ?? str(promptCs),
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

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** The `// assay:` comment line: metadata GIFT itself cannot express. */
function assayComment(q: QuestionContent, readBackIds: readonly string[] | undefined): string {
  const parts = [`difficulty=${q.difficulty}`, `tags=${q.tags.join(',')}`];
  const ids = (q.options ?? []).map((o) => o.id);
  const readBack = (i: number) => readBackIds?.[i] ?? defaultOptionId(i);
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
    const gift = typeOf(q.type).gift.write(q);
    if ('skip' in gift) {
      skipped.push({ id: q.id, type: q.type, reason: gift.skip });
      continue;
    }
    if (q.area !== area) {
      area = q.area;
      out.push(`$CATEGORY: ${area}`, '');
    }
    out.push(assayComment(q, gift.readBackIds), `::${q.id}::${gift.text}`, '');
  }
  return { text: out.join('\n'), skipped };
}
