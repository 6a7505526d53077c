/**
 * How an uploaded bank's text becomes a bank: its format from the Content-Type (and `?format`),
 * then the format's reader (bank-upload.ts: JSON, YAML, GIFT, Moodle XML). One place, used by
 * the upload request (small banks), the import job (large ones and part-wise imports) and
 * nothing else, so that both read a file alike: the spec travels with the stored text.
 */
import { yamlPast } from './bank.ts';
import type { BankImport } from './bank-import.ts';
import { readUpload, type UploadFormat, uploadFormat } from './bank-upload.ts';
import { ValidationError } from './errors.ts';

export type { UploadFormat };
export { uploadFormat };

/** What a part's text is and, for GIFT and Moodle XML, the options from the query. */
export interface UploadSpec {
  format: UploadFormat;
  area?: string;
  difficulty?: 1 | 2 | 3;
  /** The bank a GIFT or Moodle XML file is (`?bank=`). */
  bank?: string;
  bankTitle?: string;
  /** `?skipUnsupported=true`: leave out what Assay cannot represent, listed in `skipped`. */
  skipUnsupported?: boolean;
  /** `?moveQuestions=true`: questions this file names that another bank holds move here. */
  moveQuestions?: boolean;
}

/** The spec of an upload from its Content-Type and query. */
export function uploadSpec(
  contentType: string | undefined,
  query: {
    format?: string;
    area?: string;
    difficulty?: string;
    bank?: string;
    bankTitle?: string;
    skipUnsupported?: string;
    moveQuestions?: string;
  },
): UploadSpec {
  const format = uploadFormat(contentType, query.format);
  if (format === 'json' || format === 'yaml') refuseMoodleOptions(format, query);
  return {
    format,
    ...(query.area ? { area: query.area } : {}),
    ...(query.difficulty ? { difficulty: Number(query.difficulty) as 1 | 2 | 3 } : {}),
    ...(query.bank ? { bank: query.bank } : {}),
    ...(query.bankTitle ? { bankTitle: query.bankTitle } : {}),
    ...(query.skipUnsupported === 'true' ? { skipUnsupported: true } : {}),
    ...(query.moveQuestions === 'true' ? { moveQuestions: true } : {}),
  };
}

/**
 * What each option that only GIFT and Moodle XML files read is for, as a JSON or YAML upload
 * that sends it is told. Such a bank writes each question's area and difficulty and its own
 * title, and has nothing to skip: the option would be left unread, and the bank stored with a
 * meaning other than the one asked for, so it is refused (every such option named).
 */
const MOODLE_ONLY_OPTIONS = {
  area: "gives an area to GIFT and Moodle XML questions whose category names none; a JSON or YAML bank names each question's area (questions[].area)",
  difficulty:
    "gives a difficulty to GIFT and Moodle XML questions; a JSON or YAML bank names each question's difficulty (questions[].difficulty)",
  bankTitle:
    'titles the bank of a GIFT or Moodle XML file; a JSON or YAML bank has its own title (bank.title)',
  skipUnsupported:
    'leaves out what Assay cannot represent of a GIFT or Moodle XML file; a JSON or YAML bank has nothing to leave out',
} as const;

function refuseMoodleOptions(format: 'json' | 'yaml', query: Record<string, string | undefined>) {
  const sent = (Object.keys(MOODLE_ONLY_OPTIONS) as (keyof typeof MOODLE_ONLY_OPTIONS)[]).filter(
    (name) => query[name] !== undefined,
  );
  if (sent.length === 0) return;
  throw new ValidationError(
    sent.map((name) => ({
      path: `query.${name}`,
      message: `?${name}= ${MOODLE_ONLY_OPTIONS[name]}. Leave it out of this ${format.toUpperCase()} upload.`,
    })),
  );
}

export { MAX_UPLOAD_TEXT_BYTES } from './upload-limits.ts';

/**
 * Whether an upload's text is cheap enough to read inside its request: a YAML text of at most
 * 150,000 nodes. A bank small enough to import there (1,000 questions) has about 65,000;
 * parsing is about 40 µs and 1 KB a node, so 2 MiB of one-letter scalars (a million nodes,
 * under the upload limit) held the request for 39-79 s, past the function's 29 s. A text with
 * more goes to the import job (`202`), which reads it with the upload limits and its own 15
 * minutes.
 */
export const readableInRequest = (text: string, spec: UploadSpec) =>
  spec.format !== 'yaml' || yamlPast(text, 150_000) < 0;

/**
 * Parse and validate an uploaded text (already decoded: `decodeUpload` ran on its bytes): the
 * bank with its warnings, skipped questions and id origins, or a ValidationError locating every
 * problem. A GIFT or Moodle XML text first loads the readers (the side entry
 * `#side/moodle-readers`, bank-upload.ts): nothing else loads them.
 */
export async function parseUpload(text: string, spec: UploadSpec): Promise<BankImport> {
  const moodle = spec.format === 'gift' || spec.format === 'xml';
  const readers = moodle ? await import('#side/moodle-readers') : undefined;
  const read = readUpload(
    { text },
    spec.format,
    {
      ...(spec.area ? { area: spec.area } : {}),
      ...(spec.difficulty ? { difficulty: String(spec.difficulty) } : {}),
      ...(spec.bank ? { bank: spec.bank } : {}),
      ...(spec.bankTitle ? { bankTitle: spec.bankTitle } : {}),
      ...(spec.skipUnsupported ? { skipUnsupported: 'true' } : {}),
    },
    readers,
  );
  // A JSON or YAML bank names its own bank: a ?bank= naming another is refused rather than
  // left unread (the questions would go to the document's bank, not the one asked for).
  if (!moodle && spec.bank !== undefined && spec.bank !== read.bank.bank.id) {
    throw new ValidationError([
      {
        path: 'query.bank',
        message: `This ${spec.format.toUpperCase()} bank names its own bank, "${read.bank.bank.id}" (bank.id), not "${spec.bank}": ?bank= names the bank of a GIFT or Moodle XML file. Leave it out, or change bank.id in the file.`,
      },
    ]);
  }
  return spec.moveQuestions ? { ...read, moveQuestions: true } : read;
}
