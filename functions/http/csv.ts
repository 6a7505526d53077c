/** One CSV field (RFC 4180), neutralising spreadsheet formulas in text that came from people. */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
