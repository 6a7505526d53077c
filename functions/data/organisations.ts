/**
 * Organisations' display profiles: one `ORG#<org>` / `PROFILE` item each, holding the name a
 * candidate sees on the invitation page. The employers' console sets it; until then the
 * organisation's id stands in for its name.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { keys } from './keys.ts';

export interface Organisation {
  org: string;
  /** The display name; the organisation's id when no profile was set. */
  name: string;
  /** Whom candidates ask for adjustments (an address, a phone number, a page). */
  accessibilityContact?: string;
  /** Where candidates' replies to Assay's emails go. */
  replyTo?: string;
  /** When the profile was last set; absent while none was. */
  updatedAt?: string;
}

/** The settings an employer sets (`PUT /v1/organisation`). */
export type OrganisationProfile = Pick<Organisation, 'name' | 'accessibilityContact' | 'replyTo'>;

/**
 * The organisation's display profile: one GetItem (eventually consistent: a renamed
 * organisation may show its old name for a moment). Falls back to the id as its name.
 */
export async function getOrganisation(org: string): Promise<Organisation> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.organisationProfile(org),
      ProjectionExpression: '#n, accessibilityContact, replyTo, updatedAt',
      ExpressionAttributeNames: { '#n': 'name' },
    }),
  );
  const name = res.Item?.name;
  const text = (k: string) =>
    typeof res.Item?.[k] === 'string' && res.Item[k] ? { [k]: res.Item[k] as string } : {};
  return {
    org,
    name: typeof name === 'string' && name.trim() ? name : org,
    ...text('accessibilityContact'),
    ...text('replyTo'),
    ...text('updatedAt'),
  };
}

/** Replace the organisation's profile (one PutItem: the last write wins, as a settings form). */
export async function putOrganisation(
  org: string,
  profile: OrganisationProfile,
  now: Date,
): Promise<Organisation> {
  const item: Organisation = { org, ...profile, updatedAt: now.toISOString() };
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.organisationProfile(org), ...item },
    }),
  );
  return item;
}
