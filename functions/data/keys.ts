/**
 * Every key of the single table is built here and nowhere else.
 *
 * | entity              | PK                          | SK          | GSI1PK / GSI1SK                                   | GSI2PK / GSI2SK               |
 * |---------------------|-----------------------------|-------------|---------------------------------------------------|-------------------------------|
 * | question head       | ORG#<org>#Q#<qid>           | HEAD        | ORG#<org>#QS#<status> / <area>#<difficulty>#<qid> |                               |
 * | question version    | ORG#<org>#Q#<qid>           | V#<000001>  |                                                   |                               |
 * | area counts (8 shards) | ORG#<org>                | COUNTS#<n>  |                                                   |                               |
 * | bank                | ORG#<org>#BANK#<bankId>     | BANK        |                                                   |                               |
 * | assessment          | ORG#<org>#A#<aid>           | ASSESSMENT  | ORG#<org>#AS / <aid>                              |                               |
 * | invitation          | INV#<invId>                 | INV         | ORG#<org>#A#<aid>#INV / <invId>                   |                               |
 * | attempt             | ATT#<attemptId>             | ATT         | ORG#<org>#A#<aid>#RES / <rank key> (completed)    | DUE#<hour> / <due>#<id> (active) |
 * | idempotency record  | ORG#<org>#IDEM#<key>        | IDEM        |                                                   |                               |
 * | norms               | ORG#<org>#A#<aid>           | NORMS       | ORG#<org>#A#<aid>#RES / #NORMS                    |                               |
 * | item statistics     | ORG#<org>#QSTATS#<qorg>#<qid> | V#<000001> |                                                  |                               |
 * | stats marker        | ATT#<attemptId>             | STATS-APPLIED#<n> |                                             |                               |
 * | integrity events    | ATT#<attemptId>             | EV#<ulid>   |                                                   |                               |
 * | event batch counter | ATT#<attemptId>             | EVENTS      |                                                   |                               |
 * | organisation profile | ORG#<org>                  | PROFILE     |                                                   |                               |
 *
 * Access patterns with their calls: `docs/access-patterns.md`.
 */

const VERSION_WIDTH = 6;

export const pad = (n: number, width = VERSION_WIDTH) => String(n).padStart(width, '0');

export interface Key {
  PK: string;
  SK: string;
}

export const questionPartition = (org: string, questionId: string) => `ORG#${org}#Q#${questionId}`;

export const keys = {
  questionHead: (org: string, questionId: string): Key => ({
    PK: questionPartition(org, questionId),
    SK: 'HEAD',
  }),
  questionVersion: (org: string, questionId: string, version: number): Key => ({
    PK: questionPartition(org, questionId),
    SK: `V#${pad(version)}`,
  }),
  questionListing: (
    org: string,
    status: string,
    area: string,
    difficulty: number,
    questionId: string,
  ) => ({
    GSI1PK: `ORG#${org}#QS#${status}`,
    GSI1SK: `${area}#${difficulty}#${questionId}`,
  }),
  questionListingPartition: (org: string, status: string) => `ORG#${org}#QS#${status}`,
  areaCounts: (org: string, shard: number): Key => ({ PK: `ORG#${org}`, SK: `COUNTS#${shard}` }),
  bank: (org: string, bankId: string): Key => ({ PK: `ORG#${org}#BANK#${bankId}`, SK: 'BANK' }),
  assessment: (org: string, assessmentId: string): Key => ({
    PK: `ORG#${org}#A#${assessmentId}`,
    SK: 'ASSESSMENT',
  }),
  assessmentListing: (org: string, assessmentId: string) => ({
    GSI1PK: `ORG#${org}#AS`,
    GSI1SK: assessmentId,
  }),
  invitation: (invitationId: string): Key => ({ PK: `INV#${invitationId}`, SK: 'INV' }),
  invitationListing: (org: string, assessmentId: string, invitationId: string) => ({
    GSI1PK: `ORG#${org}#A#${assessmentId}#INV`,
    GSI1SK: invitationId,
  }),
  attempt: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'ATT' }),
  /** The attempt id of an attempt item's PK (the deadline index projects keys only). */
  attemptIdOf: (pk: string) => pk.slice('ATT#'.length),
  resultListing: (org: string, assessmentId: string, rankKey: string) => ({
    GSI1PK: `ORG#${org}#A#${assessmentId}#RES`,
    GSI1SK: rankKey,
  }),
  /** Hour bucket of the instant an attempt's grace period ends; the sweeper queries these. */
  due: (dueAt: Date, attemptId: string) => ({
    GSI2PK: dueBucket(dueAt),
    GSI2SK: `${dueAt.toISOString()}#${attemptId}`,
  }),
  idempotency: (org: string, key: string): Key => ({ PK: `ORG#${org}#IDEM#${key}`, SK: 'IDEM' }),
  /** An assessment's norms (score histogram); listed first in its ranked results (`#NORMS`). */
  norms: (org: string, assessmentId: string): Key => ({
    PK: `ORG#${org}#A#${assessmentId}`,
    SK: 'NORMS',
  }),
  /** Marks one chunk of an attempt's statistics as applied (stream records repeat). */
  statsMarker: (attemptId: string, chunk: number): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `STATS-APPLIED#${chunk}`,
  }),
  /**
   * Item statistics, per organisation of the attempts even for shared public questions: one
   * organisation's candidates never show up in another's figures.
   */
  itemStatsPartition: (org: string, questionOrg: string, questionId: string) =>
    `ORG#${org}#QSTATS#${questionOrg}#${questionId}`,
  itemStats: (org: string, questionOrg: string, questionId: string, version: number): Key => ({
    PK: `ORG#${org}#QSTATS#${questionOrg}#${questionId}`,
    SK: `V#${pad(version)}`,
  }),
  /** One batch of a candidate's page events (visibility, paste), in its attempt's partition. */
  attemptEvents: (attemptId: string, batchId: string): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `EV#${batchId}`,
  }),
  attemptEventsPrefix: 'EV#',
  /** Counts an attempt's event batches, so that their number stays bounded. */
  attemptEventCounter: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'EVENTS' }),
  /** An organisation's display profile (name); see data/organisations.ts. */
  organisationProfile: (org: string): Key => ({ PK: `ORG#${org}`, SK: 'PROFILE' }),
};

/** `DUE#2026-11-21T08` for any instant in that UTC hour. */
export function dueBucket(at: Date): string {
  return `DUE#${at.toISOString().slice(0, 13)}`;
}
