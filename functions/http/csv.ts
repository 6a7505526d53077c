import { visibleText } from '../domain/text.ts';

/** Line breaks stay (a quoted field holds them); every other control character is made visible. */
const CSV_KEEPS: ReadonlySet<number> = new Set([0x0a, 0x0d]);

/**
 * One CSV field (RFC 4180) of text that came from people: control characters, bidirectional
 * controls and lone surrogates (text stored before the input rules refused them) are written as
 * a visible `<U+XXXX>`, and a cell a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or CR, also after leading spaces, which an import that trims them drops) is
 * prefixed with `'`. A cell holding `;` is quoted as well: a spreadsheet whose list separator is
 * `;` (Excel in much of Europe) splits an unquoted `Ada;=1+1` into a second cell, `=1+1`.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (typeof value === 'string') {
    const formula = /^\s*[=+\-@\t\r]/.test(s);
    s = visibleText(s, CSV_KEEPS);
    if (formula) s = `'${s}`;
  }
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface ResultCsvRow {
  attemptId: string;
  candidate: { name?: string; email?: string; externalId?: string };
  status: string;
  score: number;
  percentile?: number;
  passed?: boolean;
  completedAt: string;
  areas: Record<string, number>;
}

/** Ranked results as CSV: one row per attempt, one column per area present. */
export function resultsCsv(rows: readonly ResultCsvRow[], areaIds: readonly string[]): string {
  const header = [
    'rank',
    'attemptId',
    'name',
    'email',
    'externalId',
    'status',
    'score',
    'percentile',
    'passed',
    'completedAt',
    ...areaIds,
  ];
  const lines = rows.map((r, i) =>
    [
      i + 1,
      r.attemptId,
      r.candidate.name,
      r.candidate.email,
      r.candidate.externalId,
      r.status,
      r.score,
      r.percentile,
      r.passed,
      r.completedAt,
      ...areaIds.map((a) => r.areas[a]),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
