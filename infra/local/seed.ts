import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { clock } from '../../functions/domain/clock.ts';
import { PUBLIC_ORG } from '../../functions/http/principal.ts';
import { createAssessment, createInvitations } from '../../functions/services/assessments.ts';
import { importBankNow } from '../../functions/services/imports.ts';

export const QUESTIONS_DIR = resolve(import.meta.dirname, '../../questions');

export interface SeedResult {
  summary: string;
  questions: number;
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
    const r = await importBankNow(PUBLIC_ORG, readBankFile(file), clock.now());
    questions += r.imported;
    created += r.created;
    updated += r.updated;
  }
  return { files: files.length, questions, created, updated };
}

/** The demo organisation's assessment over the shipped bank, and one invitation to it. */
export async function seedDemo(): Promise<{ assessmentId: string; token: string }> {
  const now = clock.now();
  const principal = { org: 'demo', subject: 'demo-employer', roles: ['employer' as const] };
  const assessment = await createAssessment(
    principal,
    {
      title: 'Backend engineer screen (demo)',
      timeLimitMinutes: 20,
      sections: [
        { area: 'api-first', count: 3 },
        { area: 'serverless', count: 3 },
        { area: 'security', count: 3 },
        { area: 'problem-solving', count: 2 },
        { area: 'collaboration', count: 2 },
      ],
      passingScore: 60,
      showResultToCandidate: true,
    },
    now,
  );
  const { invitations } = await createInvitations(
    principal,
    assessment.assessmentId,
    {
      candidates: [{ name: 'Demo Candidate', email: 'candidate@example.com' }],
      expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    },
    now,
  );
  // A new invitation (no Idempotency-Key) always comes with its token.
  return { assessmentId: assessment.assessmentId, token: invitations[0]!.token! };
}

/** What `npm start` loads: the shipped bank, then a demo assessment with one invitation. */
export async function seedLocal(): Promise<
  SeedResult & { demo?: { assessmentId: string; token: string } }
> {
  const bank = await seedPublicBank();
  const demo = bank.questions > 0 ? await seedDemo() : undefined;
  return {
    questions: bank.questions,
    summary: `${bank.questions} questions from ${bank.files} files in questions/ (${bank.created} new, ${bank.updated} updated)`,
    ...(demo ? { demo } : {}),
  };
}
