import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpHandler, type HttpEvent } from '../../functions/http/api.ts';
import type { RouteDef } from '../../functions/http/route-types.ts';

const route: RouteDef = {
  operationId: 'ping',
  method: 'GET',
  path: '/v1/ping',
  group: 'public',
  access: 'public',
  responses: { 200: {} },
};

const event = (origin: string) =>
  ({
    version: '2.0',
    routeKey: 'GET /v1/ping',
    rawPath: '/v1/ping',
    rawQueryString: '',
    headers: { origin },
    requestContext: {
      http: { method: 'GET', path: '/v1/ping', sourceIp: '127.0.0.1' },
      requestId: 'r',
    },
    isBase64Encoded: false,
  }) as unknown as HttpEvent;

/** A response header by name, as HTTP reads it: case-insensitively. */
const header = (res: { headers?: Record<string, unknown> }, name: string) =>
  Object.entries(res.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

afterEach(() => {
  delete process.env.CORS_ORIGINS;
});

describe('CORS response headers', () => {
  it('are absent when no origin is configured, even for the origin "null"', async () => {
    const handler = createHttpHandler('public', [route], { ping: async () => ({ ok: true }) });
    const res = await handler(event('null'), {} as Context);
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
  });

  it('name a configured origin and no other', async () => {
    process.env.CORS_ORIGINS = 'https://app.example.com';
    const handler = createHttpHandler('public', [route], { ping: async () => ({ ok: true }) });
    const ok = await handler(event('https://app.example.com'), {} as Context);
    expect(header(ok, 'access-control-allow-origin')).toBe('https://app.example.com');
    const other = await handler(event('https://evil.example'), {} as Context);
    expect(header(other, 'access-control-allow-origin')).not.toBe('https://evil.example');
  });
});
