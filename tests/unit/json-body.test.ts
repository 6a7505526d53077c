import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createHttpHandler, type HttpEvent } from '../../functions/http/api.ts';
import type { RouteDef } from '../../functions/http/route-types.ts';

const route: RouteDef = {
  operationId: 'rename',
  method: 'PUT',
  path: '/v1/name',
  group: 'public',
  access: 'public',
  body: z.object({ name: z.string(), tags: z.optional(z.array(z.unknown())) }),
  responses: { 200: {} },
};

const handler = createHttpHandler(
  'public',
  [route] as const,
  {
    rename: async ({ body }: { body: unknown }) => ({ got: body }),
  } as never,
);

/** PUT /v1/name with `body` as its raw JSON text; the problem (or result) that comes back. */
async function put(body: string, contentType = 'application/json') {
  const event = {
    version: '2.0',
    routeKey: 'PUT /v1/name',
    rawPath: '/v1/name',
    rawQueryString: '',
    headers: { 'content-type': contentType },
    body,
    requestContext: {
      http: { method: 'PUT', path: '/v1/name', sourceIp: '127.0.0.1' },
      requestId: 'req-json',
    },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
  const res = (await handler(event, {} as Context)) as { statusCode: number; body: string };
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('a JSON request body the API will not read', () => {
  it('names the member when the body carries "__proto__" (valid JSON, refused on purpose)', async () => {
    const res = await put('{"name":"x","__proto__":{"polluted":true}}');

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed-body');
    expect(res.body.detail).toMatch(/"__proto__"/);
    expect(res.body.detail).not.toMatch(/not valid JSON/);
  });

  it('names the member when the body carries "constructor" holding a "prototype"', async () => {
    const res = await put('{"name":"x","constructor":{"prototype":{"polluted":true}}}');

    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/"constructor"/);
    expect(res.body.detail).not.toMatch(/not valid JSON/);
  });

  it('names the depth limit when the body nests deeper than 64 levels, however deep', async () => {
    for (const depth of [65, 3_000, 100_000]) {
      const res = await put(`{"name":"x","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`);

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('malformed-body');
      expect(res.body.detail).toMatch(/nests deeper than 64 levels/);
    }
  });

  it('still reads a body nested 64 levels deep, and brackets inside strings do not count', async () => {
    const deep = `${'['.repeat(63)}${']'.repeat(63)}`;
    const res = await put(`{"name":"[[[[{{{{\\"","tags":${deep}}`);

    expect(res.status).toBe(200);
    expect(res.body.got.name).toBe('[[[[{{{{"');
  });

  it('says where broken JSON breaks, without quoting the body back', async () => {
    const res = await put('{"name":"secret-value" "tags":[]}');

    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not valid JSON.*position 23 \(line 1, column 24\)/);
    expect(res.body.detail).not.toMatch(/secret-value/);
  });
});

describe('the character set of a JSON body', () => {
  it('refuses a body declared in a character set other than UTF-8 with a 415 that says to send UTF-8', async () => {
    const res = await put('{"name":"x"}', 'application/json; charset=utf-16');

    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported-media-type');
    expect(res.body.detail).toMatch(/UTF-8/);
    expect(res.body.detail).toMatch(/utf-16/);
  });

  it('reads a body declared as UTF-8 in any spelling, as ASCII (a subset of it), or with no character set', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
      'application/json; CHARSET=utf8',
      'application/json; charset=us-ascii',
    ]) {
      const res = await put('{"name":"x"}', type);

      expect(res.status, type).toBe(200);
      expect(res.body).toEqual({ got: { name: 'x' } });
    }
  });
});
