import * as z from 'zod/mini';
import { AREA_IDS } from '../../domain/taxonomy.ts';

export const Health = z.object({ status: z.literal('ok') });

export const Ready = z.object({ status: z.literal('ready') });

export const AreaView = z.object({
  id: z.enum(AREA_IDS),
  name: z.string(),
  kind: z.enum(['technical', 'soft']),
  description: z.string(),
  questionCount: z.int().check(z.minimum(0)),
  timeHintSeconds: z.optional(
    z
      .int()
      .check(
        z.minimum(1),
        z.describe(
          'The mean time hint (seconds) of the published questions counted in questionCount that have one; absent when none has. The console estimates an assessment’s time from it.',
        ),
      ),
  ),
});

export const AreaList = z.object({ areas: z.array(AreaView) });

export const ProblemSchema = z.object({
  type: z.string(),
  code: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  instance: z.optional(z.string()),
  errors: z.optional(
    z.array(
      z.object({
        path: z.string(),
        message: z.string(),
        line: z.optional(z.int()),
        column: z.optional(z.int()),
      }),
    ),
  ),
});
