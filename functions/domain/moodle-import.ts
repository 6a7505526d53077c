/**
 * The questions read from a Moodle file (GIFT or XML) put together into a bank: ids that stay
 * the same across uploads, tags and titles, what is skipped on request, the warnings, and one
 * validation of everything with every problem located. See "Moodle banks" in
 * docs/question-format.md.
 */

import { BankMeta, bankOf } from './bank.ts';
import type { BankImport, Notice, QuestionOrigin, SkippedQuestion } from './bank-import.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import type { Draft, MoodleDrafts, MoodleFormat, Pos } from './moodle.ts';
import { type QuestionContent, validateQuestion } from './question.ts';
import { authorId, idFromContent, idFromTitle, tagOf } from './question-ids.ts';
import { issuesOf } from './z.ts';

export interface ImportOptions {
  /** Area of the questions that no category places. */
  area?: string;
  /** Difficulty of questions that do not say (default 2). */
  difficulty?: 1 | 2 | 3;
  bankId?: string;
  bankTitle?: string;
  /** Import what Assay can represent and list the rest in `skipped`, instead of refusing. */
  skipUnsupported?: boolean;
}

const GENERAL_FEEDBACK: Record<MoodleFormat, string> = {
  gift: 'no general feedback (`####`)',
  xml: 'no general feedback (`<generalfeedback>`)',
};

const ID_SYNTAX: Record<MoodleFormat, string> = {
  gift: 'a "// [id:...]" comment',
  xml: 'an <idnumber>',
};

const NAME_SYNTAX: Record<MoodleFormat, string> = {
  gift: '::title::',
  xml: '<name>',
};

/** Line and column of a validation path (relative to the question), or of its nearest parent. */
export function locate(d: Draft, path: string): Pos {
  let p = path.replace(/^questions\[\d+\]\.?/, '');
  for (;;) {
    const hit = d.at.get(p);
    if (hit) return hit;
    const shorter = p.replace(/(?:\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === p) return d.start;
    p = shorter;
  }
}

/** Every problem of a file, sorted by line, in one error whose message shows the first few. */
export function fileError(issues: FieldIssue[], what: string): ValidationError {
  const sorted = [...issues].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  const shown = sorted
    .slice(0, 3)
    .map(
      (i) =>
        `${i.line !== undefined ? `line ${i.line}` : i.path || '(body)'}${i.title ? ` (${i.title})` : ''}: ${i.message}`,
    )
    .join('; ');
  const n = sorted.length;
  return new ValidationError(
    sorted,
    `${n} problem${n === 1 ? '' : 's'} in the ${what}: ${shown}${n > 3 ? '; ...' : ''}`,
  );
}

/**
 * A validation message of a field Moodle names differently, in Moodle's terms: Assay's minimum
 * lengths are its own rules, so the message says which text is short and what to do.
 */
function inMoodleTerms(
  field: string,
  message: string,
  format: MoodleFormat,
  value: unknown,
): string {
  if (field === '.answer.pairs' && message === 'Give 2-10 pairs.') {
    return `A matching question needs 2 to 10 pairs, each ${format === 'xml' ? 'a <subquestion> with text and an <answer>' : '"=left -> right"'}.`;
  }
  // The length messages of domain/z.ts: "Must be 10 to 4000 characters.", "Must not be empty."
  const bounds = /^Must (?:be (\d+) to \d+|be at least (\d+)|not be empty)/.exec(message);
  const least = Number(bounds?.[1] ?? bounds?.[2] ?? 1);
  if (!bounds || typeof value !== 'string' || value.length >= least) return message;
  if (field === '.prompt') {
    return `The question text is shorter than ${least} characters, the least Assay accepts: write the question out in full${format === 'xml' ? ' in <questiontext>' : ' before the answer block "{"'}.`;
  }
  if (field === '.title') return `The ${NAME_SYNTAX[format]} is empty: give the question a name.`;
  return message;
}

/** The id of a draft and where it came from; problems with an author's id go to the draft. */
function idOf(d: Draft, format: MoodleFormat): QuestionOrigin | undefined {
  const raw = d.raw!;
  const line = d.start.line;
  const title = d.title;
  if (d.authorId) {
    const id = authorId(d.authorId.raw);
    if ('error' in id) {
      // Moodle's idnumbers are free text ("Q1", "T & F"): the id is derived from it, stable
      // across uploads, and, being derived, may not take over another bank's question.
      const derived = idFromTitle(d.authorId.raw);
      d.warnings.push({
        message: `The id "${d.authorId.raw}" (${ID_SYNTAX[format]}) is no Assay id (3-64 lower-case letters, digits and hyphens): the question is stored as "${derived}", which it keeps when the file is uploaded again.`,
        ...d.authorId.pos,
      });
      return { id: derived, idFrom: 'id-text', line, ...(title ? { title } : {}) };
    }
    if (id.lowered) {
      d.warnings.push({
        message: `The id "${d.authorId.raw}" is stored as "${id.id}": Assay ids are lower case.`,
        ...d.authorId.pos,
      });
    }
    const written =
      format === 'gift' ? `[id:${d.authorId.raw}]` : `<idnumber>${d.authorId.raw}</idnumber>`;
    return { id: id.id, idFrom: 'moodle-id', written, line, ...(title ? { title } : {}) };
  }
  if (title) return { id: idFromTitle(title), idFrom: 'title', line, title };
  d.warnings.push({
    message: `No ${NAME_SYNTAX[format]} and no id (${ID_SYNTAX[format]}): the id comes from the question's text, so an edited copy will be a new question. Give it a title to keep its id across edits.`,
    ...d.start,
  });
  return {
    id: idFromContent(raw as { prompt: unknown; answer: unknown }),
    idFrom: 'content',
    line,
  };
}

/**
 * The draft's tags: Moodle's tags made Assay tags, then those of the assay comment (already in
 * `raw.tags`); without any, the area.
 */
function tagsOf(d: Draft): void {
  const raw = d.raw!;
  const tags: string[] = [];
  for (const t of d.tags?.raw ?? []) {
    const tag = tagOf(t);
    if (tag === undefined) {
      d.warnings.push({
        message: `The tag "${t}" has no letters or digits Assay can keep; it was left out.`,
        ...d.tags!.pos,
      });
      continue;
    }
    if (tag !== t) {
      d.warnings.push({
        message: `The tag "${t}" is stored as "${tag}": Assay tags are lower-case letters, digits and hyphens.`,
        ...d.tags!.pos,
      });
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length && !raw.tags) d.at.set('tags', d.tags!.pos);
  const own = Array.isArray(raw.tags) ? (raw.tags as string[]) : [];
  const all = [...tags, ...own.filter((t) => !tags.includes(t))];
  raw.tags = all.length ? all : [typeof raw.area === 'string' ? raw.area : 'imported'];
}

/**
 * Drafts (one per question of the file, in order) as a bank import: every problem of the file
 * in one ValidationError, sorted by line; with `skipUnsupported`, the questions Assay cannot
 * represent are listed in `skipped` instead of refusing the file.
 */
export function assembleImport(
  drafts: Draft[],
  fileIssues: FieldIssue[],
  notes: Notice[],
  format: MoodleFormat,
  opts: ImportOptions,
): BankImport {
  const what = format === 'gift' ? 'GIFT text' : 'Moodle XML';
  const issues: FieldIssue[] = [...fileIssues];
  const warnings: Notice[] = [...notes];
  const skipped: SkippedQuestion[] = [];
  const origins: QuestionOrigin[] = [];
  const bank = {
    id: opts.bankId ?? (format === 'gift' ? 'gift-import' : 'moodle-xml-import'),
    title: opts.bankTitle ?? (format === 'gift' ? 'GIFT import' : 'Moodle XML import'),
  };
  const meta = BankMeta.safeParse(bank);
  if (!meta.success) issues.push(...issuesOf(meta.error, 'bank'));

  const firstWithId = new Map<string, Draft>();
  const included: QuestionContent[] = [];
  for (const d of drafts) {
    // A question that fails before it has an id is still named by the id it would get.
    const named = d.authorId ? authorId(d.authorId.raw) : undefined;
    const wouldBe =
      named && 'id' in named
        ? named.id
        : named
          ? idFromTitle(d.authorId!.raw)
          : d.title
            ? idFromTitle(d.title)
            : undefined;
    const who = (questionId = wouldBe) => ({
      questionIndex: d.index,
      ...(questionId ? { questionId } : {}),
      ...(d.title ? { title: d.title } : {}),
    });
    if (d.unsupported) {
      if (opts.skipUnsupported) {
        skipped.push({
          line: d.start.line,
          questionIndex: d.index,
          ...(d.title ? { title: d.title } : {}),
          reason: d.unsupported.reason,
        });
      } else {
        issues.push({
          path: `questions[${d.index}]`,
          message: `Assay cannot import this question: ${d.unsupported.reason}. Upload with ?skipUnsupported=true (assay --skip-unsupported) to import the other questions and list this one as skipped.`,
          ...d.unsupported.pos,
          ...who(),
        });
      }
      continue;
    }
    const origin = d.raw && d.issues.length === 0 ? idOf(d, format) : undefined;
    if (origin) {
      d.raw!.id = origin.id;
      if (d.title && d.title !== origin.id) d.raw!.title = d.title;
      tagsOf(d);
      const first = firstWithId.get(origin.id);
      if (first) {
        d.issues.push({
          path: `questions[${d.index}].id`,
          message: `Two questions get the id "${origin.id}": this one (line ${d.start.line}) and the one on line ${first.start.line}${first.title ? ` ("${first.title}")` : ''}. Give one of them a different ${origin.idFrom === 'moodle-id' ? 'id' : NAME_SYNTAX[format]}${origin.idFrom === 'moodle-id' ? '' : ` or its own id (${ID_SYNTAX[format]})`}.`,
          ...(d.at.get('id') ?? d.start),
        });
      } else firstWithId.set(origin.id, d);
    }
    const questionId = typeof d.raw?.id === 'string' ? d.raw.id : undefined;
    issues.push(...d.issues.map((i) => ({ ...i, ...who(questionId) })));
    if (!d.raw || d.issues.length) continue;
    const r = validateQuestion(d.raw, `questions[${d.index}]`);
    for (const i of r.issues) {
      if (d.raw.area === undefined && i.path === `questions[${d.index}].area`) continue; // reported
      const field = i.path.slice(`questions[${d.index}]`.length);
      issues.push({
        ...i,
        message: inMoodleTerms(
          field,
          i.message,
          format,
          (d.raw as Record<string, unknown>)[field.slice(1)],
        ),
        ...locate(d, i.path),
        ...who(questionId),
      });
    }
    if (!r.question) continue;
    if (!d.generalFeedback)
      warnings.push({ message: GENERAL_FEEDBACK[format], ...d.start, ...who(questionId) });
    warnings.push(...d.warnings.map((w) => ({ ...w, ...who(questionId) })));
    origins.push(origin!);
    included.push(r.question);
  }
  if (drafts.length === 0) {
    issues.push({
      path: 'questions',
      message: `The ${what} contains no questions.`,
      line: 1,
      column: 1,
    });
  } else if (included.length === 0 && issues.length === 0) {
    issues.push({
      path: 'questions',
      message: `Every question of the ${what} was skipped (see skipped): there is nothing to import.`,
      line: 1,
      column: 1,
    });
  }
  if (issues.length) throw fileError(issues, what);
  // Each question was validated above, its id unique: only the envelope is left to check.
  const validated = bankOf(bank, included);
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return {
    bank: validated,
    warnings,
    skipped,
    origins,
    ...(opts.bankId === undefined ? { defaultBank: true as const } : {}),
  };
}

/**
 * A reader's drafts (`giftDrafts`, `moodleXmlDrafts`) as a bank import (`assembleImport`); a
 * text the reader could not read at all throws its one problem as a ValidationError.
 */
export function importDrafts(
  read: MoodleDrafts,
  format: MoodleFormat,
  opts: ImportOptions,
): BankImport {
  const what = format === 'gift' ? 'GIFT text' : 'Moodle XML';
  if ('fatal' in read) throw fileError(read.fatal, what);
  return assembleImport(read.drafts, read.issues, read.notes, format, opts);
}
