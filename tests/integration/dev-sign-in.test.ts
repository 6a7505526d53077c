/**
 * The console's development sign-in, a route of the local gateway only: it mints a staff token
 * for a chosen organisation and role(s), answers only this machine's own pages, and is no part
 * of the API (not in the route table, not in the OpenAPI document).
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes.ts';
import {
  DEV_TOKEN_PATH,
  isLoopbackAddress,
  isLoopbackHost,
  LOCAL_CONSOLE_CONFIG,
} from '../../infra/local/dev-sign-in.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();

const signIn = (body: unknown, headers: Record<string, string> = {}) =>
  api.request('POST', DEV_TOKEN_PATH, { body, headers });

/** A raw request, to send a Host header fetch would not let us set. */
function withHost(host: string): Promise<number> {
  const url = new URL(`${api.base}${DEV_TOKEN_PATH}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ org: 'acme', roles: ['employer'] }));
  });
}

describe('POST /local/dev-token', () => {
  it('mints a token for the chosen organisation and roles that the API accepts', async () => {
    const res = await signIn({ org: 'dev-acme', roles: ['employer', 'author'] });

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ org: 'dev-acme', roles: ['employer', 'author'] });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
    const assessments = await api.request('GET', '/v1/assessments', { token: res.body.token });
    const questions = await api.request('GET', '/v1/questions', { token: res.body.token });
    expect(assessments.status).toBe(200);
    expect(questions.status).toBe(200);
  });

  it('names every invalid field: a bad organisation, the public bank, an unknown role, no role', async () => {
    const bad = await signIn({ org: 'Not An Org', roles: ['admin'] });
    const publicOrg = await signIn({ org: 'public', roles: [] });

    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['org', 'roles.0']);
    expect(publicOrg.status).toBe(400);
    expect(publicOrg.body.detail).toMatch(/org: "public" is the shipped bank/);
    expect(publicOrg.body.detail).toMatch(/roles: Choose at least one role/);
  });

  it('refuses what a cross-site page could send: another Origin, a non-JSON body, a rebinding Host', async () => {
    const foreign = await signIn(
      { org: 'acme', roles: ['employer'] },
      { origin: 'https://evil.example' },
    );
    const form = await api.request('POST', DEV_TOKEN_PATH, {
      raw: 'org=acme&roles=employer',
      contentType: 'application/x-www-form-urlencoded',
    });
    const sameOrigin = await signIn({ org: 'acme', roles: ['employer'] }, { origin: api.base });

    expect(foreign.status).toBe(403);
    expect(form.status).toBe(415);
    expect(sameOrigin.status).toBe(200);
    expect(await withHost('evil.example:3000')).toBe(403);
    expect(await withHost('localhost:3000')).toBe(200);
  });

  it('answers POST only, and is no route of the API', async () => {
    const get = await api.request('GET', DEV_TOKEN_PATH);
    const doc = await api.request('GET', '/v1/openapi.json');

    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(ROUTES.some((r) => r.path.startsWith('/local'))).toBe(false);
    expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/local'))).toBe(false);
  });

  it('knows loopback addresses and host names', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '', undefined].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(['localhost:3000', '127.0.0.1', '[::1]:3000'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['127.0.0.1.evil.example', 'localhost.evil.example', 'evil.example'].map(isLoopbackHost),
    ).toEqual([false, false, false]);
  });
});

describe('GET /console/config.json (locally)', () => {
  it('tells the console to sign in through the development endpoint', async () => {
    const res = await api.request('GET', '/console/config.json');

    expect(res.status).toBe(200);
    expect(res.body).toEqual(LOCAL_CONSOLE_CONFIG);
    expect(res.body).toEqual({ signIn: 'local', devTokenUrl: '/local/dev-token' });
  });
});
