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
async function put(body: string | Buffer, contentType = 'application/json') {
  const event = {
    version: '2.0',
    routeKey: 'PUT /v1/name',
    rawPath: '/v1/name',
    rawQueryString: '',
    headers: { 'content-type': contentType },
    // Bytes that are not UTF-8 travel base64-encoded, as the gateway and API Gateway send them.
    body: typeof body === 'string' ? body : body.toString('base64'),
    requestContext: {
      http: { method: 'PUT', path: '/v1/name', sourceIp: '127.0.0.1' },
      requestId: 'req-json',
    },
    isBase64Encoded: typeof body !== 'string',
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

describe('a JSON body whose bytes are not UTF-8', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it('is refused with a 400 naming the member, not stored with U+FFFD in its place', async () => {
    const res = await put(bytes('{"name":"Ren', [0xe9], 'e"}'));

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors).toEqual([
      {
        path: 'name',
        message: expect.stringMatching(/^Is not UTF-8: byte 12 of the body \(0xE9\)/),
      },
    ]);
  });

  it('names the member deep in the body, and a key that is not UTF-8 by itself', async () => {
    const inArray = await put(bytes('{"name":"x","tags":["ok",{"k":"', [0xff], '"}]}'));
    expect(inArray.status).toBe(400);
    expect(inArray.body.errors[0].path).toBe('tags[1].k');

    const inKey = await put(bytes('{"name":"x","n', [0xc3], '":1}'));
    expect(inKey.status).toBe(400);
    expect(inKey.body.errors[0].path).toBe('n\ufffd');
  });

  it('refuses a surrogate encoded on its own (CESU-8), as JSON text cannot carry it', async () => {
    const res = await put(bytes('{"name":"', [0xed, 0xa0, 0x80], '"}'));

    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'name', message: /0xED/ });
  });

  it('still reads U+FFFD sent as UTF-8 (it is a character like any other)', async () => {
    const res = await put(bytes('{"name":"a\ufffdb"}'));

    expect(res.status).toBe(200);
    expect(res.body.got.name).toBe('a\ufffdb');
  });
});

/** The event API Gateway hands a function for `route` with `body` (text) as `contentType`. */
const eventFor = (route: RouteDef, body: string | undefined, contentType?: string) =>
  ({
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: route.path,
    rawQueryString: '',
    headers: contentType ? { 'content-type': contentType } : {},
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      http: { method: route.method, path: route.path, sourceIp: '127.0.0.1' },
      requestId: `req-${route.operationId}`,
    },
    isBase64Encoded: false,
  }) as unknown as HttpEvent;

describe('a body sent to a route that takes none', () => {
  const retire: RouteDef = {
    operationId: 'retire',
    method: 'DELETE',
    path: '/v1/name',
    group: 'public',
    access: 'public',
    responses: { 200: {} },
  };
  const retireHandler = createHttpHandler(
    'public',
    [retire] as const,
    { retire: async () => ({ retired: true }) } as never,
  );
  const del = async (body: string | undefined, contentType?: string) => {
    const event = eventFor(retire, body, contentType);
    const res = (await retireHandler(event, {} as Context)) as { statusCode: number; body: string };
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  it('is refused with a 400 naming the body, not read past', async () => {
    const res = await del('{"force":true,"reason":"x"}', 'application/json');

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors).toEqual([
      {
        path: '(body)',
        message: expect.stringMatching(/^DELETE \/v1\/name takes no request body: send none/),
      },
    ]);
  });

  it('is refused whatever it is (an array, a scalar, text); none, empty and {} are no body', async () => {
    for (const [body, type, status] of [
      ['[1]', 'application/json', 400],
      ['null', 'application/json', 400],
      ['"x"', 'application/json', 400],
      ['force=true', 'application/x-www-form-urlencoded', 400],
      ['hello', 'text/plain', 400],
      [undefined, undefined, 200],
      ['', 'application/json', 200],
      ['{}', 'application/json', 200],
      [' { } ', 'application/json', 200],
      // Whitespace only says nothing either, whatever the content type (it was a 400 as
      // malformed JSON, or naming (body) as text).
      ['  ', 'application/json', 200],
      ['\r\n\t ', 'text/plain', 200],
      [' \n', undefined, 200],
      // Not JSON whitespace: a body.
      ['\u00a0', 'text/plain', 400],
      ['{}{}', 'application/json', 400],
    ] as const) {
      const res = await del(body, type);

      expect(res.status, `${type} ${body}`).toBe(status);
      if (status === 200) expect(res.body).toEqual({ retired: true });
      else expect(res.body.errors[0].path, `${type} ${body}`).toBe('(body)');
    }
  });

  it('is refused as a body (400), not as too large (413), whatever its size', async () => {
    // Over the 1 MiB a JSON route reads: the function answered 413, which no route without a
    // body declared; the body is refused for being there, not for its size.
    const res = await del(`{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`, 'application/json');

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });
});

describe('a body with more invalid fields than an answer lists', () => {
  const strict: RouteDef = {
    operationId: 'strict',
    method: 'POST',
    path: '/v1/strict',
    group: 'public',
    access: 'public',
    body: z.strictObject({ name: z.string() }),
    responses: { 200: {} },
  };
  const strictHandler = createHttpHandler(
    'public',
    [strict] as const,
    { strict: async () => ({}) } as never,
  );
  const post = async (body: string) => {
    const event = eventFor(strict, body, 'application/json');
    return (await strictHandler(event, {} as Context)) as { statusCode: number; body: string };
  };

  it('lists the first 1,000 and says how many more, instead of an answer of megabytes', async () => {
    // 95,000 unknown keys in a 1 MB body were answered with a 4.3 MB problem naming each one.
    const keys = Array.from({ length: 95_000 }, (_, i) => `"k${i}":0`);
    const res = await post(`{"name":"x",${keys.join(',')}}`);
    const problem = JSON.parse(res.body);

    expect(res.statusCode).toBe(400);
    expect(res.body.length).toBeLessThan(100_000);
    expect(problem.errors).toHaveLength(1001);
    expect(problem.errors[0]).toEqual({ path: 'k0', message: expect.any(String) });
    expect(problem.errors[1000]).toEqual({
      path: '(body)',
      message: '94000 more not listed (95000 in all).',
    });
  });

  it('lists them all when there are few', async () => {
    const res = await post('{"a":1,"b":2}');

    expect(JSON.parse(res.body).errors.map((e: { path: string }) => e.path)).toEqual([
      'name',
      'a',
      'b',
    ]);
  });
});
