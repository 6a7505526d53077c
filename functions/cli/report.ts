import type { Bank } from '../domain/bank.ts';
import { QUESTION_TYPES } from '../domain/question-types/registry.ts';
import { AREAS } from '../domain/taxonomy.ts';

/** Markdown coverage table of banks: per area, counts by difficulty and by type. */
export function coverageReport(banks: readonly Bank[]): string {
  const questions = banks.flatMap((b) => b.questions);
  const header = ['area', 'd1', 'd2', 'd3', ...QUESTION_TYPES, 'total'];
  const rows = AREAS.map((a) => {
    const qs = questions.filter((q) => q.area === a.id);
    return [
      a.id,
      ...[1, 2, 3].map((d) => qs.filter((q) => q.difficulty === d).length),
      ...QUESTION_TYPES.map((t) => qs.filter((q) => q.type === t).length),
      qs.length,
    ];
  });
  const totals = [
    '**total**',
    ...header.slice(1).map((_, i) => rows.reduce((s, r) => s + Number(r[i + 1]), 0)),
  ];
  const line = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  return `${[line(header), line(header.map(() => '---')), ...rows.map(line), line(totals)].join('\n')}\n`;
}
