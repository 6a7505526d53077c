/** Quantile by linear interpolation between closest ranks (R type 7); NaN for no samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export const mean = (xs: readonly number[]) => (xs.length ? sum(xs) / xs.length : Number.NaN);

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary {
  return {
    n: xs.length,
    p50: round(quantile(xs, 0.5)),
    p90: round(quantile(xs, 0.9)),
    p99: round(quantile(xs, 0.99)),
    mean: round(xs.length ? sum(xs) / xs.length : Number.NaN),
    min: round(xs.length ? Math.min(...xs) : Number.NaN),
    max: round(xs.length ? Math.max(...xs) : Number.NaN),
  };
}

/** Rounded for the results file; ratios keep three decimals, times two. */
export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const ratio = (a: number, b: number) => round(b > 0 ? a / b : Number.NaN, 3);

/** The median of repeated measurements and the range they covered. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spreadOf(xs: readonly number[]): Spread {
  const ok = xs.filter((x) => Number.isFinite(x));
  return {
    median: round(median(ok), 3),
    min: round(ok.length ? Math.min(...ok) : Number.NaN, 3),
    max: round(ok.length ? Math.max(...ok) : Number.NaN, 3),
    n: ok.length,
  };
}

export type Verdict = 'PASS' | 'MISS' | 'inconclusive';

/**
 * A verdict only when the whole spread clears the limit (PASS) or the whole spread misses it
 * (MISS); a spread across the limit is inconclusive, however good its median.
 */
export function verdictOf(s: Spread, limit: number, direction: 'at-most' | 'at-least'): Verdict {
  if (s.n === 0) return 'inconclusive';
  const clears = (x: number) => (direction === 'at-most' ? x <= limit : x >= limit);
  if (clears(s.min) && clears(s.max)) return 'PASS';
  if (!clears(s.min) && !clears(s.max)) return 'MISS';
  return 'inconclusive';
}

/** Split `xs` into `rounds` consecutive chunks of (nearly) equal size. */
export function chunks<T>(xs: readonly T[], rounds: number): T[][] {
  const out: T[][] = [];
  const size = Math.ceil(xs.length / rounds);
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
