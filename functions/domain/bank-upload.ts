/**
 * A bank upload from its bytes to a bank import: the format from the Content-Type and
 * `?format=`, the text from the bytes (encodings, encoding.ts), then the format's reader. Pure:
 * the upload route and anything that imports later (an asynchronous import job) call the same
 * function.
 */

import { createLocator, readBank } from './bank.ts';
import { authoredImport, type BankImport, type Notice } from './bank-import.ts';
import { checkText, decodeUpload } from './encoding.ts';
import { DomainError } from './errors.ts';
import type { MoodleReader } from './moodle.ts';
import { type ImportOptions, importDrafts } from './moodle-import.ts';
import { QUESTION_TYPE_LIST } from './question-types/registry.ts';

export type UploadFormat = 'json' | 'yaml' | 'gift' | 'xml';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml']);
const XML_TYPES = new Set(['application/xml', 'text/xml']);

/**
 * The format of an upload: JSON, YAML and XML by their media types; `text/plain` and
 * `application/octet-stream` (bytes the server decodes itself) name theirs with `?format=`.
 */
export function uploadFormat(
  contentType: string | undefined,
  format: string | undefined,
): UploadFormat {
  const named = format as UploadFormat | undefined;
  const byType: UploadFormat | undefined =
    contentType === 'application/json'
      ? 'json'
      : contentType && YAML_TYPES.has(contentType)
        ? 'yaml'
        : contentType && XML_TYPES.has(contentType)
          ? 'xml'
          : undefined;
  if (byType) {
    if (named && named !== byType) {
      throw new DomainError(
        'unsupported-media-type',
        `?format=${named} does not match Content-Type: ${contentType}; send ${named === 'gift' ? 'text/plain or application/octet-stream' : `the ${named} media type`}, or drop ?format.`,
      );
    }
    return byType;
  }
  if (contentType === 'text/plain' || contentType === 'application/octet-stream') {
    if (named) return named;
    throw new DomainError(
      'unsupported-media-type',
      `A ${contentType} upload needs ?format=gift (or xml, yaml, json).`,
    );
  }
  throw new DomainError('unsupported-media-type', 'Unsupported content type.');
}

export interface UploadParams {
  area?: string;
  difficulty?: string;
  bank?: string;
  bankTitle?: string;
  skipUnsupported?: string;
}

/** YAML and JSON questions without an explanation: imported, with a warning each. */
function explanationWarnings(
  text: string,
  questions: { id: string; explanation: string; title?: string }[],
): Notice[] {
  const locate = createLocator(text);
  return questions.flatMap((q, i) =>
    q.explanation.trim() === ''
      ? [
          {
            message: 'no explanation: candidates and reviewers see no reason for the key',
            ...(locate(`questions[${i}].explanation`) ?? locate(`questions[${i}]`) ?? {}),
            questionIndex: i,
            questionId: q.id,
            ...(q.title ? { title: q.title } : {}),
          },
        ]
      : [],
  );
}

/**
 * The GIFT and Moodle XML readers: the side entry `#side/moodle-readers`, which a Lambda loads
 * only for an upload in either format (`parseUpload` in upload.ts); the CLI imports them.
 */
export type MoodleReaders = Record<'giftDrafts' | 'moodleXmlDrafts', MoodleReader>;

/**
 * Read an upload: `bytes` as they arrived (preferred: the encoding is detected from them) or a
 * `text` that was decoded on the way (checked for what a wrong decoding leaves behind). GIFT and
 * Moodle XML need `readers`: they read the text into drafts with this module's question types,
 * and `importDrafts` here validates them (so its ValidationError is the caller's own class).
 */
export function readUpload(
  body: { bytes?: Uint8Array; text?: string },
  format: UploadFormat,
  params: UploadParams = {},
  readers?: MoodleReaders,
): BankImport {
  const text = body.bytes ? decodeUpload(body.bytes) : checkText(body.text ?? '');
  if (format === 'json' || format === 'yaml') {
    const bank = readBank(text, format);
    return authoredImport(bank, explanationWarnings(text, bank.questions));
  }
  const opts: ImportOptions = {
    ...(params.area ? { area: params.area } : {}),
    ...(params.difficulty ? { difficulty: Number(params.difficulty) as 1 | 2 | 3 } : {}),
    ...(params.bank ? { bankId: params.bank } : {}),
    ...(params.bankTitle ? { bankTitle: params.bankTitle } : {}),
    ...(params.skipUnsupported === 'true' ? { skipUnsupported: true } : {}),
  };
  if (!readers) throw new Error(`Reading a ${format} upload needs the Moodle readers.`);
  const read = format === 'gift' ? readers.giftDrafts : readers.moodleXmlDrafts;
  return importDrafts(read(text, opts, QUESTION_TYPE_LIST), format, opts);
}
