import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Bank } from '../domain/bank.ts';
import type { BankImport } from '../domain/bank-import.ts';
import { readUpload, type UploadFormat } from '../domain/bank-upload.ts';
import * as moodleReaders from '../domain/moodle-readers.ts';
import { slugOf } from '../domain/question-ids.ts';

const FORMATS: Record<string, UploadFormat> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.gift': 'gift',
  '.txt': 'gift',
  '.xml': 'xml',
};

/** Bank files named directly or found (non-recursively, sorted) in the named folders. */
export function bankFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      out.push(
        ...readdirSync(p)
          .filter((f) => FORMATS[extname(f).toLowerCase()] !== undefined)
          .sort()
          .map((f) => join(p, f)),
      );
    } else out.push(p);
  }
  return out;
}

export function formatOfFile(file: string): UploadFormat {
  return FORMATS[extname(file).toLowerCase()] ?? 'yaml';
}

/**
 * The bank a GIFT or Moodle XML file is, from its name (`Week 3 quiz.gift` -> `week-3-quiz`):
 * uploading the file again, edited, updates its questions; another file cannot take them over.
 */
export function bankIdOfFile(file: string): string {
  const slug = slugOf(basename(file, extname(file)))
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : `bank-${slug || 'file'}`;
}

export interface ReadOptions {
  area?: string;
  /** The bank a GIFT or Moodle XML file is (`assay import --bank`); default: named after the file. */
  bank?: string;
  skipUnsupported?: boolean;
}

/** The questions of one bank file (throws ValidationError with located issues). */
export function readBankFile(file: string, opts: ReadOptions = {}): Bank {
  return readBankImport(file, opts).bank;
}

/**
 * Read and validate one bank file from its bytes, as the API reads an upload: the questions,
 * the warnings and what was skipped (throws ValidationError with located issues).
 */
export function readBankImport(file: string, opts: ReadOptions = {}): BankImport {
  const format = formatOfFile(file);
  return readUpload(
    { bytes: readFileSync(file) },
    format,
    {
      ...(opts.area ? { area: opts.area } : {}),
      ...(opts.skipUnsupported ? { skipUnsupported: 'true' } : {}),
      ...(format === 'gift' || format === 'xml'
        ? { bank: opts.bank ?? bankIdOfFile(file), bankTitle: basename(file) }
        : {}),
    },
    moodleReaders,
  );
}
