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

/** This document's outline (its full shape is the OpenAPI 3.1 specification's). */
export const OpenApiDocument = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
});

export const AreaList = z.object({ areas: z.array(AreaView) });
