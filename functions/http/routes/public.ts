/** The public function's routes (see `../routes.ts`, which lists them all). */
import { AREAS } from '../../domain/taxonomy.ts';
import type { RouteDef, RouteProse } from '../route-types.ts';
import { AreaList, Health, OpenApiDocument, Ready } from '../schemas/public.ts';

export const PUBLIC_ROUTES = [
  {
    operationId: 'health',
    method: 'GET',
    path: '/v1/health',
    group: 'public',
    access: 'public',
    responses: {
      200: {
        get schema() {
          return Health();
        },
      },
    },
  },
  {
    operationId: 'ready',
    method: 'GET',
    path: '/v1/health/ready',
    group: 'public',
    access: 'public',
    responses: {
      200: {
        get schema() {
          return Ready();
        },
      },
      503: {},
    },
  },
  {
    operationId: 'openapi',
    method: 'GET',
    path: '/v1/openapi.json',
    group: 'public',
    access: 'public',
    responses: {
      200: {
        get schema() {
          return OpenApiDocument();
        },
      },
    },
  },
  {
    operationId: 'listAreas',
    method: 'GET',
    path: '/v1/areas',
    group: 'public',
    access: 'public',
    responses: {
      200: {
        get schema() {
          return AreaList();
        },
      },
    },
  },
] as const satisfies readonly RouteDef[];

/**
 * What each route does and what each of its answers means: the OpenAPI document's prose. Its one
 * reader is `../openapi.ts` (a side module). A function, so that esbuild leaves it out of the
 * Lambda bundles (an unused object with template literals would stay: they may have effects).
 */
export const PUBLIC_PROSE = (): RouteProse<typeof PUBLIC_ROUTES> => ({
  health: {
    summary: 'Liveness check.',
    responses: {
      200: 'The API is up.',
    },
  },
  ready: {
    summary:
      'Readiness: whether the database answers (one read, at most 2 s). 503 with Retry-After while it does not.',
    responses: {
      200: 'The database answers: requests can be served.',
      503: 'The database did not answer within 2 s.',
    },
  },
  openapi: {
    summary: 'This OpenAPI 3.1 document.',
    responses: {
      200: 'The OpenAPI document.',
    },
  },
  listAreas: {
    summary: `The ${AREAS.length} trend areas and soft skills, with the number of published questions visible to the caller (the shipped bank, plus the organisation of a staff bearer token if one is sent) and their mean time hint.`,
    responses: {
      200: 'The areas.',
    },
  },
});
