/**
 * The settings of adaptive sections that code outside the assessment schema needs (the
 * calibration job's exposure simulation): apart from domain/assessment.ts so that importing them
 * builds no schema (the calibration bundle carries no assessment validation).
 */

/** Bounds of an adaptive section's settings (validated at creation). */
export const ADAPTIVE_LIMITS = {
  maxItems: 100,
  minStandardError: 0.1,
  maxStandardError: 1,
} as const;

/**
 * Defaults of an adaptive section: at least 5 items, at most 20, stop once the ability's
 * standard error is 0.4 (a reliability of about 0.84 on the N(0,1) scale). docs/psychometrics.md.
 */
export const ADAPTIVE_DEFAULTS = { minItems: 5, maxItems: 20, targetStandardError: 0.4 } as const;
