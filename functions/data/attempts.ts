/**
 * Attempts as a partition of small items, each written by the event that owns it
 * (docs/access-patterns.md#the-attempts-items): the head (state and answer page 0), further
 * answer pages, the immutable draw, sessions. Results and rows: `attempt-results.ts`; attempts
 * stored in the old one-item layout: `attempt-legacy.ts`. Every state change is a conditional
 * write; see docs/state-machines.md. Patterns 12-17 of docs/access-patterns.md.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  AdaptiveSectionDraw,
  FrozenParameters,
  SectionCompletion,
  SectionState,
} from '../domain/adaptive-section.ts';
import { UnavailableError } from '../domain/errors.ts';
import { newUlid } from '../domain/ids.ts';
import type { Resume } from '../domain/integrity.ts';
import { contentLockUpdate, lockAssessmentContent } from './assessment-lifecycle.ts';
import {
  type Assessment,
  type ContentState,
  clearAssessmentCache,
  remember as rememberAssessment,
} from './assessments.ts';
import { clearCalibrationCache } from './calibrations.ts';
import { applied, db, tableName } from './client.ts';
import { isConditionFailure, storedItemOf } from './errors.ts';
import type { Candidate } from './invitations.ts';
import { dueBucket, type Key, keys } from './keys.ts';
import { clearQuestionCache } from './question-cache.ts';

export type AttemptStatus = 'active' | 'submitted' | 'expired';

/** An extension of a running attempt's deadline, as audited (an `EXT#<ulid>` item). */
export interface Extension {
  minutes: number;
  /** Why (removed by erasure: it may describe the candidate). */
  reason?: string;
  /** Who: the staff token's subject. */
  by: string;
  /** When, by the server's clock. */
  at: string;
  /** The deadline before and after. */
  from: string;
  to: string;
}

/** A question of an attempt: where it lives, which immutable version, its option order. */
export interface DrawnQuestion {
  /** Organisation owning the question (the org or `public`). */
  o: string;
  q: string;
  v: number;
  /** Option ids in the order this candidate sees them. */
  order?: string[];
  /** Calibrated parameters frozen at start (absent: the difficulty-label prior). */
  p?: FrozenParameters;
}

/** A section of the attempt in assessment order: its area, fixed questions, or adaptive. */
export interface DrawnSection {
  area: string;
  /** Fixed questions of the section (consecutive in `questions`); 0 for an adaptive one. */
  count: number;
  adaptive?: true;
}

/** A session of the candidate: the start, or a resume. */
export type Session = Resume;

/**
 * What never changes after the start (only erasure removes the personal data): written once,
 * cached in memory by every function that reads it.
 */
export interface AttemptDraw {
  attemptId: string;
  org: string;
  assessmentId: string;
  invitationId: string;
  startedAt: string;
  /**
   * The deadline at start. An extension moves the attempt's deadline on its head (`due`), never
   * here: this is a lower bound, and nothing decides on it (docs/state-machines.md).
   */
  deadline: string;
  /** The first `due` (deadline + grace); the current one is the head's. */
  dueAt: string;
  gracePeriodSeconds: number;
  timeLimitMinutes: number;
  extraTimePercent: number;
  title: string;
  showResultToCandidate: boolean;
  passingScore?: number;
  candidate: Candidate;
  /** The fixed sections' questions, in section order. */
  questions: DrawnQuestion[];
  /**
   * The answer page of each answer index (0: the head): the fixed questions' indexes, then
   * each adaptive section's `maxItems` reserved indexes (from its `first`).
   */
  pages: number[];
  /** The sections in assessment order (absent in attempts started before adaptive sections). */
  sections?: DrawnSection[];
  /** The adaptive sections, with their frozen pools. */
  adaptive?: AdaptiveSectionDraw[];
  /** The start: the first session. */
  started: Session;
  /** An employer's preview: never counted in results, norms, statistics or events. */
  preview?: boolean;
  erasedAt?: string;
}

/** One stored answer with its revision: 1 for the first save of the question, +1 per later one. */
export interface AnswerRecord {
  value: unknown;
  savedAt: string;
  revision: number;
}

/** The mutable state of an attempt: its head and further pages, merged. */
export interface AttemptState {
  attemptId: string;
  status: AttemptStatus;
  tokenHash: string;
  /** The current `due` (deadline + grace), as the head holds it: extensions move it. */
  dueAt: string;
  /** Set by the seal: the finish time (the deadline for an expired attempt). */
  completedAt?: string;
  resumeCount: number;
  /** Extensions granted so far (the head's `xn`). */
  extensions: number;
  /** The due-index entry is on the head (a converted old-layout attempt), not the invitation. */
  dueIndexOnHead: boolean;
  /** By question index. */
  answers: Map<number, AnswerRecord>;
  /** Adaptive sections' selection state, by the section's index in the assessment. */
  sections: Map<number, SectionState>;
}

/** A head read from the table: the new layout's state, or an old-layout item to convert. */
export type HeadRead =
  | { layout: 'v2'; state: AttemptState }
  | { layout: 'v1'; item: Record<string, unknown> }
  | undefined;

const LAYOUT = 2;
/**
 * Bytes of a head or page item before its answers, sealed (keys, layout, status, token hash,
 * due, resume count, finish time, ttl: about 165 B); an old-layout attempt converted to this
 * layout also keeps its due-index keys on the head until sealed (about 80 B more).
 */
export const PAGE_OVERHEAD_BYTES = 180;
export const CONVERTED_HEAD_EXTRA_BYTES = 80;
/** What an answer page may hold and still be written for 1 WCU. */
export const PAGE_BYTES = 1024;
/** Pages of one attempt at most (200 questions fit in far fewer). */
const MAX_PAGES = 99;

const HEAD_SK = 'ATT';
const pageKey = (attemptId: string, page: number): Key =>
  page === 0 ? keys.attempt(attemptId) : keys.attemptPage(attemptId, page);

// The token's SHA-256 is stored as base64url (43 characters, not 64 hex) on every page: it is
// part of the fixed size that each answer page spends before its answers.
export const storedHash = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const hexHash = (stored: unknown) =>
  typeof stored === 'string' ? Buffer.from(stored, 'base64url').toString('hex') : '';

const answerAttr = (i: number) => `a${i}`;
const revisionAttr = (i: number) => `r${i}`;

/**
 * Assign each question to an answer page so that no page can exceed 1 KB: questions in draw
 * order, each taking its planned answer size (plus its attribute names) from the page until it
 * is full. Pure; the sizes come from the service, which knows what an answer can hold.
 */
export function planPages(answerBytes: readonly number[], headExtra = 0): number[] {
  return planBlocks(
    answerBytes.map((bytes) => ({ slots: 1, bytes })),
    headExtra,
  ).flat();
}

/** Bytes of an answer's attribute names, map overhead, milliseconds and revision. */
const ANSWER_OVERHEAD_BYTES = 24;
/**
 * Bytes of an adaptive section's selection state beyond its answers: `x<s>` (a list of pool
 * indexes, about 3 B each) and `c<s>` (how it ended, about 70 B).
 */
export const adaptiveStateBytes = (maxItems: number) => 80 + 3 * maxItems;

/**
 * Assign blocks of answer slots to pages, in order, a block never split: a fixed question is a
 * block of one slot; an adaptive section is one block of `maxItems` slots (plus its selection
 * state in `extra`), since each of its saves writes its answer and its state in one conditional
 * write of one item. A block that cannot fit a page alone gets a page of its own (its saves
 * may then cost more than 1 WCU; docs/access-patterns.md). Returns each block's pages per slot.
 */
export function planBlocks(
  blocks: readonly { slots: number; bytes: number; extra?: number }[],
  headExtra = 0,
): number[][] {
  const out: number[][] = [];
  let page = 0;
  let used = PAGE_OVERHEAD_BYTES + headExtra;
  for (const b of blocks) {
    const cost = b.slots * (b.bytes + ANSWER_OVERHEAD_BYTES) + (b.extra ?? 0);
    if (used + cost > PAGE_BYTES && used > PAGE_OVERHEAD_BYTES && page < MAX_PAGES - 1) {
      page++;
      used = PAGE_OVERHEAD_BYTES;
    }
    used += cost;
    out.push(Array.from({ length: b.slots }, () => page));
  }
  return out;
}

export const pageCount = (draw: Pick<AttemptDraw, 'pages'>) => Math.max(0, ...draw.pages) + 1;

/** Epoch seconds at which DynamoDB may delete an item (personal-data retention). */
export const ttlOf = (from: string, retentionDays: number) =>
  Math.floor(Date.parse(from) / 1000) + retentionDays * 86400;

// ---------------------------------------------------------------------------------------------
// The draw: immutable, cached.

const draws = new Map<string, AttemptDraw>();
const MAX_CACHED_DRAWS = 5000;

/** Keep a draw in memory (immutable): every later read of it is free. */
export function rememberDraw(draw: AttemptDraw): AttemptDraw {
  if (draws.size >= MAX_CACHED_DRAWS) draws.clear();
  draws.set(draw.attemptId, draw);
  return draw;
}

function drawOf(item: Record<string, unknown>): AttemptDraw {
  const { PK: _p, SK: _s, ttl: _t, ly: _l, ...rest } = item;
  return rest as unknown as AttemptDraw;
}

/**
 * The draw of an attempt (cached: immutable). Read eventually consistent first; a draw written
 * a moment ago elsewhere may not be visible yet, so a miss is read again consistently.
 */
export async function getDraw(attemptId: string): Promise<AttemptDraw | undefined> {
  const hit = draws.get(attemptId);
  if (hit) return hit;
  for (const consistent of [false, true]) {
    const res = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.attemptDraw(attemptId),
        ...(consistent ? { ConsistentRead: true } : {}),
      }),
    );
    if (res.Item) return rememberDraw(drawOf(res.Item));
  }
  return undefined;
}

/**
 * Forget every cached draw, assessment, question version and calibration set: a function's
 * cold state.
 */
export function clearAttemptCaches(): void {
  draws.clear();
  clearAssessmentCache();
  clearQuestionCache();
  clearCalibrationCache();
}

/** Forget a cached draw (erasure), or all of them. */
export function forgetDraws(attemptId?: string): void {
  if (attemptId) draws.delete(attemptId);
  else draws.clear();
}

// ---------------------------------------------------------------------------------------------
// Start.

/**
 * pending -> started: the one conditional write that decides which request starts the attempt.
 * It also files the attempt in the due index (on the invitation, until the completion is fully
 * written), so the sweeper finds it even if the attempt's items are never written. False: the
 * invitation is no longer pending (another request won), or its token or expiry changed.
 */
export async function claimInvitation(
  inv: { invitationId: string; tokenHash: string },
  attemptId: string,
  now: Date,
  dueAt: Date,
): Promise<boolean> {
  return applied(() => db().send(new UpdateCommand(claimUpdate(inv, attemptId, now, dueAt))));
}

function claimUpdate(
  inv: { invitationId: string; tokenHash: string },
  attemptId: string,
  now: Date,
  dueAt: Date,
) {
  const due = keys.due(dueAt, attemptId);
  return {
    TableName: tableName(),
    Key: keys.invitation(inv.invitationId),
    UpdateExpression:
      'SET #s = :started, attemptId = :a, startedAt = :now, GSI2PK = :dpk, GSI2SK = :dsk',
    ConditionExpression: '#s = :pending AND tokenHash = :h AND expiresAt > :now',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':started': 'started',
      ':pending': 'pending',
      ':a': attemptId,
      ':h': inv.tokenHash,
      ':now': now.toISOString(),
      ':dpk': due.GSI2PK,
      ':dsk': due.GSI2SK,
    },
  };
}

/**
 * Whether a start from this copy of the assessment must lock its content (docs/assessment-
 * lifecycle.md): not when the copy shows the lock (a lock this function took is in its cached
 * copy), not for an assessment from before edits (no revision).
 */
export const needsContentLock = (a: Assessment) => !a.contentLockedAt && a.contentRev !== undefined;

/**
 * The claim (`claimInvitation`) and the content lock of the assessment it draws from in one
 * TransactWriteItems: both or neither, one call where two writes were
 * (docs/access-patterns.md#the-starts-calls). Inside the transaction the lock is taken only if
 * none is there (`attribute_not_exists(lockedAt)`), so that the time this function remembers
 * is the stored one; a start that finds the content already locked at its revision (another
 * start came first) claims with the plain UpdateItem. `taken`: the invitation is no longer
 * pending (another start won, or its token or expiry changed); `content-changed`: an edit or a
 * delete moved the content on since `a` was read (nothing was written either way). A
 * transaction refused only by contention on the content item (real DynamoDB, a cohort's first
 * starts) is sent as the two writes, the lock first.
 */
export async function claimInvitationAndLock(
  inv: { invitationId: string; tokenHash: string },
  attemptId: string,
  now: Date,
  dueAt: Date,
  a: Assessment,
): Promise<'claimed' | 'taken' | 'content-changed'> {
  const lock = contentLockUpdate(a, now);
  const plainClaim = async () =>
    (await claimInvitation(inv, attemptId, now, dueAt)) ? 'claimed' : 'taken';
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              ...lock,
              ConditionExpression: `(${lock.ConditionExpression}) AND attribute_not_exists(lockedAt)`,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Update: claimUpdate(inv, attemptId, now, dueAt) },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof UnavailableError && err.fault === 'transaction-conflict') {
      if (!(await lockAssessmentContent(a, now))) return 'content-changed';
      return plainClaim();
    }
    if (!isConditionFailure(err)) throw err;
    const reasons = (err as { CancellationReasons?: { Code?: string; Item?: never }[] })
      .CancellationReasons;
    // The invitation decides first: a start that lost it resumes or is refused, whatever the
    // content did meanwhile.
    if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return 'taken';
    const old = reasons?.[0]?.Item ? (unmarshall(reasons[0].Item) as ContentState) : undefined;
    if (old?.lockedAt && old.rev === a.contentRev) {
      rememberAssessment({ ...a }, old);
      return plainClaim();
    }
    return 'content-changed';
  }
  rememberAssessment({ ...a }, { rev: a.contentRev, lockedAt: now.toISOString() });
  return 'claimed';
}

const newPage = (draw: AttemptDraw, tokenHash: string) => ({
  ly: LAYOUT,
  st: 'active',
  th: storedHash(tokenHash),
  due: draw.dueAt,
});

/**
 * Write a started attempt's items: the draw, any further answer page, then the head, whose
 * existence makes the attempt usable. Each is conditioned on being new; the draw is a pure
 * function of the attempt id, the invitation and the assessment, so two requests building the
 * same attempt write the same thing and only one head. Returns `exists` when another request
 * wrote the head first (the caller resumes instead).
 */
export async function createAttemptItems(
  draw: AttemptDraw,
  tokenHash: string,
  retentionDays: number,
  /** Attributes a page starts with, by page (an adaptive section's first item: `x<s>`). */
  pageExtras: ReadonlyMap<number, Record<string, unknown>> = new Map(),
): Promise<'created' | 'exists'> {
  const ttl = ttlOf(draw.dueAt, retentionDays);
  const putNew = (item: Record<string, unknown>) =>
    applied(() =>
      db().send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  // The draw freezes calibrated parameters read at start, which a calibration finishing in
  // between can change: a request that loses the draw's race keeps no copy of its own.
  const drawWritten = await putNew({
    ...keys.attemptDraw(draw.attemptId),
    ...draw,
    ly: LAYOUT,
    ttl,
  });
  if (drawWritten) rememberDraw(draw);
  else forgetDraws(draw.attemptId);
  for (let p = 1; p < pageCount(draw); p++)
    await putNew({
      ...pageKey(draw.attemptId, p),
      ...newPage(draw, tokenHash),
      ...pageExtras.get(p),
    });
  const created = await putNew({
    ...keys.attempt(draw.attemptId),
    ...newPage(draw, tokenHash),
    ...pageExtras.get(0),
    rc: 0,
  });
  if (!created) return 'exists';
  if (drawWritten) return 'created';
  // Our head, another request's draw (a resume rebuilding it at the same moment): 'created'
  // only if it drew the same questions with the same frozen parameters (its start session may
  // differ: that is only evidence).
  const stored = await getDraw(draw.attemptId);
  const drawn = (d: AttemptDraw) => canonical([d.questions, d.adaptive ?? null, d.pages]);
  return stored && drawn(stored) === drawn(draw) ? 'created' : 'exists';
}

/** JSON with object keys sorted: the same value read back from DynamoDB compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

// ---------------------------------------------------------------------------------------------
// State.

function readAnswers(item: Record<string, unknown>, into: Map<number, AnswerRecord>): void {
  for (const [k, v] of Object.entries(item)) {
    if (!/^a\d+$/.test(k) || !v || typeof v !== 'object') continue;
    const i = Number(k.slice(1));
    const a = v as { v: unknown; t: number };
    into.set(i, {
      value: a.v,
      savedAt: new Date(a.t).toISOString(),
      revision: Number(item[revisionAttr(i)] ?? 1),
    });
  }
}

/** Adaptive sections' state on a page: `x<s>` (pool indexes shown), `c<s>` (how it ended). */
function readSections(item: Record<string, unknown>, into: Map<number, SectionState>): void {
  for (const [k, v] of Object.entries(item)) {
    if (!/^x\d+$/.test(k) || !Array.isArray(v)) continue;
    const s = Number(k.slice(1));
    const complete = item[`c${s}`] as SectionCompletion | undefined;
    into.set(s, { shown: v.map(Number), ...(complete ? { complete } : {}) });
  }
}

/** The state of a head (and its pages), from the items as stored. */
export function stateOf(
  attemptId: string,
  items: readonly Record<string, unknown>[],
): AttemptState {
  const head = items.find((i) => i.SK === HEAD_SK) ?? items[0]!;
  const answers = new Map<number, AnswerRecord>();
  const sections = new Map<number, SectionState>();
  for (const item of items) {
    readAnswers(item, answers);
    readSections(item, sections);
  }
  return {
    attemptId,
    status: head.st as AttemptStatus,
    tokenHash: hexHash(head.th),
    dueAt: head.due as string,
    ...(head.at ? { completedAt: head.at as string } : {}),
    resumeCount: Number(head.rc ?? 0),
    extensions: Number(head.xn ?? 0),
    dueIndexOnHead: head.GSI2PK !== undefined,
    answers,
    sections,
  };
}

/** The deadline that a `due` stands for: `due` minus the attempt's grace period. */
export const deadlineOfDue = (dueAt: string, draw: Pick<AttemptDraw, 'gracePeriodSeconds'>) =>
  new Date(Date.parse(dueAt) - draw.gracePeriodSeconds * 1000).toISOString();

const isOldLayout = (item: Record<string, unknown>) => item.questions !== undefined;

/**
 * The attempt's head and pages, strongly consistent (its answers and status are what a client
 * acts on): one GetItem, or for an attempt with further pages one Query of `A#..` to `ATT`.
 */
export async function readHead(attemptId: string, pages = 1): Promise<HeadRead> {
  let items: Record<string, unknown>[];
  if (pages <= 1) {
    const res = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        ConsistentRead: true,
      }),
    );
    items = res.Item ? [res.Item] : [];
  } else {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :head',
        ExpressionAttributeValues: {
          ':pk': keys.attempt(attemptId).PK,
          ':first': 'A#',
          ':head': HEAD_SK,
        },
        ConsistentRead: true,
      }),
    );
    items = res.Items ?? [];
  }
  const head = items.find((i) => i.SK === HEAD_SK);
  if (!head) return undefined;
  if (isOldLayout(head)) return { layout: 'v1', item: head };
  return { layout: 'v2', state: stateOf(attemptId, items) };
}

// ---------------------------------------------------------------------------------------------
// Save.

export type SaveOutcome =
  | {
      saved: true;
      savedAt: string;
      revision: number;
      /** The page's `due` as the save found it: the deadline the save was decided by. */
      dueAt: string;
    }
  | {
      saved: false;
      /** The page as it was (absent: no such attempt). */
      current?: {
        status: AttemptStatus;
        tokenHash: string;
        dueAt: string;
        answer?: AnswerRecord;
        oldLayout: boolean;
      };
    };

/**
 * Store one answer in exactly one conditional UpdateItem of the page holding its question: the
 * condition checks the token, the status, the deadline and, with `expectedRevision`, the
 * question's revision (0: never answered). On failure the page as it was comes back for the
 * caller to explain.
 */
export async function saveAnswer(
  attemptId: string,
  page: number,
  index: number,
  tokenHash: string,
  value: unknown,
  now: Date,
  expectedRevision?: number,
): Promise<SaveOutcome> {
  const savedAt = now.toISOString();
  const values: Record<string, unknown> = {
    ':h': storedHash(tokenHash),
    ':active': 'active',
    ':now': savedAt,
    ':ans': { v: value, t: now.getTime() },
    ':one': 1,
  };
  let condition = 'th = :h AND st = :active AND #due >= :now';
  if (expectedRevision === 0) condition += ' AND attribute_not_exists(#r)';
  else if (expectedRevision !== undefined) {
    condition += ' AND #r = :rev';
    values[':rev'] = expectedRevision;
  }
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: pageKey(attemptId, page),
        UpdateExpression: 'SET #a = :ans ADD #r :one',
        ConditionExpression: condition,
        ExpressionAttributeNames: {
          '#a': answerAttr(index),
          '#r': revisionAttr(index),
          '#due': 'due',
        },
        ExpressionAttributeValues: values,
        // The whole page comes back (no capacity: returned values are free) for its `due`: the
        // deadline the candidate's countdown follows after an extension.
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return {
      saved: true,
      savedAt,
      revision: Number(res.Attributes?.[revisionAttr(index)]),
      dueAt: String(res.Attributes?.due),
    };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = storedItemOf(err);
    if (!old) return { saved: false };
    if (isOldLayout(old)) {
      return {
        saved: false,
        current: {
          status: old.status,
          tokenHash: old.tokenHash,
          dueAt: old.dueAt,
          oldLayout: true,
        },
      };
    }
    const answers = new Map<number, AnswerRecord>();
    readAnswers(old, answers);
    const answer = answers.get(index);
    return {
      saved: false,
      current: {
        status: old.st,
        tokenHash: hexHash(old.th),
        dueAt: old.due,
        ...(answer ? { answer } : {}),
        oldLayout: false,
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Adaptive sections: a save is the answer and the section's next step in one conditional write.

/**
 * One answer page as stored, strongly consistent (a save in an adaptive section decides from
 * it): its token, status, deadline, answers and adaptive sections' state. Undefined: no page.
 */
export async function readPage(attemptId: string, page: number): Promise<HeadRead> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: pageKey(attemptId, page),
      ConsistentRead: true,
    }),
  );
  if (!res.Item) return undefined;
  if (isOldLayout(res.Item)) return { layout: 'v1', item: res.Item };
  return { layout: 'v2', state: stateOf(attemptId, [res.Item]) };
}

/** What a save in an adaptive section writes besides the answer: the next item, or the end. */
export type AdaptiveAdvance = { append: number } | { complete: SectionCompletion };

export type AdaptiveSaveOutcome =
  | { saved: true; savedAt: string; revision: number }
  | {
      saved: false;
      /** The page as it was (absent: no such page). */
      current?: AttemptState;
    };

/**
 * Store the answer to the item an adaptive section is waiting for, and advance the section, in
 * one conditional UpdateItem of the section's page: the condition checks the token, the status
 * and the deadline as every save does, and that the section is where the caller read it (still
 * `shown` items, this one unanswered). Of two racing saves one wins; the other gets the page as
 * it was after the winner, and no second advance is written.
 */
export async function saveAdaptiveAnswer(
  attemptId: string,
  page: number,
  section: number,
  index: number,
  shown: number,
  tokenHash: string,
  value: unknown,
  now: Date,
  advance: AdaptiveAdvance,
): Promise<AdaptiveSaveOutcome> {
  const savedAt = now.toISOString();
  const values: Record<string, unknown> = {
    ':h': storedHash(tokenHash),
    ':active': 'active',
    ':now': savedAt,
    ':ans': { v: value, t: now.getTime() },
    ':one': 1,
    ':n': shown,
  };
  const names: Record<string, string> = {
    '#a': answerAttr(index),
    '#r': revisionAttr(index),
    '#x': `x${section}`,
    '#c': `c${section}`,
    '#due': 'due',
  };
  let advanceExpr: string;
  if ('append' in advance) {
    advanceExpr = '#x = list_append(#x, :next)';
    values[':next'] = [advance.append];
  } else {
    advanceExpr = '#c = :complete';
    values[':complete'] = advance.complete;
  }
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: pageKey(attemptId, page),
        UpdateExpression: `SET #a = :ans, ${advanceExpr} ADD #r :one`,
        ConditionExpression:
          'th = :h AND st = :active AND #due >= :now AND size(#x) = :n AND attribute_not_exists(#a) AND attribute_not_exists(#c)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { saved: true, savedAt, revision: 1 };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = storedItemOf(err);
    if (!old) return { saved: false };
    return { saved: false, current: stateOf(attemptId, [old]) };
  }
}

// ---------------------------------------------------------------------------------------------
// Resume.

/** Sessions recorded per attempt for integrity evidence (the start included); later ones are only counted. */
export const MAX_RECORDED_SESSIONS = 20;

/** What a rotation found: the attempt with its new token, or a newer rotation already stored. */
export type Rotation = { state: AttemptState } | { newerAt: number };

/**
 * Give an active, not yet due attempt a new token (resume) on its head and every further page,
 * counting the resume. Undefined: not active, or due. A crash between the head and a page leaves
 * the page with the previous token: the client, which never received the new one, resumes again.
 *
 * Rotations are ordered by `at` (ms, stored as `ra` on each item it writes): an item whose
 * stored rotation is as new or newer is left alone. A write that lands late (its request was
 * answered 503 and its client already retried) therefore cannot replace the token the retry was
 * given. `newerAt`: the head holds a rotation at least as new as `at`; a live request rotates
 * again after it (`at` past that one), so the request answered last still holds the token.
 * `force`: rotate whatever rotation is stored (still only an active attempt that is not due):
 * for a live request that lost twice to concurrent resumes, as every rotation did before they
 * were ordered. A late write is never forced: its request is gone.
 */
export async function rotateToken(
  attemptId: string,
  pages: number,
  tokenHash: string,
  now: Date,
  at: number = now.getTime(),
  force = false,
): Promise<Rotation | undefined> {
  const items: Record<string, unknown>[] = [];
  const older = force ? '' : ' AND (attribute_not_exists(ra) OR ra < :at)';
  try {
    const head = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        UpdateExpression: 'SET th = :h, ra = :at ADD rc :one',
        ConditionExpression: `st = :active AND #due >= :now AND attribute_exists(ly)${older}`,
        ExpressionAttributeNames: { '#due': 'due' },
        ExpressionAttributeValues: {
          ':h': storedHash(tokenHash),
          ':at': at,
          ':one': 1,
          ':active': 'active',
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    items.push(head.Attributes!);
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = storedItemOf(err);
    const usable = old?.st === 'active' && old.ly !== undefined && old.due >= now.toISOString();
    if (usable && typeof old.ra === 'number' && old.ra >= at) return { newerAt: old.ra };
    return undefined;
  }
  for (let p = 1; p < pages; p++) {
    try {
      const res = await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: pageKey(attemptId, p),
          UpdateExpression: 'SET th = :h, ra = :at',
          ConditionExpression: `attribute_exists(PK)${older}`,
          ExpressionAttributeValues: { ':h': storedHash(tokenHash), ':at': at },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      items.push(res.Attributes!);
    } catch (err) {
      // Pages are written before the head: a missing one would be a bug, not a race. A page
      // holding a newer rotation keeps it: that rotation's head write comes (or came) too.
      if (!isConditionFailure(err)) throw err;
      const old = storedItemOf(err);
      if (old) items.push(old);
    }
  }
  return { state: stateOf(attemptId, items) };
}

/** Record a session (a resume) for integrity evidence. */
export async function recordSession(
  attemptId: string,
  session: Session,
  dueAt: string,
  retentionDays: number,
): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.attemptSession(attemptId, newUlid(Date.parse(session.at))),
        ...session,
        ttl: ttlOf(dueAt, retentionDays),
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Seal.

export interface Seal {
  status: 'submitted' | 'expired';
  /** Recorded as the finish time: now for a submit, the deadline for an expiry. */
  completedAt: string;
  now: Date;
  /**
   * An expiry seals only while the head's `due` is still this one (the one `completedAt` was
   * computed from): an extension committed in between makes it fail, and the head comes back.
   */
  dueAt?: string;
  /** A submit seals only with the attempt's current token. */
  tokenHash?: string;
  retentionDays?: number;
}

export interface SealOutcome {
  /** This call sealed the head (false: already sealed, wrong token, not yet due, or no attempt). */
  sealed: boolean;
  /** The state after this call: the answers as sealed when the head is sealed. */
  state?: AttemptState;
}

/**
 * active -> submitted|expired: seal the head, then every further page. Each seal is a
 * conditional write that returns the page as stored, so the answers returned are exactly the
 * answers that will ever be graded: a save after its page's seal fails its condition. When the
 * head was sealed before (by another request), the remaining pages are sealed with that status
 * and the state returned is the stored one.
 */
export async function sealAttempt(
  attemptId: string,
  seal: Seal,
  pages?: number,
): Promise<SealOutcome> {
  const n = pages ?? pageCount((await getDraw(attemptId)) ?? { pages: [0] });
  const retention = seal.retentionDays ?? 365;
  const conditions = ['st = :active'];
  const values: Record<string, unknown> = {
    ':active': 'active',
    ':status': seal.status,
    ':at': seal.completedAt,
    ':ttl': ttlOf(seal.completedAt, retention),
  };
  if (seal.tokenHash) {
    conditions.push('th = :h');
    values[':h'] = storedHash(seal.tokenHash);
  }
  if (seal.status === 'expired') {
    conditions.push('#due < :now');
    values[':now'] = seal.now.toISOString();
    if (seal.dueAt) {
      conditions.push('#due = :due');
      values[':due'] = seal.dueAt;
    }
  }
  let head: Record<string, unknown>;
  let sealed = false;
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempt(attemptId),
        // Old-layout attempts keep their due-index keys on the head until sealed.
        UpdateExpression: 'SET st = :status, #at = :at, #ttl = :ttl REMOVE GSI2PK, GSI2SK',
        ConditionExpression: `${conditions.join(' AND ')} AND attribute_exists(ly)`,
        ExpressionAttributeNames: {
          '#at': 'at',
          '#ttl': 'ttl',
          ...(seal.status === 'expired' ? { '#due': 'due' } : {}),
        },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    head = res.Attributes!;
    sealed = true;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = storedItemOf(err);
    if (!old) return { sealed: false };
    head = old;
    // An old-layout item is converted before it is sealed (attempt-legacy.ts).
    if (isOldLayout(head)) return { sealed: false };
    if (head.st === 'active') return { sealed: false, state: stateOf(attemptId, [head]) };
  }
  const items = [head];
  for (let p = 1; p < n; p++) items.push(await sealPage(attemptId, p, head));
  return { sealed, state: stateOf(attemptId, items) };
}

async function sealPage(
  attemptId: string,
  page: number,
  head: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: pageKey(attemptId, page),
        UpdateExpression: 'SET st = :status, #ttl = :ttl',
        ConditionExpression: 'st = :active',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':status': head.st,
          ':active': 'active',
          ':ttl': head.ttl ?? ttlOf(String(head.at), 365),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return res.Attributes!;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return storedItemOf(err) ?? {};
  }
}

// ---------------------------------------------------------------------------------------------
// What finalising reads besides the answers.

export interface CompletionContext {
  draw?: AttemptDraw;
  /** Resumed sessions, oldest first (the start is in the draw). */
  sessions: Session[];
  /** Integrity events (`EV#<ulid>` items, written by the candidate app), oldest first. */
  events: Record<string, unknown>[];
  /** Extensions of the deadline (`EXT#<ulid>` items), oldest first. */
  extensions: Extension[];
  /** The result, when a completion was already written. */
  resultItem?: Record<string, unknown>;
  /** Whether the results row was already written. */
  rowWritten: boolean;
}

/**
 * The draw, the integrity events, the extensions, the sessions and any result already written: one strongly
 * consistent Query of `DRAW` to `SES#~` (an event or a session written just before submit must
 * count).
 */
export async function readCompletionContext(attemptId: string): Promise<CompletionContext> {
  const out: CompletionContext = { sessions: [], events: [], extensions: [], rowWritten: false };
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.attempt(attemptId).PK,
          ':from': keys.attemptDraw(attemptId).SK,
          ':to': `${keys.attemptSession(attemptId, '').SK}\uffff`,
        },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of res.Items ?? []) {
      const sk = String(item.SK);
      const { PK: _p, SK: _s, ttl: _t, ...rest } = item;
      if (sk === keys.attemptDraw(attemptId).SK) out.draw = rememberDraw(drawOf(item));
      else if (sk.startsWith(keys.attemptEvent(attemptId, '').SK)) out.events.push(rest);
      else if (sk.startsWith(keys.attemptExtension(attemptId, '').SK))
        out.extensions.push(rest as unknown as Extension);
      else if (sk.startsWith(keys.attemptSession(attemptId, '').SK))
        out.sessions.push(rest as unknown as Session);
      else if (sk === keys.attemptResult(attemptId).SK) out.resultItem = item;
      else if (sk === keys.attemptRow(attemptId).SK) out.rowWritten = true;
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The invitation's side of a completion, and the sweeper's index.

/**
 * started -> completed, and out of the due index: the last write of a completion (until it is
 * done the sweeper finds the attempt and finishes what is missing). Nothing to do when it is
 * already completed.
 */
export async function completeInvitation(invitationId: string, completedAt: string): Promise<void> {
  await applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #s = :completed, completedAt = :at REMOVE GSI2PK, GSI2SK',
        ConditionExpression: '#s = :started',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':started': 'started',
          ':at': completedAt,
        },
      }),
    ),
  );
}

export interface DueEntry {
  attemptId: string;
  /** Set when the entry is a started invitation's (an old-layout attempt files itself). */
  invitationId?: string;
}

/** Entries of the due index whose time has passed, from the hour buckets of the look-back. */
export async function dueAttempts(now: Date, lookbackHours: number): Promise<DueEntry[]> {
  const out: DueEntry[] = [];
  for (let h = lookbackHours; h >= 0; h--) {
    const bucket = dueBucket(new Date(now.getTime() - h * 3_600_000));
    let start: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :b AND GSI2SK < :now',
          ExpressionAttributeValues: { ':b': bucket, ':now': now.toISOString() },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const i of res.Items ?? []) out.push(keys.dueEntryOf(String(i.PK), String(i.GSI2SK)));
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return out;
}
