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
 * the issuer's keys, `iss`, `aud` (Cognito ID tokens carry the app client id there) and `exp`.
 * The local gateway uses this for staff routes; on AWS the authorizer does it before Lambda.
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
      audience: settings.audience,
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  } catch (err) {
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
