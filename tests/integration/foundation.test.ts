import { describe, expect, it } from 'vitest';
import { AREAS } from '../../functions/domain/taxonomy.ts';
import { useTestApi } from './support.ts';

// Set before the first request loads the handlers, as the CDK stack sets it on each function.
process.env.CORS_ORIGINS = 'https://app.example.com';

const api = useTestApi();

describe('the local gateway in front of the public routes', () => {
  it('answers health with 200 {status:"ok"}', async () => {
    const res = await api.request('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('lists every area of the taxonomy with a question count each', async () => {
    const res = await api.request('GET', '/v1/areas');
    expect(res.status).toBe(200);
    expect(res.body.areas.map((a: { id: string }) => a.id)).toEqual(AREAS.map((a) => a.id));
    expect(res.body.areas.map((a: { kind: string }) => a.kind)).toEqual(AREAS.map((a) => a.kind));
    for (const area of res.body.areas) expect(area.questionCount).toBeTypeOf('number');
  });

  it('answers the public areas route whatever bearer a caller sends', async () => {
    const res = await api.request('GET', '/v1/areas', { token: 'an-opaque-candidate-token' });
    expect(res.status).toBe(200);
    expect(res.body.areas).toHaveLength(AREAS.length);
  });

  it('serves the OpenAPI document', async () => {
    const res = await api.request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('answers a wrong method with 405 problem+json and an Allow header', async () => {
    const res = await api.request('POST', '/v1/health');
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.body).toMatchObject({ status: 405, code: 'method-not-allowed' });
  });

  it('answers an unknown path with 404 problem+json', async () => {
    const res = await api.request('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.detail).toContain('/v1/nope');
  });

  it('sends security headers on every response, errors included', async () => {
    const res = await api.request('GET', '/v1/nope');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
  });
});

describe('staff authentication and authorisation', () => {
  it('rejects a malformed JWT on a staff route with 401, as the JWT authorizer does', async () => {
    const res = await api.request('GET', '/v1/questions', { token: 'not.a.jwt' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it('rejects a staff route without a token with 401', async () => {
    const res = await api.request('GET', '/v1/questions');
    expect(res.status).toBe(401);
  });

  it('rejects an expired token with 401 saying so', async () => {
    const { mintToken } = await import('../../infra/local/local-auth.ts');
    const token = await mintToken({ roles: ['author'], org: 'acme', ttlSeconds: -60 });
    const res = await api.request('GET', '/v1/questions', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('expired');
  });

  it('answers a staff route called with the wrong role with 403', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: await api.token('employer'),
      raw: '{}',
      contentType: 'application/json',
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});

describe('request bodies', () => {
  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await api.request('PUT', '/v1/questions/some-question', {
      token: await api.token('author'),
      raw: '{"prompt": ',
      contentType: 'application/json',
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('malformed-body');
  });

  it('names every invalid field of a body in errors', async () => {
    const res = await api.request('PUT', '/v1/questions/some-question', {
      token: await api.token('author'),
      body: { area: 'astrology', type: 'single', difficulty: 7, extra: true },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['area', 'difficulty', 'extra', 'prompt', 'explanation', 'tags']),
    );
  });

  it('answers a body over 10 MB with 413 as API Gateway does, on any route, as the document declares', async () => {
    // API Gateway's payload quota (10 MB) refuses the body before any function runs, with its
    // own JSON message; the local gateway answered problem+json, which AWS never sends there.
    const doc = (await api.request('GET', '/v1/openapi.json')).body;
    const over = 'x'.repeat(10 * 1024 * 1024 + 1);
    for (const [method, path, route, token] of [
      ['POST', '/v1/banks', '/v1/banks', await api.token('author')],
      ['POST', '/v1/attempts/x/submit', '/v1/attempts/{attemptId}/submit', 'an-attempt-token'],
      ['DELETE', '/v1/questions/x', '/v1/questions/{questionId}', await api.token('author')],
    ] as const) {
      const res = await api.request(method, path, {
        token,
        raw: over,
        contentType: 'application/yaml',
      });

      expect(res.status, `${method} ${path}`).toBe(413);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.body).toEqual({ message: 'Request Entity Too Large' });
      const declared = doc.paths[route][method.toLowerCase()].responses['413'];
      expect(declared.content['application/json'].schema.required).toEqual(['message']);
    }
  });
});

describe('CORS for configured origins', () => {
  it('answers a browser preflight from a configured origin as API Gateway does', async () => {
    const res = await api.request('OPTIONS', '/v1/questions', {
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('adds the allow-origin header to responses for a configured origin only', async () => {
    const ok = await api.request('GET', '/v1/health', {
      headers: { origin: 'https://app.example.com' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await api.request('GET', '/v1/health', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});
