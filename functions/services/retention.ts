/**
 * How long an attempt and its invitation are kept after their deadline (`RETENTION_DAYS`, 365 by
 * default): the TTL of their items. Its own module so that creating invitations does not load
 * the attempt code that also reads it.
 */
export const RETENTION_DAYS = Number(process.env.RETENTION_DAYS ?? 365);
