/**
 * A bank as an upload delivers it: the validated questions, what the author should know
 * (`warnings`), what was left out on request (`skipped`), and where each question's id came
 * from (`origins`), which decides whether it may update a question stored from another file.
 */
import type { Bank } from './bank.ts';
import { DomainError, type FieldIssue } from './errors.ts';
import { contentHash } from './question.ts';

/**
 * Something an author should know about an imported question; nothing was refused. Located as
 * a problem is, without a field path.
 */
export type Notice = Omit<FieldIssue, 'path'> & {
  /**
   * What kind of notice, for a client that acts on it; absent for the formats' own notes.
   * `question-retired`: the upload holds a question retired by its author, which it left retired.
   */
  code?: 'question-retired';
  /** The part of a part-wise import the question is in. */
  part?: number;
};

/** A question left out because the upload asked to skip what Assay cannot represent. */
export interface SkippedQuestion {
  line: number;
  questionIndex: number;
  title?: string;
  reason: string;
}

/**
 * Where a question's id comes from: written by the author in an Assay bank (`id`: a YAML id),
 * a Moodle id that is an Assay id (`moodle-id`: GIFT's `[id:...]`, an XML `<idnumber>`; `written`
 * says how), or derived from a Moodle id that is no Assay id (`id-text`), its title or its
 * content.
 */
export interface QuestionOrigin {
  id: string;
  idFrom: 'id' | 'moodle-id' | 'id-text' | 'title' | 'content';
  written?: string;
  line?: number;
  title?: string;
}

export interface BankImport {
  bank: Bank;
  warnings: Notice[];
  skipped: SkippedQuestion[];
  origins: QuestionOrigin[];
  /**
   * `?moveQuestions=true`: a question whose id the file writes and that another bank holds
   * with other content moves to this bank (`checkIdOwnership`).
   */
  moveQuestions?: boolean;
  /**
   * The upload named no bank (a GIFT or Moodle XML file without `?bank=`), so it got its
   * format's default id (`gift-import`, `moodle-xml-import`), which every such upload shares:
   * it is never taken for a new version of a stored question's bank.
   */
  defaultBank?: true;
}

/** A stored question's head, as far as the conflict check needs it. */
export interface StoredHead {
  id: string;
  bankId?: string;
  contentHash?: string;
  title?: string;
}

/**
 * Refuses (409) an upload in which an id already belongs to a different question stored from
 * another bank: nothing is stored, and every such question is named with both banks.
 * - An id Assay derived (from a title or from content), or a Moodle id, came about by
 *   coincidence (two files with `::Q1::`; Moodle's idnumbers are unique only within a Moodle
 *   category, so two courses' exports share `[id:week1-q1]`), not because the author meant
 *   that question: always refused.
 * - An id the file writes (JSON, YAML) names one question of the organisation, but a second
 *   file holding it with other content is as often a copied block whose id was left as it is:
 *   refused unless the upload says the question moves (`?moveQuestions=true`).
 * The same content, and the same bank, update as usual.
 */
export function checkIdOwnership(upload: BankImport, heads: ReadonlyMap<string, StoredHead>): void {
  const byId = new Map(upload.bank.questions.map((q) => [q.id, q]));
  const issues: FieldIssue[] = [];
  for (const o of upload.origins) {
    if (o.idFrom === 'id' && upload.moveQuestions) continue;
    const head = heads.get(o.id);
    const q = byId.get(o.id);
    if (!head || !q) continue;
    if (head.bankId === upload.bank.bank.id && !upload.defaultBank) continue;
    if (head.contentHash === contentHash(q)) continue;
    const index = upload.bank.questions.indexOf(q);
    const existing = `${head.title ? `"${head.title}", ` : ''}stored from bank "${head.bankId ?? 'unknown'}"`;
    if (o.idFrom === 'id') {
      issues.push({
        path: `questions[${index}].id`,
        message: `The question "${o.id}" (questions[${index}]${o.line ? `, line ${o.line}` : ''}) is already a question of another bank, with other content (${existing}); this upload is bank "${upload.bank.bank.id}". Nothing was stored. Give it an id of its own if it is a new question; if it moves to this bank with this content, upload again with ?moveQuestions=true (assay import --move-questions).`,
        ...(o.line ? { line: o.line } : {}),
        questionId: o.id,
      });
      continue;
    }
    const from =
      o.idFrom === 'title'
        ? `its title "${o.title}"`
        : o.idFrom === 'moodle-id'
          ? `its Moodle id (${o.written ?? o.id})`
          : o.idFrom === 'id-text'
            ? 'its Moodle id (which is no Assay id)'
            : 'its text (it has no title)';
    const fix =
      o.idFrom === 'moodle-id'
        ? `Change the id in ${o.written ?? 'the file'}`
        : `Give the question its own id with "// [id:...]" (GIFT) or <idnumber> (XML), or a different title`;
    const stored = `${head.title ? `"${head.title}", ` : ''}stored from ${head.bankId === upload.bank.bank.id ? 'another upload of ' : ''}bank "${head.bankId ?? 'unknown'}"`;
    const ours = upload.defaultBank
      ? `this upload names no bank (?bank=), so Assay cannot tell that it is a new version of that file`
      : `this upload is bank "${upload.bank.bank.id}"`;
    issues.push({
      path: `questions[${index}].id`,
      message: `The question${o.line ? ` on line ${o.line}` : ''} gets the id "${o.id}" from ${from}, but "${o.id}" is already a different question (${stored}); ${ours}. Nothing was stored. ${fix}; or upload with ?bank=${head.bankId ?? '...'} if this file is a new version of that bank (assay import --bank ${head.bankId ?? '...'}).`,
      ...(o.line ? { line: o.line } : {}),
      questionId: o.id,
      ...(o.title ? { title: o.title } : {}),
    });
  }
  if (issues.length) {
    const first = issues[0]!;
    throw new DomainError(
      'conflict',
      `${issues.length} question id${issues.length === 1 ? '' : 's'} of this upload already belong${issues.length === 1 ? 's' : ''} to other questions: ${first.message}${issues.length > 1 ? ' ...' : ''}`,
      { errors: issues },
    );
  }
}

/** An upload with no Moodle origins: every id written by the author. */
export function authoredImport(bank: Bank, warnings: Notice[] = []): BankImport {
  return {
    bank,
    warnings,
    skipped: [],
    origins: bank.questions.map((q) => ({ id: q.id, idFrom: 'id' as const })),
  };
}

/** A retired question an import met: its id, its version after the import, and whether it changed. */
export interface RetiredInUpload {
  id: string;
  /** The version the question is at once the import commits. */
  version: number;
  /** Whether the upload stored new content (as that version, still retired). */
  changed: boolean;
}

/**
 * The warning for a retired question an upload holds: an import never revives one
 * (docs/state-machines.md, "Question versions"), so the author is told it stayed retired and
 * how to restore it: a PUT of the question with If-Match naming its version.
 */
export function retiredNotice(r: RetiredInUpload): Notice {
  const done = r.changed
    ? `stored its new content as version ${r.version} and left it retired`
    : 'left it retired (its content is unchanged)';
  return {
    code: 'question-retired',
    questionId: r.id,
    message: `Question "${r.id}" is retired, so this upload ${done}: it is not drawn into new assessments. To use it again, restore it: PUT /v1/questions/${r.id} with If-Match: "${r.version}" and the question as GET /v1/questions/${r.id} returns it.`,
  };
}
