import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from '../../functions/http/route-types.ts';

/** The local stand-in for the Cognito user pool: its issuer and app client id. */
export const LOCAL_ISSUER = 'http://127.0.0.1/assay-local-issuer';
export const LOCAL_AUDIENCE = 'assay-local-app-client';

const KEY_FILE = resolve(process.env.ASSAY_LOCAL_DIR ?? '.local', 'jwt-signing-key.json');

interface KeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

let keyPair: Promise<KeyFile> | undefined;

/**
 * The local signing key pair, generated on first use into `.local/` (git-ignored) so that
 * tokens minted by `npm run token` keep working across restarts.
 */
export function localKeys(): Promise<KeyFile> {
  keyPair ??= (async () => {
    if (existsSync(KEY_FILE)) return JSON.parse(readFileSync(KEY_FILE, 'utf8')) as KeyFile;
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const file: KeyFile = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    };
    mkdirSync(dirname(KEY_FILE), { recursive: true });
    writeFileSync(KEY_FILE, JSON.stringify(file), { mode: 0o600 });
    return file;
  })();
  return keyPair;
}

/** The JWKS document the local gateway verifies staff tokens against. */
export async function localJwks(): Promise<{ keys: JWK[] }> {
  return { keys: [(await localKeys()).publicJwk] };
}

const GROUP: Record<Role, string> = { author: 'authors', employer: 'employers' };

export interface MintOptions {
  roles: Role[];
  org: string;
  subject?: string;
  ttlSeconds?: number;
  /**
   * `access` mints what Cognito issues as the access token instead: `client_id` instead of
   * `aud`, no `custom:org`. The API refuses it (only ID tokens carry the organisation).
   */
  use?: 'id' | 'access';
}

/**
 * A token shaped like a Cognito ID token: `cognito:groups`, `custom:org`, `aud` = app client
 * (or, with `use: 'access'`, like a Cognito access token).
 */
export async function mintToken(opts: MintOptions): Promise<string> {
  const { privateJwk } = await localKeys();
  const key = await importJWK(privateJwk, 'ES256');
  const groups = { 'cognito:groups': opts.roles.map((r) => GROUP[r]) };
  const jwt =
    opts.use === 'access'
      ? new SignJWT({
          ...groups,
          token_use: 'access',
          client_id: LOCAL_AUDIENCE,
          scope: 'aws.cognito.signin.user.admin',
        })
      : new SignJWT({ ...groups, 'custom:org': opts.org, token_use: 'id' }).setAudience(
          LOCAL_AUDIENCE,
        );
  return jwt
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid! })
    .setIssuer(LOCAL_ISSUER)
    .setSubject(opts.subject ?? `local-${opts.roles.join('-')}-${opts.org}`)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds ?? 12 * 3600}s`)
    .sign(key);
}

/** Point the handlers' JWT settings at the local issuer (the gateway and handlers share them). */
export async function useLocalIssuer(): Promise<void> {
  process.env.JWT_ISSUER = LOCAL_ISSUER;
  process.env.JWT_AUDIENCE = LOCAL_AUDIENCE;
  process.env.JWT_JWKS = JSON.stringify(await localJwks());
}
