import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { importBank } from '../../functions/data/questions.ts';
import { clock } from '../../functions/domain/clock.ts';
import { PUBLIC_ORG } from '../../functions/http/principal.ts';

export const QUESTIONS_DIR = resolve(import.meta.dirname, '../../questions');

export interface SeedResult {
  summary: string;
  questions: number;
  demoLink?: string;
}

/**
 * Load the shipped bank in `questions/` into the public organisation through the same import
 * code as `POST /v1/banks`. Idempotent: unchanged questions are skipped by content hash.
 */
export async function seedPublicBank(
  dir = QUESTIONS_DIR,
): Promise<{ files: number; questions: number; created: number; updated: number }> {
  if (!existsSync(dir)) return { files: 0, questions: 0, created: 0, updated: 0 };
  const files = bankFiles([dir]);
  let questions = 0;
  let created = 0;
  let updated = 0;
  for (const file of files) {
    const r = await importBank(PUBLIC_ORG, readBankFile(file), clock.now());
    questions += r.imported;
    created += r.created;
    updated += r.updated;
  }
  return { files: files.length, questions, created, updated };
}

/** What `npm start` loads: the shipped bank. */
export async function seedLocal(): Promise<SeedResult> {
  const bank = await seedPublicBank();
  return {
    questions: bank.questions,
    summary: `${bank.questions} questions from ${bank.files} files in questions/ (${bank.created} new, ${bank.updated} updated)`,
  };
}
