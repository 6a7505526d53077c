/**
 * Moodle XML (`<quiz><question type="...">`, what Moodle exports by default) import and export,
 * with the same meaning as GIFT. Reading a text into drafts is `moodle-xml-read.ts` (loaded by
 * XML uploads only, through the side entry `#side/moodle-readers`); the drafts are put together
 * as GIFT's are (`moodle-import.ts`). Writing: each type writes its own questions (`moodle.write`
 * in its module of `question-types/`); this module puts the file together. See "Moodle banks"
 * in docs/question-format.md.
 */
import type { Bank } from './bank.ts';
import type { BankImport } from './bank-import.ts';
import { assayMetadata } from './gift-syntax.ts';
import { offListExported } from './moodle.ts';
import { type ImportOptions, importDrafts } from './moodle-import.ts';
import { moodleXmlDrafts } from './moodle-xml-read.ts';
import { xmlEscape, xmlSafe, xmlText } from './moodle-xml-text.ts';
import { QUESTION_TYPE_LIST, typeOf } from './question-types/registry.ts';

/**
 * Read a Moodle XML text as a bank import, with the same meaning GIFT gives the same
 * questions; any problem throws a ValidationError listing every issue with its line.
 */
export function importMoodleXml(text: string, opts: ImportOptions = {}): BankImport {
  return importDrafts(moodleXmlDrafts(text, opts, QUESTION_TYPE_LIST), 'xml', opts);
}

/** The questions of a Moodle XML text (see `importMoodleXml`). */
export function parseMoodleXml(text: string, opts: ImportOptions = {}): Bank {
  return importMoodleXml(text, opts).bank;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

export interface MoodleXmlExport {
  text: string;
  skipped: { id: string; type: string; reason: string }[];
  /** Questions exported with a grade Moodle's import refuses (see `offListGrade`). */
  warnings: { id: string; message: string }[];
}

/** Every text in a value (a question, its key), to check that XML can carry them. */
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsOf);
  return [];
}

/**
 * Moodle XML for every question whose type Moodle can express, each under a category naming
 * its area; the others are listed in `skipped` with the reason. Texts are markdown
 * (`format="markdown"`, which Moodle renders), answers as Moodle grades them.
 */
export function toMoodleXml(bank: Bank): MoodleXmlExport {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    `<!-- Assay bank ${xmlEscape(bank.bank.id)}: ${xmlEscape(bank.bank.title.replace(/-{2,}/g, '-'))} -->`,
  ];
  const skipped: MoodleXmlExport['skipped'] = [];
  const warnings: MoodleXmlExport['warnings'] = [];
  let area: string | undefined;
  for (const q of bank.questions) {
    const written = typeOf(q.type).moodle.write(q);
    if ('skip' in written) {
      skipped.push({ id: q.id, type: q.type, reason: written.skip });
      continue;
    }
    if (!textsOf(q).every(xmlSafe)) {
      skipped.push({
        id: q.id,
        type: q.type,
        reason: 'A text contains control characters, which XML 1.0 cannot carry.',
      });
      continue;
    }
    const comment = `<!-- assay: ${assayMetadata(q, written.readBackIds, written.compare, written.rightsPlain)} -->`;
    if (comment.slice(4, -3).includes('--')) {
      // XML forbids "--" inside a comment, and the assay comment is where option ids travel.
      skipped.push({
        id: q.id,
        type: q.type,
        reason: `An option id contains "--", which an XML comment (<!-- assay: options=... -->) cannot carry; rename the option (e.g. "${(q.options ?? []).find((o) => o.id.includes('--'))?.id.replace(/-{2,}/g, '-')}") or export as YAML.`,
      });
      continue;
    }
    const grades = written.body.join('\n').matchAll(/\bfraction="(-?[\d.]+)"/g);
    for (const message of offListExported(
      [...grades].map((m) => m[1]!),
      (p) => `fraction="${p}"`,
    )) {
      warnings.push({ id: q.id, message });
    }
    if (q.area !== area) {
      area = q.area;
      out.push(
        '  <question type="category">',
        `    <category><text>$course$/top/${area}</text></category>`,
        '  </question>',
      );
    }
    out.push(
      `  <question type="${written.qtype}">`,
      `    ${comment}`,
      `    <name><text>${xmlEscape(q.title ?? q.id)}</text></name>`,
      `    ${xmlText('questiontext', written.prompt ?? q.prompt, 'markdown')}`,
      `    ${xmlText('generalfeedback', q.explanation, 'markdown')}`,
      `    <idnumber>${xmlEscape(q.id)}</idnumber>`,
      '    <defaultgrade>1</defaultgrade>',
      ...written.body.map((line) => `    ${line}`),
      `    <tags>${q.tags.map((t) => `<tag><text>${xmlEscape(t)}</text></tag>`).join('')}</tags>`,
      '  </question>',
    );
  }
  out.push('</quiz>', '');
  return { text: out.join('\n'), skipped, warnings };
}
