/** The results table's order, and the create form's time estimate: pure, unit-tested. */

export interface ResultRow {
  attemptId: string;
  candidate: { name?: string; email?: string; externalId?: string };
  status: string;
  score: number;
  percentile?: number;
  passed?: boolean;
  completedAt: string;
  areas: Record<string, number>;
}

/** A column to sort by: score, percentile, completion time, name, or an area's score. */
export type SortKey = 'score' | 'percentile' | 'completedAt' | 'name' | `area:${string}`;
export type SortDirection = 'ascending' | 'descending';

function sortValue(row: ResultRow, key: SortKey): number | string | undefined {
  if (key === 'score') return row.score;
  if (key === 'percentile') return row.percentile;
  if (key === 'completedAt') return row.completedAt;
  if (key === 'name') return row.candidate.name ?? row.candidate.email ?? '';
  return row.areas[key.slice(5)];
}

/**
 * Names compare as a reader of the console expects (accents beside their letter, case ignored,
 * Ё beside Е), not by code point, which put "Émile" after "Zed".
 */
const NAMES = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Rows in the order of one column; a row without a value (no percentile before the tenth
 * completion, an area it did not draw) comes last either way, and ties keep the server's
 * ranking.
 */
export function sortResults(
  rows: readonly ResultRow[],
  key: SortKey,
  direction: SortDirection,
): ResultRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, rank) => ({ row, rank, v: sortValue(row, key) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) {
        return a.v === b.v ? a.rank - b.rank : a.v === undefined ? 1 : -1;
      }
      const order =
        typeof a.v === 'string' && typeof b.v === 'string' && key === 'name'
          ? NAMES.compare(a.v, b.v)
          : a.v < b.v
            ? -1
            : a.v > b.v
              ? 1
              : 0;
      return order ? order * sign : a.rank - b.rank;
    })
    .map((x) => x.row);
}

/** The areas present in any row, in the order given (the taxonomy's). */
export function areasIn(rows: readonly ResultRow[], order: readonly string[]): string[] {
  return order.filter((a) => rows.some((r) => a in r.areas));
}

export interface EstimateArea {
  id: string;
  /** The mean time hint of the area's published questions, when the server knows it. */
  timeHintSeconds?: number;
}

/**
 * The time a prepared candidate needs for a blueprint, from the areas' mean time hints:
 * `seconds` over the sections whose area has hints, `complete` when every section has.
 */
export function estimateSeconds(
  sections: readonly { area: string; count: number }[],
  areas: readonly EstimateArea[],
): { seconds: number; complete: boolean } {
  let seconds = 0;
  let complete = true;
  for (const s of sections) {
    const hint = areas.find((a) => a.id === s.area)?.timeHintSeconds;
    if (hint === undefined) complete = false;
    else seconds += hint * s.count;
  }
  return { seconds, complete };
}
