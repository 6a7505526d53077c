import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { UnauthorizedError } from '../domain/errors.ts';

export { bearerOf } from './bearer.ts';

/**
 * Staff JWT verification exactly as the HTTP API JWT authorizer does it: signature against
 * the issuer's keys, `iss`, `exp`, and the audience: `aud` must name the app client, or, when
 * a token has no `aud` (a Cognito access token), `client_id` must. So an access token of the app
 * client passes here as on AWS, and the handler refuses it (principal.ts): only ID tokens carry
 * the organisation. The local gateway uses this for staff routes; on AWS the authorizer does it
 * before Lambda.
 */
export interface JwtSettings {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

let cached: { env: string; settings: JwtSettings | undefined } | undefined;

/**
 * Settings from the environment: `JWT_ISSUER`, `JWT_AUDIENCE`, and either `JWT_JWKS` (an
 * inline key set, used locally) or the issuer's `/.well-known/jwks.json` (Cognito).
 */
export function jwtSettingsFromEnv(): JwtSettings | undefined {
  const { JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS } = process.env;
  const envKey = `${JWT_ISSUER}|${JWT_AUDIENCE}|${JWT_JWKS}`;
  if (cached?.env === envKey) return cached.settings;
  let settings: JwtSettings | undefined;
  if (JWT_ISSUER && JWT_AUDIENCE) {
    const keys = JWT_JWKS
      ? createLocalJWKSet(JSON.parse(JWT_JWKS) as JSONWebKeySet)
      : createRemoteJWKSet(new URL(`${JWT_ISSUER}/.well-known/jwks.json`));
    settings = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, keys };
  }
  cached = { env: envKey, settings };
  return settings;
}

/** Verified claims, or 401 with a reason a person can act on. */
export async function verifyStaffJwt(token: string, settings: JwtSettings): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, settings.keys, {
      issuer: settings.issuer,
      requiredClaims: ['exp', 'sub'],
    });
    // API Gateway reads `client_id` only when `aud` is absent.
    const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
    if (!audiences.includes(settings.audience)) {
      throw new UnauthorizedError('Invalid staff token: the token does not have a valid audience.');
    }
    return payload;
  } catch (err) {
    if (err instanceof UnauthorizedError) throw err;
    const code = (err as { code?: string }).code;
    const why =
      code === 'ERR_JWT_EXPIRED'
        ? 'the token has expired'
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? `claim check failed (${(err as Error).message})`
          : 'the token is malformed or its signature does not verify';
    throw new UnauthorizedError(`Invalid staff token: ${why}.`);
  }
}
