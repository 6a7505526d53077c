/**
 * Reading a GIFT text into drafts (one per question, with every problem located): the side of
 * GIFT import that only GIFT uploads need, loaded by them through the side entry
 * `#side/moodle-readers` (moodle-readers.ts). A hand-written, line-oriented parser (see "Why a
 * hand-written parser" in docs/question-format.md for why not gift-pegjs): questions are blocks
 * of lines separated by blank lines. Lexing and blocks are `gift-syntax.ts`; what an answer
 * block means belongs to its type (`gift.read` in each module of `question-types/`, handed in
 * as `types`: the caller's registry); putting the drafts together into a bank (ids, skipped
 * questions, warnings, validation) is `importDrafts` in `moodle-import.ts`, shared with Moodle
 * XML.
 */

import type { Notice } from './bank-import.ts';
import type { FieldIssue } from './errors.ts';
import {
  type Block,
  type Chars,
  type Feedback,
  type GiftBlock,
  GiftQuestion,
  hasText,
  isMark,
  moodleForm,
  readEscapes,
  splitBlocks,
  str,
  trim,
  trimEnd,
  trimStart,
} from './gift-syntax.ts';
import { moodleText, plainToMarkdown, type TextFormat } from './html-text.ts';
import { type Draft, MOODLE_BLANK, type MoodleReader, UNSUPPORTED_MOODLE_TYPES } from './moodle.ts';
import type { ImportOptions } from './moodle-import.ts';
import type { AnyQuestionType } from './question-types/registry.ts';
import { kilobytes, MAX_MOODLE_TEXT_CHARS } from './upload-limits.ts';

/**
 * The drafts of a GIFT text, with the problems and notes of the file itself (categories,
 * blocks); `types` claim the answer blocks.
 */
export const giftDrafts: MoodleReader = (text, opts, types) => {
  const issues: FieldIssue[] = [];
  const notes: Notice[] = [];
  const blocks = splitBlocks(text.replace(/^\uFEFF/, ''), issues, notes, opts.area);
  if (!Array.isArray(blocks)) return { fatal: [blocks.fatal] };
  const drafts = blocks.map((b, index) => parseQuestion(b, index, opts, types));
  return { drafts, issues, notes };
};

const MARKER = /^\[(html|markdown|plain|moodle)\]/i;

/** Where the prompt had its answer block, while the prompt is converted. */
const BLOCK_TOKEN = 'Zq9BLANKq9Z';

/** Moodle's `[id:...]` and `[tag:...]` in the comments of a question (one line each at most). */
const ID_TOKEN = /\[id:((?:\\\]|[^\]\p{Cc}])+)\]/u;
const TAG_TOKEN = /\[tag:((?:\\\]|[^\]<>`\p{Cc}])+)\]/gu;

function readComments(r: GiftQuestion): void {
  for (const c of r.block.comments) {
    const pos = { line: c.no, column: c.text.search(/\S/) + 1 };
    const id = ID_TOKEN.exec(c.text);
    if (id && !r.d.authorId) {
      r.d.authorId = { raw: id[1]!.replace(/\\\]/g, ']').trim(), pos };
      r.at('id', { line: c.no, column: id.index + 1 });
    }
    const tags = [...c.text.matchAll(TAG_TOKEN)].map((m) => m[1]!.replace(/\\\]/g, ']').trim());
    if (tags.length) {
      r.d.tags = { raw: [...(r.d.tags?.raw ?? []), ...tags], pos: r.d.tags?.pos ?? pos };
    }
  }
}

function explanationOf(general: string | undefined, feedback: Feedback[]): string {
  const lines = feedback.filter((f) => f.text !== '').map((f) => `${f.label}: ${f.text}`);
  return [general, lines.join('\n')].filter((s) => s).join('\n\n');
}

/** The type that reads an answer block; no two types may claim one (a bug if they do). */
function readerOf(
  block: GiftBlock,
  types: readonly AnyQuestionType[],
): AnyQuestionType | undefined {
  const claiming = types.filter((t) => t.gift.read?.claims(block));
  if (claiming.length > 1) {
    throw new Error(`GIFT readers overlap: ${claiming.map((t) => t.id).join(', ')}`);
  }
  return claiming[0];
}

/** Why no type reads an answer block: Moodle's name for it. */
function unreadable(r: GiftQuestion, block: GiftBlock): undefined {
  if (block.form === 'essay') {
    return r.unsupported(
      `an empty answer block "{}" is an essay question: ${UNSUPPORTED_MOODLE_TYPES.essay}`,
      block.pos,
    );
  }
  return r.unsupported(
    hasText(block.after)
      ? `text after the answer block makes a missing word of a ${block.form} question, which Assay reads only for choices ("{=right ~wrong}")`
      : `a Moodle ${block.form} question of a kind Assay cannot represent`,
    block.pos,
  );
}

/** Unescaped marks of `c` in a question's characters. */
const marksOf = (cs: Chars, c: string) => cs.flatMap((ch, i) => (isMark(ch, c) ? [i] : []));

/**
 * The answer block: the first unescaped `{` and the `}` after it. More than one block, or a
 * brace without its partner, is reported in the author's terms: a missing blank line between
 * two questions, or a literal brace to escape.
 */
function findBlock(r: GiftQuestion, cs: Chars): { open: number; close: number } | undefined {
  const opens = marksOf(cs, '{');
  const closes = marksOf(cs, '}');
  if (opens.length === 0) {
    if (closes.length) {
      return r.fail(
        'An unescaped "}" without an answer block "{...}"; write \\} for a literal brace.',
        r.posAt(cs, closes[0]),
      );
    }
    return r.unsupported(
      `there is no answer block "{...}": ${UNSUPPORTED_MOODLE_TYPES.description}`,
      r.d.start,
    );
  }
  const open = opens[0]!;
  const close = closes.find((c) => c > open);
  if (close === undefined) {
    return r.fail(
      'The answer block "{" is not closed with "}" before the blank line that ends the question (a literal brace is written \\{).',
      r.posAt(cs, open),
    );
  }
  const second = opens[1];
  if (second !== undefined && second < close) {
    return r.fail(
      'An unescaped "{" inside the answer block; write \\{ for a literal brace.',
      r.posAt(cs, second),
    );
  }
  if (second !== undefined) {
    const closed = r.posAt(cs, close);
    const next = r.posAt(cs, second);
    if (next.line > closed.line) {
      return r.fail(
        `A second answer block starts on line ${next.line}, after the block that ends on line ${closed.line}: put a blank line between two questions (a literal brace in the text is written \\{).`,
        { line: next.line, column: 1 },
      );
    }
    return r.fail(
      'Two "{" on the question\'s line: GIFT reads the first "{" as the start of the answers. Write \\{ (and \\}) for a brace in the question text.',
      r.posAt(cs, open),
    );
  }
  const stray = closes.find((c) => c > close);
  if (stray !== undefined) {
    return r.fail(
      'An unescaped "}" after the answer block; write \\} for a literal brace.',
      r.posAt(cs, stray),
    );
  }
  return { open, close };
}

/** The last `####` of the block (as Moodle finds it): the general feedback follows it. */
function generalFeedbackAt(inner: Chars): number {
  for (let i = inner.length - 4; i >= 0; i--) {
    if ([0, 1, 2, 3].every((j) => isMark(inner[i + j], '#'))) return i;
  }
  return -1;
}

function parseQuestion(
  block: Block,
  index: number,
  opts: ImportOptions,
  types: readonly AnyQuestionType[],
): Draft {
  const r = new GiftQuestion(block, index);
  const { d } = r;
  readComments(r);
  if (r.text.length > MAX_MOODLE_TEXT_CHARS) {
    r.fail(
      `This question is ${kilobytes(r.text.length)} long; Assay reads a question of at most ${kilobytes(MAX_MOODLE_TEXT_CHARS)} (once read, its text holds at most 4,000 characters and each answer 1,000): shorten it, or check for a missing blank line between questions or an image embedded as "data:" (Assay keeps no images).`,
      d.start,
    );
    return d;
  }
  let cs = trim(readEscapes(r.text));

  if (isMark(cs[0], ':') && isMark(cs[1], ':')) {
    let end = -1;
    for (let i = 2; i < cs.length - 1 && end < 0; i++)
      if (isMark(cs[i], ':') && isMark(cs[i + 1], ':')) end = i;
    if (end < 0) {
      r.fail(
        'The title "::..." is not closed with "::" (a literal colon is written \\:).',
        r.posAt(cs),
        'id',
      );
      return d;
    }
    const title = str(trim(cs.slice(2, end))).replace(/\s+/g, ' ');
    if (title) d.title = title;
    if (!d.authorId) r.at('id', r.posAt(cs));
    r.at('title', r.posAt(cs));
    cs = trimStart(cs.slice(end + 2));
  }

  const found = findBlock(r, cs);
  if (!found) return d;
  const { open, close } = found;
  const blockPos = r.posAt(cs, open);

  // The prompt's format marker: answers and feedback without their own take the prompt's.
  const marker = MARKER.exec(str(cs.slice(0, 12)));
  if (marker) {
    r.textFormat = marker[1]!.toLowerCase() as TextFormat;
    cs = cs.slice(marker[0].length);
  }
  const shift = marker ? marker[0].length : 0;
  const o = open - shift;
  const c = close - shift;

  let inner = cs.slice(o + 1, c);
  let general: string | undefined;
  const gf = generalFeedbackAt(inner);
  const gfPos = gf >= 0 ? r.posAt(inner, gf) : undefined;
  if (gf >= 0) {
    general = r.rich(inner.slice(gf + 4), 'feedback', r.posAt(inner, gf));
    inner = inner.slice(0, gf);
    d.generalFeedback = general !== '';
  }
  const body = trim(inner);
  const block_: GiftBlock = {
    body,
    form: moodleForm(body),
    before: cs.slice(0, o),
    after: trimEnd(cs.slice(c + 1)),
    pos: blockPos,
  };
  const type = readerOf(block_, types);
  const promptCs = trim(block_.before);
  r.at('prompt', promptCs.length ? r.posAt(promptCs) : blockPos);
  for (const path of ['answer', 'options', 'explanation']) r.at(path, blockPos);
  if (gfPos) r.at('explanation', gfPos);

  const area = block.category ? block.category.area : opts.area;
  if (block.category) r.at('area', block.category.pos);
  else if (area === undefined) {
    r.fail(
      'No area for this question: put a "$CATEGORY: <area>" line above it, or upload with ?area=<area> (assay --area <area>; in the console, the Area under "For Moodle files").',
      d.start,
      'area',
    );
  }
  const meta = block.assay;
  r.locateMeta();

  if (type && !type.withOptions) r.noOptions();
  const key = type ? type.gift.read!.read(r, block_) : unreadable(r, block_);
  if (type) r.checkCompare();
  const prompt = promptOf(r, block_, type?.gift.read?.blank);
  if (!type || !key || r.failed || prompt === undefined) return d;
  d.raw = {
    id: undefined,
    area,
    type: type.id,
    difficulty: meta?.difficulty ?? opts.difficulty ?? 2,
    prompt: key.prompt ?? prompt,
    ...(key.options ? { options: key.options } : {}),
    answer: key.answer,
    explanation: explanationOf(general, [
      ...r.feedbackLines,
      ...(r.otherFeedback ? [r.otherFeedback] : []),
    ]),
    ...(meta?.tags ? { tags: meta.tags } : {}),
    ...(meta?.timeHintSeconds !== undefined ? { timeHintSeconds: meta.timeHintSeconds } : {}),
    ...(meta?.discrimination !== undefined ? { discrimination: meta.discrimination } : {}),
    ...(meta?.difficultyParam !== undefined ? { difficultyParam: meta.difficultyParam } : {}),
  };
  return d;
}

/**
 * The question text: the text before the block and, when text follows the block, the blank
 * where the block was (five underscores, as Moodle shows it, or the type's own marker) and the
 * text after; converted as one text when it is HTML, so that markup around the blank stays
 * whole. Undefined when an image makes the question unsupported.
 */
function promptOf(r: GiftQuestion, b: GiftBlock, blank = MOODLE_BLANK): string | undefined {
  const before = str(b.before);
  const after = hasText(b.after) ? str(b.after) : '';
  const withBlank = after ? `${before}${BLOCK_TOKEN}${after}` : before;
  const pos = r.d.at.get('prompt') ?? r.d.start;
  let text: string;
  if (r.textFormat === 'html' || r.textFormat === 'moodle') {
    const c = moodleText(withBlank, r.textFormat);
    r.converted(c, 'prompt', pos);
    text = c.text;
  } else if (r.textFormat === 'markdown') {
    text = withBlank.trim();
  } else {
    // Moodle shows a plain or unmarked (auto-format) text as written; so must the markdown.
    if (r.textFormat === undefined) r.noteHtml(withBlank, pos);
    text = plainToMarkdown(withBlank);
  }
  if (r.d.unsupported) return undefined;
  return text.replace(BLOCK_TOKEN, blank);
}
