import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import { isReservedName } from '../domain/reserved.ts';
import type { Role } from './route-types.ts';

export interface Principal {
  subject: string;
  org: string;
  roles: Role[];
}

const GROUP_ROLE: Record<string, Role> = { authors: 'author', employers: 'employer' };

/** The organisation id the shipped public bank lives under; no staff token may claim it. */
export const PUBLIC_ORG = 'public';

export const ORG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * API Gateway hands JWT claims to Lambda as strings; an array claim such as
 * `cognito:groups` arrives as `[authors employers]`. Accept that and real arrays.
 */
function groupsOf(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const inner = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** The staff principal from verified JWT claims, or 401 when the claims are unusable. */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  if (!claims) throw new UnauthorizedError('A staff bearer token is required.');
  // The JWT authorizer lets an access token of the app client through (its `client_id` matches
  // the audience); it carries neither the organisation nor the person, so it is refused here.
  if (claims.token_use !== undefined && claims.token_use !== 'id') {
    throw new UnauthorizedError(
      `This is a Cognito ${String(claims.token_use)} token; send the ID token (IdToken), which carries your organisation.`,
    );
  }
  const org = claims['custom:org'];
  const subject = claims.sub;
  // A reserved name (`constructor`) matches the pattern but is never an organisation id.
  if (
    typeof org !== 'string' ||
    !ORG_PATTERN.test(org) ||
    org === PUBLIC_ORG ||
    isReservedName(org)
  ) {
    throw new UnauthorizedError('The token carries no valid custom:org claim.');
  }
  if (typeof subject !== 'string' || subject === '') {
    throw new UnauthorizedError('The token carries no subject.');
  }
  const roles = groupsOf(claims['cognito:groups'])
    .map((g) => GROUP_ROLE[g])
    .filter((r): r is Role => r !== undefined);
  return { subject, org, roles };
}

/** 403 unless the principal holds one of the roles. */
export function requireRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.some((r) => principal.roles.includes(r))) {
    throw new ForbiddenError(
      `This route is for ${allowed.map((r) => `${r}s`).join(' or ')}; your token's groups do not include it.`,
    );
  }
}
