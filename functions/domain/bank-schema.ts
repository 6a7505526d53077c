/** The bank envelope's schema, apart from the parsers so that API schemas stay small. */
import * as z from 'zod/mini';
import { notReserved } from './reserved.ts';
import { cleanText } from './text.ts';

/** Questions in one bank document (and in one import, over all its parts). */
export const MAX_BANK_QUESTIONS = 100_000;

/** A bank id: 3-64 lower-case letters, digits and hyphens, and no reserved name. */
export const BankId = z
  .string()
  .check(
    z.regex(
      /^[a-z0-9][a-z0-9-]{2,63}$/,
      'Bank ids are 3-64 lower-case letters, digits and hyphens.',
    ),
    notReserved('Bank ids'),
  );

export const BankMeta = z.strictObject({
  id: BankId,
  title: cleanText('name', { min: 1, max: 200 }),
  description: z.optional(cleanText('long', { max: 2000 })),
});
export type BankMeta = z.infer<typeof BankMeta>;

export const BankEnvelope = z.strictObject({
  bank: BankMeta,
  questions: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BANK_QUESTIONS)),
});
