/**
 * A candidate as staff see them on an invitation, a result row and a report: its own module so
 * that the employer function (invitations) and the employer-attempts function (results,
 * reports) each build it without the other's schemas.
 */
import * as z from 'zod/mini';
import { LOCALES } from '../../domain/locales.ts';
import { once } from '../../domain/z.ts';

export const Candidate = /* @__PURE__ */ once(() =>
  z.object({
    name: z.optional(z.string()),
    email: z.optional(z.string()),
    externalId: z.optional(z.string()),
    locale: z.optional(z.enum(LOCALES)),
  }),
);
