/**
 * The single table's schema: one declaration read by the CDK stack and by the local
 * CreateTable. Key layout and access patterns: `docs/access-patterns.md` and `keys.ts`.
 */
export interface IndexSchema {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** ALL copies whole items into the index; KEYS_ONLY only their keys (cheaper writes). */
  projection: 'ALL' | 'KEYS_ONLY';
}

export const TABLE_SCHEMA = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    /** Listings: an organisation's questions by status/area/difficulty, assessments, invitations, ranked results. */
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
    /**
     * Deadlines: active attempts bucketed by the hour their grace period ends (sparse). Keys
     * only: the sweeper needs just the attempt's key, and every answer save rewrites the
     * attempt, so projecting ALL would double the cost of each save.
     */
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'KEYS_ONLY' },
  ] as const satisfies readonly IndexSchema[],
  /** Epoch seconds after which DynamoDB may delete the item (personal-data retention). */
  ttlAttribute: 'ttl',
} as const;

export const DEFAULT_TABLE_NAME = 'assay';
