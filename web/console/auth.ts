/**
 * Signing staff in. Locally the gateway's development endpoint mints a token for a chosen
 * organisation and role (`infra/local/dev-sign-in.ts`). In AWS the Cognito hosted UI signs them
 * in with the authorization-code flow and PKCE: the console sends the browser to `/authorize`
 * with a one-time code challenge and state, Cognito sends it back to `/console/?code=...&state=...`,
 * and the console exchanges the code (with the verifier only it knows) for tokens at `/token`.
 * The URL is cleaned at once; tokens live in this tab's sessionStorage, never in a URL.
 * The API takes the Cognito ID token (it carries `custom:org`).
 */

export type Role = 'author' | 'employer';

export interface CognitoSettings {
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  domain: string;
  clientId: string;
  /** The site's `/console/`, registered as the app client's callback URL. */
  redirectUri: string;
  /** Where Cognito's logout sends the browser back (a registered logout URL). */
  logoutUri: string;
  scopes?: string[];
}

/** `/console/config.json`: written by the stack in AWS, served by the local gateway locally. */
export type ConsoleConfig =
  | { signIn: 'local'; devTokenUrl: string }
  | { signIn: 'cognito'; cognito: CognitoSettings };

export interface Session {
  /** The bearer token the API takes (a Cognito ID token, or a local one shaped like it). */
  token: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  org: string;
  roles: Role[];
  /** Who is signed in, for the header (email or subject). */
  who: string;
  via: 'local' | 'cognito';
}

export const SESSION_KEY = 'assay.console.session';
export const PKCE_KEY = 'assay.console.pkce';

const GROUP_ROLE: Record<string, Role> = { authors: 'author', employers: 'employer' };

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of `bytes` bytes, base64url (a PKCE verifier is 43 characters from 32). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The hosted UI's authorization request. */
export function authorizeUrl(c: CognitoSettings, state: string, challenge: string): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: (c.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${c.domain}/oauth2/authorize?${q}`;
}

/** The hosted UI's logout, which ends its own session too and comes back to the console. */
export function logoutUrl(c: CognitoSettings): string {
  return `${c.domain}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri })}`;
}

/** What a redirect back from the hosted UI carries, if it is one. */
export function callbackOf(
  search: string,
): { code: string; state: string } | { error: string } | undefined {
  const q = new URLSearchParams(search);
  const error = q.get('error');
  if (error) return { error: q.get('error_description') ?? error };
  const code = q.get('code');
  const state = q.get('state');
  return code && state ? { code, state } : undefined;
}

/** The claims of a JWT, unverified (the API verifies; the console only reads its own token). */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A session from an ID token: its organisation, its roles (from `cognito:groups`), its
 * expiry; undefined when the token carries no organisation or no staff role.
 */
export function sessionFromToken(
  token: string,
  via: Session['via'],
  refreshToken?: string,
): Session | undefined {
  const c = claimsOf(token);
  const org = c['custom:org'];
  const groups = Array.isArray(c['cognito:groups']) ? (c['cognito:groups'] as unknown[]) : [];
  const roles = [
    ...new Set(groups.map((g) => GROUP_ROLE[String(g)]).filter((r): r is Role => !!r)),
  ];
  if (typeof org !== 'string' || !roles.length || typeof c.exp !== 'number') return undefined;
  return {
    token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: c.exp * 1000,
    org,
    roles: roles.sort(),
    who: String(c.email ?? c.name ?? c.sub ?? org),
    via,
  };
}

/** The form body of a request to the token endpoint. */
export function tokenRequestBody(
  c: CognitoSettings,
  grant: { code: string; verifier: string } | { refreshToken: string },
): string {
  return new URLSearchParams(
    'code' in grant
      ? {
          grant_type: 'authorization_code',
          client_id: c.clientId,
          code: grant.code,
          redirect_uri: c.redirectUri,
          code_verifier: grant.verifier,
        }
      : { grant_type: 'refresh_token', client_id: c.clientId, refresh_token: grant.refreshToken },
  ).toString();
}

/** POST to Cognito's token endpoint; the session, or why not. */
export async function requestTokens(
  c: CognitoSettings,
  grant: { code: string; verifier: string } | { refreshToken: string },
): Promise<Session | string> {
  let res: Response;
  try {
    res = await fetch(`${c.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(c, grant),
    });
  } catch {
    return 'The sign-in service cannot be reached.';
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, string>;
  if (!res.ok || !body.id_token)
    return body.error_description ?? body.error ?? `HTTP ${res.status}`;
  const refresh = body.refresh_token ?? ('refreshToken' in grant ? grant.refreshToken : undefined);
  return (
    sessionFromToken(body.id_token, 'cognito', refresh) ??
    'This account has no organisation or no staff group (authors or employers): ask an administrator.'
  );
}

/** The session kept in this tab, if it has not expired. */
export function readSession(storage: Storage, now = Date.now()): Session | undefined {
  try {
    const s = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    if (!s?.token || !s.org || !Array.isArray(s.roles)) return undefined;
    return s.expiresAt > now || s.refreshToken ? s : undefined;
  } catch {
    return undefined;
  }
}
