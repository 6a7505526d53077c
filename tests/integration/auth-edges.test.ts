/**
 * Who answers an authentication failure, and with what. On AWS the HTTP API's JWT authorizer
 * refuses a staff route's missing or invalid token itself, before any function runs, with
 * `401 {"message":"Unauthorized"}` and a `www-authenticate` header saying why; the local
 * gateway answers the same. A token that passes the authorizer but cannot be used (a Cognito
 * access token, whose `client_id` matches the app client) is refused by the function with a
 * 401 problem saying what to send instead. docs/operations.md has the full table.
 */
import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  localKeys,
  mintToken,
} from '../../infra/local/local-auth.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();

/** A token signed with the local issuer's key, with exactly these claims. */
async function signed(claims: Record<string, unknown>): Promise<string> {
  const { privateJwk } = await localKeys();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid! })
    .setIssuer(LOCAL_ISSUER)
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importJWK(privateJwk, 'ES256'));
}

function expectGatewayRefusal(res: { status: number; headers: Headers; text: string }) {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.text).toBe('{"message":"Unauthorized"}');
}

describe('the JWT authorizer (the gateway) on a staff route', () => {
  it('refuses a request without a token: 401 {"message":"Unauthorized"}, www-authenticate Bearer', async () => {
    const res = await api.request('GET', '/v1/assessments');
    expectGatewayRefusal(res);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a malformed token, saying invalid_token in www-authenticate', async () => {
    const res = await api.request('GET', '/v1/assessments', { token: 'not.a.jwt' });
    expectGatewayRefusal(res);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer scope="" error="invalid_token" error_description="[^"]+"$/,
    );
  });

  it('refuses a token for another app client (aud)', async () => {
    const token = await signed({ aud: 'another-client', token_use: 'id', 'custom:org': 'acme' });
    const res = await api.request('GET', '/v1/assessments', { token });
    expectGatewayRefusal(res);
    expect(res.headers.get('www-authenticate')).toContain(
      'the token does not have a valid audience',
    );
  });

  it('refuses an access token of another app client (client_id, no aud)', async () => {
    const token = await signed({ client_id: 'another-client', token_use: 'access' });
    const res = await api.request('GET', '/v1/assessments', { token });
    expectGatewayRefusal(res);
  });

  it('refuses a candidate attempt token, which is no JWT', async () => {
    const res = await api.request('GET', '/v1/assessments', { token: 'a'.repeat(43) });
    expectGatewayRefusal(res);
  });
});

describe('the function, after the authorizer let the token through', () => {
  it('refuses an access token of the app client with a 401 problem asking for the ID token', async () => {
    const token = await mintToken({ roles: ['employer'], org: 'acme', use: 'access' });
    const res = await api.request('GET', '/v1/assessments', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.detail).toMatch(/access token; send the ID token/);
  });

  it('refuses an access-token-shaped JWT (client_id of the app client, no aud, no token_use) for lack of an organisation', async () => {
    const token = await signed({ client_id: LOCAL_AUDIENCE, 'cognito:groups': ['employers'] });
    const res = await api.request('GET', '/v1/assessments', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.detail).toContain('custom:org');
  });

  it('accepts the ID token of the same person', async () => {
    const token = await mintToken({ roles: ['employer'], org: 'acme' });
    const res = await api.request('GET', '/v1/assessments', { token });
    expect(res.status).toBe(200);
  });

  it('ignores an access token on a public route that only reads an optional staff token', async () => {
    const token = await mintToken({ roles: ['author'], org: 'acme', use: 'access' });
    const res = await api.request('GET', '/v1/areas', { token });
    expect(res.status).toBe(200);
  });
});
