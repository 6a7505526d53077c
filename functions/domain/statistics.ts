/**
 * Running sums from which norms and item statistics are read. Kept incrementally (DynamoDB ADD)
 * as attempts complete, so reading them never scans attempts.
 */

/** Score bins of 0.1 point: scores are stored with one decimal. */
export const scoreBin = (score: number) => Math.round(score * 10);

/** Norms are reported only once an assessment has this many completed attempts. */
export const MIN_NORM_GROUP = 10;

/**
 * Percentile rank of `score` in a histogram of completed attempts: the share scoring lower
 * plus half of those scoring the same, in percent. Undefined below the minimum group size.
 */
export function percentileOf(
  score: number,
  histogram: ReadonlyMap<number, number>,
  n: number,
): number | undefined {
  if (n < MIN_NORM_GROUP) return undefined;
  const bin = scoreBin(score);
  let below = 0;
  let equal = 0;
  for (const [b, count] of histogram) {
    if (b < bin) below += count;
    else if (b === bin) equal += count;
  }
  return Math.round(((below + equal / 2) / n) * 100);
}

/** Sums for one question version: x = item score, y = the candidate's mean score on the other items. */
export interface ItemSums {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  syy: number;
  sxy: number;
  seconds: number;
}

/** This attempt's contribution to each item's sums. */
export function itemContributions(
  items: readonly { key: string; score: number; secondsSpent: number }[],
): Map<string, ItemSums> {
  const total = items.reduce((s, i) => s + i.score, 0);
  const out = new Map<string, ItemSums>();
  for (const i of items) {
    const y = items.length > 1 ? (total - i.score) / (items.length - 1) : 0;
    out.set(i.key, {
      n: 1,
      sx: i.score,
      sxx: i.score * i.score,
      sy: y,
      syy: y * y,
      sxy: i.score * y,
      seconds: i.secondsSpent,
    });
  }
  return out;
}

export interface ItemStatistics {
  attempts: number;
  /** Mean item score in [0,1]: the share of credit candidates earned. */
  facility: number | null;
  /** Corrected item-total correlation: the item against the rest of the test. */
  discrimination: number | null;
  meanSeconds: number | null;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function itemStatistics(s: ItemSums | undefined): ItemStatistics {
  if (!s || s.n === 0)
    return { attempts: 0, facility: null, discrimination: null, meanSeconds: null };
  const vx = s.n * s.sxx - s.sx * s.sx;
  const vy = s.n * s.syy - s.sy * s.sy;
  const cov = s.n * s.sxy - s.sx * s.sy;
  return {
    attempts: s.n,
    facility: round(s.sx / s.n),
    discrimination: s.n >= 2 && vx > 1e-12 && vy > 1e-12 ? round(cov / Math.sqrt(vx * vy)) : null,
    meanSeconds: round(s.seconds / s.n, 1),
  };
}
