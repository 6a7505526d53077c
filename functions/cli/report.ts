import type { Bank } from '../domain/bank.ts';
import { shortOfStandard } from '../domain/bank-standard.ts';
import type { QuestionContent } from '../domain/question.ts';
import { QUESTION_TYPES } from '../domain/question-types/registry.ts';
import { AREAS, type Area } from '../domain/taxonomy.ts';

/**
 * `standard`, or `growing: <what it lacks>`; an area marked growing that meets the standard,
 * or one below it that is not marked, says so (the bank gate fails on both).
 */
function stateOf(area: Area, questions: readonly QuestionContent[]): string {
  const short = shortOfStandard(area, questions);
  if (area.bank === 'growing') {
    return short.length ? `growing: ${short.join(', ')}` : 'growing, but meets the standard';
  }
  return short.length ? `below the standard: ${short.join(', ')}` : 'standard';
}

/**
 * Markdown coverage table of banks: per area, counts by difficulty and by type, and the area's
 * state against the bank standard (`standard`, or `growing` with what it lacks).
 */
export function coverageReport(banks: readonly Bank[]): string {
  const questions = banks.flatMap((b) => b.questions);
  const header = ['area', 'd1', 'd2', 'd3', ...QUESTION_TYPES, 'total', 'state'];
  const rows = AREAS.map((a) => {
    const qs = questions.filter((q) => q.area === a.id);
    return [
      a.id,
      ...[1, 2, 3].map((d) => qs.filter((q) => q.difficulty === d).length),
      ...QUESTION_TYPES.map((t) => qs.filter((q) => q.type === t).length),
      qs.length,
      stateOf(a, questions),
    ];
  });
  const totals = [
    '**total**',
    ...header.slice(1, -1).map((_, i) => rows.reduce((s, r) => s + Number(r[i + 1]), 0)),
    '',
  ];
  const line = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  return `${[line(header), line(header.map(() => '---')), ...rows.map(line), line(totals)].join('\n')}\n`;
}
