import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createHttpHandler, type HttpEvent } from '../../functions/http/api.ts';
import type { RouteDef } from '../../functions/http/route-types.ts';

const route: RouteDef = {
  operationId: 'explode',
  method: 'GET',
  path: '/v1/explode',
  group: 'public',
  access: 'public',
  summary: 'Always fails.',
  responses: { 200: { description: 'Never.' } },
};

const event = {
  version: '2.0',
  routeKey: 'GET /v1/explode',
  rawPath: '/v1/explode',
  rawQueryString: '',
  headers: {},
  requestContext: {
    http: { method: 'GET', path: '/v1/explode', sourceIp: '127.0.0.1' },
    requestId: 'req-123',
  },
  isBase64Encoded: false,
} as unknown as HttpEvent;

describe('an unexpected error in an operation', () => {
  it('becomes a bare 500 problem+json that quotes the request id, and is logged', async () => {
    const logged: string[] = [];
    const capture = (chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const handler = createHttpHandler('public', [route], {
      explode: async () => {
        throw new Error('database password is hunter2');
      },
    });
    const res = await handler(event, {} as Context);
    stdout.mockRestore();
    stderr.mockRestore();
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(res.body!);
    expect(body).toMatchObject({ status: 500, code: 'internal' });
    expect(body.detail).toContain('req-123');
    expect(res.body).not.toContain('hunter2');
    expect(logged.join('')).toContain('Unhandled error');
  });
});
