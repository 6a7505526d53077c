/**
 * Calibrated parameters as an attempt's draw freezes them. Apart from adaptive-section.ts so that
 * the calibration job, which freezes parameters but grades nothing, does not load the question
 * types.
 */
import type { CalibratedParameters } from './psychometrics.ts';

/** Calibrated parameters as the draw keeps them: discrimination, steps, category bounds. */
export interface FrozenParameters {
  a: number;
  s: number[];
  c: number[];
}

/** Parameters frozen from a calibration (rounded to 4 decimals: far below their standard errors). */
export function freeze(p: CalibratedParameters): FrozenParameters {
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return { a: r(p.a), s: p.steps.map(r), c: [...p.categories] };
}

export function thaw(f: FrozenParameters): CalibratedParameters {
  return { a: f.a, steps: f.s, categories: f.c };
}
