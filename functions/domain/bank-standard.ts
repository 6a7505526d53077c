/**
 * The standard the shipped bank holds every area to, by kind of area. An area below it is
 * `bank: 'growing'` in the taxonomy; see docs/question-bank.md.
 */
import type { QuestionTypeId } from './question-types/registry.ts';
import type { QuestionContent } from './question-types/type.ts';
import type { Area, AreaKind } from './taxonomy.ts';

/** The tag that marks a code-reading item: a snippet whose behaviour, bug or fix is asked. */
export const CODE_READING_TAG = 'code-reading';

/** A fenced Markdown code block (```lang ... ```), where a code-reading item shows its code. */
const FENCED_CODE = /```[a-z]*\n[\s\S]*?```/;

/** Whether a prompt shows code in a fenced Markdown block. */
export function hasFencedCode(prompt: string): boolean {
  return FENCED_CODE.test(prompt);
}

export interface BankStandard {
  questions: number;
  perDifficulty: number;
  /** Types the area must each have at least one question of. */
  mix: readonly QuestionTypeId[];
  /** Types the area may use (all when absent), with the number of options they must have. */
  only?: { types: readonly QuestionTypeId[]; options: number };
  /**
   * Code-reading items the area must have: tagged `code-reading` and showing their code in a
   * fenced block. When set, the tag and the fenced block must also go together on every item.
   */
  codeReading?: number;
}

export const BANK_STANDARD: Readonly<Record<AreaKind, BankStandard>> = {
  // Issue 18: pools big enough for adaptive tests with exposure control, in all four objective
  // types, with code-reading items in every technical area.
  technical: {
    questions: 45,
    perDifficulty: 15,
    mix: ['single', 'multi', 'order', 'numeric'],
    codeReading: 5,
  },
  // Soft skills are measured with four-option situational-judgement items only.
  soft: { questions: 30, perDifficulty: 10, mix: ['sjt'], only: { types: ['sjt'], options: 4 } },
};

/**
 * What an area's questions lack against the standard of its kind, e.g. `18/45 questions`,
 * `difficulty 3: 2/15`, `no order question`, `code-reading: 3/5`; empty when it meets the
 * standard.
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
  if (s.codeReading !== undefined) out.push(...codeReadingShortfall(qs, s.codeReading));
  return out;
}

/** Code-reading items short of `needed`, and items whose tag and fenced code do not go together. */
function codeReadingShortfall(qs: readonly QuestionContent[], needed: number): string[] {
  const tagged = (q: QuestionContent) => q.tags.includes(CODE_READING_TAG);
  const fenced = (q: QuestionContent) => hasFencedCode(q.prompt);
  const out: string[] = [];
  const n = qs.filter((q) => tagged(q) && fenced(q)).length;
  if (n < needed) out.push(`code-reading: ${n}/${needed}`);
  const noCode = qs.filter((q) => tagged(q) && !fenced(q)).map((q) => q.id);
  if (noCode.length)
    out.push(`tagged ${CODE_READING_TAG} without fenced code: ${noCode.join(', ')}`);
  const noTag = qs.filter((q) => fenced(q) && !tagged(q)).map((q) => q.id);
  if (noTag.length) out.push(`fenced code not tagged ${CODE_READING_TAG}: ${noTag.join(', ')}`);
  return out;
}
