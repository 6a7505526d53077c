/** The public function's routes (see `../routes.ts`, which lists them all). */
import { AREAS } from '../../domain/taxonomy.ts';
import type { RouteDef } from '../route-types.ts';
import { AreaList, Health, OpenApiDocument, Ready } from '../schemas/public.ts';

export const PUBLIC_ROUTES = [
  {
    operationId: 'health',
    method: 'GET',
    path: '/v1/health',
    group: 'public',
    access: 'public',
    summary: 'Liveness check.',
    responses: {
      200: {
        description: 'The API is up.',
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
    summary:
      'Readiness: whether the database answers (one read, at most 2 s). 503 with Retry-After while it does not.',
    responses: {
      200: {
        description: 'The database answers: requests can be served.',
        get schema() {
          return Ready();
        },
      },
      503: { description: 'The database did not answer within 2 s.' },
    },
  },
  {
    operationId: 'openapi',
    method: 'GET',
    path: '/v1/openapi.json',
    group: 'public',
    access: 'public',
    summary: 'This OpenAPI 3.1 document.',
    responses: {
      200: {
        description: 'The OpenAPI document.',
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
    summary: `The ${AREAS.length} trend areas and soft skills, with the number of published questions visible to the caller (the shipped bank, plus the organisation of a staff bearer token if one is sent) and their mean time hint.`,
    responses: {
      200: {
        description: 'The areas.',
        get schema() {
          return AreaList();
        },
      },
    },
  },
] as const satisfies readonly RouteDef[];
