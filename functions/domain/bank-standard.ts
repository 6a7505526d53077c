/**
 * The standard the shipped bank holds every area to, by kind of area. An area below it is
 * `bank: 'growing'` in the taxonomy; see docs/question-bank.md.
 */
import type { QuestionTypeId } from './question-types/registry.ts';
import type { QuestionContent } from './question-types/type.ts';
import type { Area, AreaKind } from './taxonomy.ts';

export interface BankStandard {
  questions: number;
  perDifficulty: number;
  /** Types the area must each have at least one question of. */
  mix: readonly QuestionTypeId[];
  /** Types the area may use (all when absent), with the number of options they must have. */
  only?: { types: readonly QuestionTypeId[]; options: number };
}

export const BANK_STANDARD: Readonly<Record<AreaKind, BankStandard>> = {
  technical: { questions: 24, perDifficulty: 6, mix: ['single', 'multi', 'order'] },
  // Soft skills are measured with four-option situational-judgement items only.
  soft: { questions: 30, perDifficulty: 10, mix: ['sjt'], only: { types: ['sjt'], options: 4 } },
};

/**
 * What an area's questions lack against the standard of its kind, e.g. `18/24 questions`,
 * `difficulty 3: 2/6`, `no order question`; empty when it meets the standard.
 */
export function shortOfStandard(area: Area, questions: readonly QuestionContent[]): string[] {
  const s = BANK_STANDARD[area.kind];
  const qs = questions.filter((q) => q.area === area.id);
  const out: string[] = [];
  if (qs.length < s.questions) out.push(`${qs.length}/${s.questions} questions`);
  for (const d of [1, 2, 3]) {
    const n = qs.filter((q) => q.difficulty === d).length;
    if (n < s.perDifficulty) out.push(`difficulty ${d}: ${n}/${s.perDifficulty}`);
  }
  for (const t of s.mix) if (!qs.some((q) => q.type === t)) out.push(`no ${t} question`);
  const only = s.only;
  if (only) {
    const off = qs.filter(
      (q) => !only.types.includes(q.type) || q.options?.length !== only.options,
    ).length;
    if (off) {
      out.push(`${off} not ${only.types.join('/')} with ${only.options} options`);
    }
  }
  return out;
}
