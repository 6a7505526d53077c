import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../functions/domain/errors.ts';
import { ROUTE_KEYS } from '../../functions/http/route-keys.ts';
import { routeKey } from '../../functions/http/route-types.ts';
import { unmatchedRoute } from '../../functions/http/router.ts';
import { ROUTES } from '../../functions/http/routes.ts';

describe('the route keys the public function answers $default with', () => {
  it('are exactly the route table’s keys, once each', () => {
    expect([...ROUTE_KEYS].sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(new Set(ROUTE_KEYS).size).toBe(ROUTE_KEYS.length);
  });

  it('give 405 with every method the path takes when it exists under another method', () => {
    const thrown = (() => {
      try {
        unmatchedRoute('POST', '/v1/questions/q-1');
      } catch (err) {
        return err as DomainError;
      }
    })();
    expect(thrown?.code).toBe('method-not-allowed');
    expect(thrown?.extra).toEqual({ allow: 'GET, PUT, DELETE' });
  });

  it('give 404 for a path no route has', () => {
    expect(() => unmatchedRoute('GET', '/v1/nope')).toThrow(/There is no route at \/v1\/nope/);
  });
});
