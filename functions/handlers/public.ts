import { readAreaCounts } from '../data/area-counts.ts';
import { probeTable } from '../data/health.ts';
import { UnauthorizedError } from '../domain/errors.ts';
import { AREAS } from '../domain/taxonomy.ts';
import { createHttpHandler, type Operations, Reply } from '../http/api.ts';
import { bearerOf } from '../http/bearer.ts';
import { PUBLIC_ORG, principalFromClaims } from '../http/principal.ts';
import { unmatchedRoute } from '../http/router.ts';
import { PUBLIC_ROUTES } from '../http/routes/public.ts';

let openapi: string | undefined;

/** How long readiness waits for the database: well inside any probe's own timeout. */
export const READY_TIMEOUT_MS = 2000;

/**
 * The organisation of a valid staff token on this public route (verified here: public routes
 * have no authorizer). Any other bearer (a candidate's token, an expired one) is ignored: the
 * route needs no credential, so it answers with the public counts.
 */
async function optionalOrg(authorization: string | undefined): Promise<string | undefined> {
  const token = bearerOf(authorization);
  if (!token) return undefined;
  // The JWT library is loaded only by a request that carries a token (most do not).
  const { jwtSettingsFromEnv, verifyStaffJwt } = await import('../http/jwt.ts');
  const settings = jwtSettingsFromEnv();
  if (!settings) return undefined;
  try {
    return principalFromClaims(await verifyStaffJwt(token, settings)).org;
  } catch (err) {
    if (err instanceof UnauthorizedError) return undefined;
    throw err;
  }
}

export const operations: Operations<typeof PUBLIC_ROUTES> = {
  health: async () => ({ status: 'ok' }),
  ready: async () => {
    await probeTable(READY_TIMEOUT_MS);
    return new Reply(200, { status: 'ready' }, { 'cache-control': 'no-store' });
  },
  openapi: async () => {
    // Every route's schemas and zod's JSON Schema code, loaded and built only when the document
    // is asked for: a side entry, built beside the bundle (infra/aws/bundling.ts).
    const { buildOpenApi } = await import('#side/openapi');
    openapi ??= JSON.stringify(buildOpenApi());
    return JSON.parse(openapi);
  },
  listAreas: async ({ headers }) => {
    const org = await optionalOrg(headers.authorization);
    const counts = await readAreaCounts(org ? [PUBLIC_ORG, org] : [PUBLIC_ORG]);
    return { areas: AREAS.map((a) => ({ ...a, ...(counts[a.id] ?? { questionCount: 0 }) })) };
  },
};

// The public function also serves API Gateway's $default route: 404 or 405 for anything else.
export const handler = createHttpHandler('public', PUBLIC_ROUTES, operations, {
  fallback: unmatchedRoute,
  outputs: () => import('#side/outputs-public'),
});
