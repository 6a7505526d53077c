/**
 * Every key of the single table is built here and nowhere else.
 *
 * | entity                  | PK                            | SK                 | GSI1PK / GSI1SK                                   | GSI2PK / GSI2SK                          |
 * |-------------------------|-------------------------------|--------------------|---------------------------------------------------|------------------------------------------|
 * | question head           | ORG#<org>#Q#<qid>             | HEAD               | ORG#<org>#QS#<status> / <area>#<difficulty>#<qid> |                                          |
 * | question version        | ORG#<org>#Q#<qid>             | V#<000001>         |                                                   |                                          |
 * | head an import replaced | ORG#<org>#Q#<qid>             | PREV#<seq>         | the replaced head's listing keys                  |                                          |
 * | import                  | ORG#<org>#IMP#<importId>      | IMPORT             |                                                   |                                          |
 * | import body chunk       | ORG#<org>#IMP#<importId>      | BODY#<part>#<n>    |                                                   |                                          |
 * | import staged list      | ORG#<org>#IMP#<importId>      | STAGED#<n>         |                                                   |                                          |
 * | import registry         | ORG#<org>                     | IMPORTS            |                                                   |                                          |
 * | area counts (8 shards)  | ORG#<org>                     | COUNTS#<n>         |                                                   |                                          |
 * | bank                    | ORG#<org>#BANK#<bankId>       | BANK               |                                                   |                                          |
 * | assessment              | ORG#<org>#A#<aid>             | ASSESSMENT         | ORG#<org>#AS / <aid>                              |                                          |
 * | assessment content state| ORG#<org>#A#<aid>             | CONTENT            | (none: its lock is 1 WCU)                         |                                          |
 * | invitation              | INV#<invId>                   | INV                | ORG#<org>#A#<aid>#INV / <invId>                   | DUE#<hour> / <dueAt>#<attemptId> (started) |
 * | preview's invitation    | INV#<invId>                   | INV                | (none: never listed)                              | DUE#<hour> / <dueAt>#<attemptId> (started) |
 * | attempt head (page 0)   | ATT#<attemptId>               | ATT                |                                                   | (old layout only: DUE#<hour> / <dueAt>#<attemptId>) |
 * | attempt answer page n   | ATT#<attemptId>               | A#<nn>             |                                                   |                                          |
 * | attempt draw            | ATT#<attemptId>               | DRAW               |                                                   |                                          |
 * | integrity event batch   | ATT#<attemptId>               | EV#<ulid>          |                                                   |                                          |
 * | extension (audit)       | ATT#<attemptId>               | EXT#<ulid>         |                                                   |                                          |
 * | event batch counter     | ATT#<attemptId>               | EVENTS             |                                                   |                                          |
 * | resumed session         | ATT#<attemptId>               | SES#<ulid>         |                                                   |                                          |
 * | attempt result          | ATT#<attemptId>               | RESULT             |                                                   |                                          |
 * | attempt results row     | ATT#<attemptId>               | ROW                | ORG#<org>#A#<aid>#RES / <rank key>                |                                          |
 * | stats marker            | ATT#<attemptId>               | STATS              |                                                   |                                          |
 * | old-layout attempt      | ATT#<attemptId>               | ATT                | ORG#<org>#A#<aid>#RES / <rank key> (completed)    | DUE#<hour> / <dueAt>#<attemptId> (active) |
 * | old-layout stats marker | ATT#<attemptId>               | STATS-APPLIED#<n>  |                                                   |                                          |
 * | idempotency record      | ORG#<org>#IDEM#<key>          | IDEM               |                                                   |                                          |
 * | norms                   | ORG#<org>#A#<aid>             | NORMS              | ORG#<org>#A#<aid>#RES / #NORMS                    |                                          |
 * | item statistics         | ORG#<org>#QSTATS#<qorg>#<qid> | V#<000001>         |                                                   |                                          |
 * | organisation profile    | ORG#<org>                     | PROFILE            |                                                   |                                          |
 * | response record         | ORG#<owner>#RESP#<shard 0-3>  | <completedAt>#<attemptId> |                                            |                                          |
 * | calibration of a version| ORG#<owner>#Q#<qid>           | CAL#<000001>       |                                                   |                                          |
 * | calibrated set (chunks) | ORG#<owner>#CALSET            | <area>#<nnn>       |                                                   |                                          |
 * | calibration run         | ORG#<org>#CALRUN              | <runId>            |                                                   |                                          |
 * | calibration registry    | CALORGS                       | <org>              |                                                   |                                          |
 * | invitation (reminder due) | INV#<invId>                 | INV                |                                                   | REMIND#<hour> / <remindAt>#<invId> (pending, mailed, not reminded) |
 *
 * An attempt's sort keys are chosen so that one range reads what finalising needs:
 * `A#..` < `ATT` (head and pages: `SK BETWEEN 'A#' AND 'ATT'`) and `DRAW` < `EV#..` < `EXT#..`
 * < `RESULT` < `ROW` < `SES#..` (draw, events, extensions and sessions: `SK BETWEEN 'DRAW' AND
 * 'SES#\uffff'`).
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
  /**
   * A copy of the head that import `seq` replaced, visible while that import is not committed
   * (docs/imports.md). `HEAD` < `PREV#` < `V#`: one Query reads a head with its copies.
   */
  questionPrev: (org: string, questionId: string, seq: number): Key => ({
    PK: questionPartition(org, questionId),
    SK: `PREV#${pad(seq, 10)}`,
  }),
  areaCounts: (org: string, shard: number): Key => ({ PK: `ORG#${org}`, SK: `COUNTS#${shard}` }),
  /** An organisation's import registry: the last sequence number and the open imports. */
  importRegistry: (org: string): Key => ({ PK: `ORG#${org}`, SK: 'IMPORTS' }),
  importPartition: (org: string, importId: string) => `ORG#${org}#IMP#${importId}`,
  /** An import's status record. */
  importRecord: (org: string, importId: string): Key => ({
    PK: `ORG#${org}#IMP#${importId}`,
    SK: 'IMPORT',
  }),
  /** Chunk `n` of part `part` of an import's uploaded text (gzip). */
  importBody: (org: string, importId: string, part: number, n: number): Key => ({
    PK: `ORG#${org}#IMP#${importId}`,
    SK: `BODY#${pad(part, 3)}#${pad(n, 3)}`,
  }),
  /** Chunk `n` of the list of questions an import staged (what a rollback undoes). */
  importStaged: (org: string, importId: string, n: number): Key => ({
    PK: `ORG#${org}#IMP#${importId}`,
    SK: `STAGED#${pad(n, 4)}`,
  }),
  bank: (org: string, bankId: string): Key => ({ PK: `ORG#${org}#BANK#${bankId}`, SK: 'BANK' }),
  assessment: (org: string, assessmentId: string): Key => ({
    PK: `ORG#${org}#A#${assessmentId}`,
    SK: 'ASSESSMENT',
  }),
  /**
   * The assessment's content revision and lock (docs/assessment-lifecycle.md): small and in no
   * index, so the first start's lock costs 1 WCU. `ASSESSMENT` < `CONTENT` < `NORMS`: one
   * Query `SK BETWEEN 'ASSESSMENT' AND 'CONTENT'` reads the assessment with it.
   */
  assessmentContent: (org: string, assessmentId: string): Key => ({
    PK: `ORG#${org}#A#${assessmentId}`,
    SK: 'CONTENT',
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
  /** The attempt's head: its state and answer page 0 (an old-layout attempt: the whole attempt). */
  attempt: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'ATT' }),
  /** Answer page `n` >= 1 of a long attempt; sorts before the head (`A#` < `ATT`). */
  attemptPage: (attemptId: string, page: number): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `A#${pad(page, 2)}`,
  }),
  /** What the attempt never changes after its start. */
  attemptDraw: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'DRAW' }),
  /** An integrity event batch (written by the candidate app). */
  attemptEvent: (attemptId: string, id: string): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `EV#${id}`,
  }),
  /** An extension of the deadline, with who, when and why (audit). */
  attemptExtension: (attemptId: string, id: string): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `EXT#${id}`,
  }),
  /** A resumed session. */
  attemptSession: (attemptId: string, id: string): Key => ({
    PK: `ATT#${attemptId}`,
    SK: `SES#${id}`,
  }),
  /** The result body, written once at completion. */
  attemptResult: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'RESULT' }),
  /** The results-index entry, written once at completion (GSI1: the assessment's ranking). */
  attemptRow: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'ROW' }),
  /** The attempt id of an attempt item's PK. */
  attemptIdOf: (pk: string) => pk.slice('ATT#'.length),
  /**
   * An entry of the due index (keys only): a started invitation's, or an old-layout attempt's
   * own. Its sort key ends with the attempt id.
   */
  dueEntryOf: (pk: string, sk: string): { attemptId: string; invitationId?: string } => ({
    attemptId: sk.slice(sk.lastIndexOf('#') + 1),
    ...(pk.startsWith('INV#') ? { invitationId: pk.slice('INV#'.length) } : {}),
  }),
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
  /** Marks an attempt's completion as applied to norms and item statistics (stream records repeat). */
  statsMarker: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'STATS' }),
  /** The marker of the old layout's consumer: the first (usually only) chunk applied. */
  oldStatsMarker: (attemptId: string): Key => ({
    PK: `ATT#${attemptId}`,
    SK: 'STATS-APPLIED#0',
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
  /** Counts an attempt's event batches, so that their number stays bounded. */
  attemptEventCounter: (attemptId: string): Key => ({ PK: `ATT#${attemptId}`, SK: 'EVENTS' }),
  /** An organisation's display profile (name); see data/organisations.ts. */
  organisationProfile: (org: string): Key => ({ PK: `ORG#${org}`, SK: 'PROFILE' }),
  /**
   * One completed attempt's anonymous responses to one owner's questions (calibration input):
   * partitioned by the questions' owner (the shared public bank's records pool every
   * organisation's candidates) and a shard of the attempt id, newest last.
   */
  responseRecordPartition: (owner: string, shard: number) => `ORG#${owner}#RESP#${shard}`,
  responseRecord: (owner: string, shard: number, completedAt: string, attemptId: string): Key => ({
    PK: `ORG#${owner}#RESP#${shard}`,
    SK: `${completedAt}#${attemptId}`,
  }),
  /** A question version's calibrated parameters (beside the question's versions). */
  calibration: (owner: string, questionId: string, version: number): Key => ({
    PK: questionPartition(owner, questionId),
    SK: `CAL#${pad(version)}`,
  }),
  calibrationPrefix: 'CAL#',
  /** A chunk of the calibrated parameters of an owner's area, read whole at attempt start. */
  calibrationSetPartition: (owner: string) => `ORG#${owner}#CALSET`,
  calibrationSet: (owner: string, area: string, chunk: number): Key => ({
    PK: `ORG#${owner}#CALSET`,
    SK: `${area}#${pad(chunk, 3)}`,
  }),
  /** A calibration run's status (the resource of POST /v1/calibrations). */
  calibrationRun: (org: string, runId: string): Key => ({
    PK: `ORG#${org}#CALRUN`,
    SK: runId,
  }),
  /** The calibration job's registry: one entry per owner it calibrates (and its queued request). */
  calibrationRegistryPartition: 'CALORGS',
  calibrationRegistry: (org: string): Key => ({ PK: 'CALORGS', SK: org }),
  /**
   * A pending invitation's reminder entry on GSI2 (keys only): the hour bucket of the instant
   * its reminder is due. Starting the invitation replaces it (the due entry of its attempt).
   */
  reminder: (remindAt: Date, invitationId: string) => ({
    GSI2PK: reminderBucket(remindAt),
    GSI2SK: `${remindAt.toISOString()}#${invitationId}`,
  }),
};

/** `REMIND#2026-11-21T08` for any instant in that UTC hour. */
export function reminderBucket(at: Date): string {
  return `REMIND#${at.toISOString().slice(0, 13)}`;
}

/** `DUE#2026-11-21T08` for any instant in that UTC hour. */
export function dueBucket(at: Date): string {
  return `DUE#${at.toISOString().slice(0, 13)}`;
}
