import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit random secret, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * An invitation token is `<invitationId>.<secret>`: the id only locates the invitation (one
 * GetItem, no lookup index); the 256-bit secret is what proves possession.
 */
export function invitationToken(invitationId: string, secret: string): string {
  return `${invitationId}.${secret}`;
}

export function parseInvitationToken(
  token: string,
): { invitationId: string; secret: string } | undefined {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { invitationId: m[1]!, secret: m[2]! } : undefined;
}

/**
 * The secret of an invitation created under an Idempotency-Key: HMAC-SHA256 keyed by the
 * Idempotency-Key over a stored 256-bit nonce and the invitation id. A retry with the key
 * derives the same tokens, so a lost response can be fetched again; the server never stores a
 * token, the key is stored only as a hash, and without the key the nonce is useless.
 */
export function derivedSecret(idempotencyKey: string, nonce: string, invitationId: string): string {
  return createHmac('sha256', idempotencyKey)
    .update(`${nonce}.${invitationId}`)
    .digest('base64url');
}

/**
 * The secret of an invitation whose link is mailed: HMAC-SHA256 keyed by the deployment's
 * mail-token key over the invitation id and a 256-bit nonce stored on the invitation. The mail
 * job recomputes it when it sends (so no token is ever stored, queued or put in a stream
 * record), and checks it against the stored hash before it mails a link. A new nonce (resend)
 * derives a new secret; the old one stops matching the stored hash at once.
 */
export function mailedSecret(
  mailTokenKey: Uint8Array,
  invitationId: string,
  nonce: string,
): string {
  return createHmac('sha256', mailTokenKey)
    .update(`assay-mail-v1.${invitationId}.${nonce}`)
    .digest('base64url');
}
