/**
 * Organisations' display profiles: one `ORG#<org>` / `PROFILE` item each, holding the name a
 * candidate sees on the invitation page. The employers' console sets it; until then the
 * organisation's id stands in for its name.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { keys } from './keys.ts';

export interface Organisation {
  org: string;
  /** The display name; the organisation's id when no profile was set. */
  name: string;
}

/**
 * The organisation's display profile: one GetItem (eventually consistent: a renamed
 * organisation may show its old name for a moment). Falls back to the id as its name.
 */
export async function getOrganisation(org: string): Promise<Organisation> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.organisationProfile(org),
      ProjectionExpression: '#n',
      ExpressionAttributeNames: { '#n': 'name' },
    }),
  );
  const name = res.Item?.name;
  return { org, name: typeof name === 'string' && name.trim() ? name : org };
}
