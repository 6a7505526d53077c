/**
 * The single table's schema: one declaration read by the CDK stack and by the local
 * CreateTable. Key layout and access patterns: `docs/access-patterns.md` and `keys.ts`.
 */
export interface IndexSchema {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const TABLE_SCHEMA = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    /** Listings: an organisation's questions by status/area/difficulty, assessments, invitations, ranked results. */
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /** Deadlines: active attempts bucketed by the hour their grace period ends (sparse). */
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ] as const satisfies readonly IndexSchema[],
  /** Epoch seconds after which DynamoDB may delete the item (personal-data retention). */
  ttlAttribute: 'ttl',
} as const;

export const DEFAULT_TABLE_NAME = 'assay';

/** Attributes every key and index uses; all strings. */
export function keyAttributes(): string[] {
  return [
    TABLE_SCHEMA.partitionKey,
    TABLE_SCHEMA.sortKey,
    ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
}
