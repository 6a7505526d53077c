import * as z from 'zod/mini';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { once } from '../../domain/z.ts';

/*
 * Each schema is built on its first use (`once`, see domain/z.ts): a cold start builds only its
 * own route's (the areas: the list), not the other routes'. The route table (routes/public.ts)
 * reads them through getters.
 */

export const Health = /* @__PURE__ */ once(() => z.object({ status: z.literal('ok') }));

export const Ready = /* @__PURE__ */ once(() => z.object({ status: z.literal('ready') }));

const AreaView = () =>
  z.object({
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
export const OpenApiDocument = /* @__PURE__ */ once(() =>
  z.looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.looseObject({})),
  }),
);

export const AreaList = /* @__PURE__ */ once(() => z.object({ areas: z.array(AreaView()) }));
