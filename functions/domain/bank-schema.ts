/** The bank envelope's schema, apart from the parsers so that API schemas stay small. */
import * as z from 'zod/mini';

export const MAX_BANK_QUESTIONS = 10_000;

export const BankMeta = z.strictObject({
  id: z
    .string()
    .check(
      z.regex(
        /^[a-z0-9][a-z0-9-]{2,63}$/,
        'Bank ids are 3-64 lower-case letters, digits and hyphens.',
      ),
    ),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.optional(z.string().check(z.maxLength(2000))),
});
export type BankMeta = z.infer<typeof BankMeta>;

export const BankEnvelope = z.strictObject({
  bank: BankMeta,
  questions: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BANK_QUESTIONS)),
});
