/**
 * Moodle GIFT import and export. Reading a GIFT text into drafts is `gift-read.ts` (loaded by
 * GIFT uploads only, through the side entry `#side/moodle-readers`); putting the drafts
 * together (ids, skipped questions, warnings, validation) is shared with Moodle XML
 * (`moodle-import.ts`). Writing: how a question is written belongs to its type (`gift.write` in
 * each module of `question-types/`); this module puts the file together.
 */

import type { Bank } from './bank.ts';
import type { BankImport } from './bank-import.ts';
import { giftDrafts } from './gift-read.ts';
import { assayMetadata } from './gift-syntax.ts';
import { offListExported } from './moodle.ts';
import { type ImportOptions, importDrafts } from './moodle-import.ts';
import { QUESTION_TYPE_LIST, typeOf } from './question-types/registry.ts';
import type { QuestionContent } from './question-types/type.ts';

export type GiftOptions = ImportOptions;

export interface GiftExport {
  text: string;
  skipped: { id: string; type: string; reason: string }[];
  /** Questions exported with a grade Moodle's import refuses (see `offListGrade`). */
  warnings: { id: string; message: string }[];
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/**
 * Read a GIFT text as a bank import: the questions with Moodle's meaning, the warnings, the
 * questions skipped on request and where each id came from. Every question goes through the
 * same validation as a YAML bank; any problem throws a ValidationError listing every issue with
 * its line (and column).
 */
export function importGift(text: string, opts: GiftOptions = {}): BankImport {
  return importDrafts(giftDrafts(text, opts, QUESTION_TYPE_LIST), 'gift', opts);
}

/** The questions of a GIFT text (see `importGift`); throws a ValidationError on any problem. */
export function parseGift(text: string, opts: GiftOptions = {}): Bank {
  return importGift(text, opts).bank;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Moodle's comment with the id and tags: `// [id:q-1] [tag:kafka]`. */
function moodleComment(q: QuestionContent): string {
  return `// [id:${q.id}] ${q.tags.map((t) => `[tag:${t}]`).join(' ')}`;
}

/** A title as GIFT writes it between `::`: escaped, on one line. */
const giftTitle = (s: string) => s.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');

/**
 * GIFT text for every question whose type GIFT can express, grouped under `$CATEGORY: <area>`
 * lines; the others are listed in `skipped` with the reason. Each question carries Moodle's
 * `[id:...]` and `[tag:...]` comment, the assay comment and its title (or its id) as `::...::`.
 */
export function toGift(bank: Bank): GiftExport {
  const out: string[] = [
    `// Assay bank ${bank.bank.id}: ${bank.bank.title.replace(/\s+/g, ' ')}`,
    '',
  ];
  const skipped: GiftExport['skipped'] = [];
  const warnings: GiftExport['warnings'] = [];
  let area: string | undefined;
  for (const q of bank.questions) {
    const gift = typeOf(q.type).gift.write(q);
    if ('skip' in gift) {
      skipped.push({ id: q.id, type: q.type, reason: gift.skip });
      continue;
    }
    // A weight follows an unescaped answer mark: `~%45%text`, `=%50%12:0.5`.
    const grades = gift.text.matchAll(/(?<!\\)([~=])%(-?[\d.]+)%/g);
    for (const message of offListExported(
      [...grades].map((m) => m[2]!),
      (p) => `"%${p}%"`,
    )) {
      warnings.push({ id: q.id, message });
    }
    if (q.area !== area) {
      area = q.area;
      out.push(`$CATEGORY: ${area}`, '');
    }
    out.push(
      moodleComment(q),
      `// assay: ${assayMetadata(q, gift.readBackIds, gift.compare, gift.rightsPlain)}`,
      `::${giftTitle(q.title ?? q.id)}::${gift.text}`,
      '',
    );
  }
  return { text: out.join('\n'), skipped, warnings };
}
