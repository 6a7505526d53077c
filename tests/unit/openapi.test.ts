import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../functions/http/openapi.ts';
import { routeKey } from '../../functions/http/route-types.ts';
import { ROUTES } from '../../functions/http/routes.ts';

describe('the OpenAPI document', () => {
  const doc = buildOpenApi();

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes exactly the routes of the route table', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(ROUTES.map(routeKey)));
    expect(documented).toHaveLength(ROUTES.length);
  });

  it('marks staff routes with the JWT scheme and their roles, candidate routes with the attempt token', () => {
    for (const r of ROUTES) {
      const op = (doc.paths as Record<string, Record<string, { security: unknown[] }>>)[r.path]![
        r.method.toLowerCase()
      ]!;
      const expected = Array.isArray(r.access)
        ? [{ staffJwt: [...r.access] }]
        : r.access === 'candidate'
          ? [{ attemptToken: [] }]
          : [];
      expect(op.security).toEqual(expected);
    }
  });

  it('gives every operation a unique operationId', () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
