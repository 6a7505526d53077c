/**
 * The CORS policy, declared once: the CDK stack gives it to API Gateway's preflight handling,
 * the local gateway answers preflights with it, and handlers add the response headers (middy).
 */
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'if-match',
  'idempotency-key',
  'accept',
];
export const CORS_EXPOSE_HEADERS = ['etag', 'location', 'retry-after'];
export const CORS_MAX_AGE_SECONDS = 3600;

/** Browser origins allowed by CORS: `CORS_ORIGINS`, comma-separated (the CDK stack sets it). */
export function corsOrigins(): string[] {
  return (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The answer to a CORS preflight from `origin`, as API Gateway gives it: 204 with the allowed
 * methods and headers for a configured origin; undefined when the origin is not allowed.
 */
export function preflightHeaders(origin: string | undefined): Record<string, string> | undefined {
  if (!origin || !corsOrigins().includes(origin)) return undefined;
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS_ALLOW_METHODS.join(','),
    'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    vary: 'Origin',
  };
}
