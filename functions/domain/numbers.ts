import * as z from 'zod/mini';

/**
 * DynamoDB stores numbers of magnitude 1e-130 to 1e126 with 38 significant digits, and the
 * SDK refuses integers beyond 2^53 that would lose precision. Assay accepts 0 and magnitudes
 * from 1e-12 to 1e15: enough for every real answer, and always storable.
 */
export function isStorableNumber(n: number): boolean {
  const m = Math.abs(n);
  return Number.isFinite(n) && (m === 0 || (m >= 1e-12 && m <= 1e15));
}

export const STORABLE_NUMBER_MESSAGE = 'Numbers are 0 or between 1e-12 and 1e15 in magnitude.';

/** A zod check for numbers that DynamoDB (and the SDK) can store exactly. */
export const storable = () => z.refine<number>(isStorableNumber, STORABLE_NUMBER_MESSAGE);
