import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Bank, BankFormat } from '../domain/bank.ts';
import { readBank } from '../domain/bank.ts';
import { parseGift } from '../domain/gift.ts';

const FORMATS: Record<string, BankFormat | 'gift'> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.gift': 'gift',
  '.txt': 'gift',
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

export function formatOfFile(file: string): BankFormat | 'gift' {
  return FORMATS[extname(file).toLowerCase()] ?? 'yaml';
}

/** Read and validate one bank file (throws ValidationError with located issues). */
export function readBankFile(file: string, opts: { area?: string } = {}): Bank {
  const text = readFileSync(file, 'utf8');
  const format = formatOfFile(file);
  return format === 'gift' ? parseGift(text, opts) : readBank(text, format);
}
