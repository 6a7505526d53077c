/**
 * Imports of question banks: their records, their uploaded text, the organisation's import
 * registry, and the writes that stage, commit, roll back and clean up an import's questions.
 * The design, its access patterns (I1-I12) and its state machine: docs/imports.md.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BankMeta } from '../domain/bank.ts';
import type { Notice, RetiredInUpload, SkippedQuestion } from '../domain/bank-import.ts';
import { DomainError, type FieldIssue } from '../domain/errors.ts';
import { contentHash, type QuestionContent } from '../domain/question.ts';
import { AreaDeltas, areaCountsUpdate } from './area-counts.ts';
import { type BankSnapshot, isCommitted, snapshotOf } from './bank-visibility.ts';
import { batchGet } from './batch-get.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';
import { headItem, pool, type QuestionStatus, versionItem } from './questions.ts';

export type ImportStatus = 'receiving' | 'queued' | 'running' | 'succeeded' | 'failed';

/** What a running import is doing. */
export type ImportPhase =
  | 'receiving'
  | 'queued'
  | 'reading'
  | 'validating'
  | 'staging'
  | 'publishing'
  | 'done'
  | 'failed';

export interface ImportCounts {
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Why an import failed, for a client that acts on it. */
export type ImportFailure =
  | 'validation-failed'
  | 'conflict'
  | 'unavailable'
  | 'stopped'
  | 'internal';

export interface ImportRecord {
  importId: string;
  org: string;
  status: ImportStatus;
  /** `sync`: imported inside the upload request (answered 201); `async`: by the job (202). */
  mode?: 'sync' | 'async';
  createdAt: string;
  createdBy?: string;
  /** Parts the import waits for (1 for a single upload). */
  parts: number;
  /** The parts received so far. */
  received: number[];
  /** The bank, once known (from `POST /v1/imports`, or the uploaded document). */
  bank?: BankMeta;
  seq?: number;
  progress: { phase: ImportPhase; done: number; total: number };
  heartbeatAt?: string;
  /**
   * When it was last queued for the job (its last part came, or its request handed it over):
   * a queued import no job claimed is stale counted from here, not from `createdAt`.
   */
  queuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  counts?: ImportCounts;
  errors?: FieldIssue[];
  errorCount?: number;
  /** What the author should know about the imported questions (at most MAX_KEPT_NOTICES). */
  warnings?: Notice[];
  warningCount?: number;
  /** Questions left out on request (`?skipUnsupported=true`), at most MAX_KEPT_NOTICES. */
  skipped?: SkippedQuestion[];
  skippedCount?: number;
  detail?: string;
  code?: ImportFailure;
  /** sha256 of what the client sent, to tell a retry from a different request with one key. */
  requestHash?: string;
  /** Whether the clean-up after the commit is done. */
  cleanedAt?: string;
}

/** How long an import's record stays readable: 90 days. */
const RECORD_TTL_SECONDS = 90 * 24 * 3600;
/** How long an Idempotency-Key names its import: a day. */
const KEY_TTL_SECONDS = 24 * 3600;
/** Body chunks: well under DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 350 * 1024;
/** Entries of the staged list per item (gzip JSON, ~40 bytes each before compression). */
export const STAGED_PER_ITEM = 5000;
/** Writes in flight while staging. */
const STAGE_CONCURRENCY = 16;
/** Imports of one organisation open at once. */
export const MAX_OPEN_IMPORTS = 8;

const epoch = (at: string) => Math.floor(Date.parse(at) / 1000);

// ---------------------------------------------------------------------------------------------
// The import record (I2, I4, I12)

function recordOf(item: Record<string, unknown>): ImportRecord {
  const { PK: _pk, SK: _sk, ttl: _ttl, ...rest } = item;
  return {
    ...(rest as unknown as ImportRecord),
    received: [...((item.received as Set<number>) ?? [])],
  };
}

/** Store a new import's record; false when one with this id exists already. */
export async function createImport(rec: ImportRecord): Promise<boolean> {
  const { received, ...rest } = rec;
  return applied(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.importRecord(rec.org, rec.importId),
          ...rest,
          ...(received.length ? { received: new Set(received) } : {}),
          ttl: epoch(rec.createdAt) + RECORD_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/** An import of this organisation, read strongly; undefined for another organisation's id. */
export async function getImport(org: string, importId: string): Promise<ImportRecord | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.importRecord(org, importId),
      ConsistentRead: true,
    }),
  );
  return res.Item ? recordOf(res.Item) : undefined;
}

/** Apply `SET` fields to a record under a condition; the record as stored after, or undefined. */
async function updateRecord(
  org: string,
  importId: string,
  set: Record<string, unknown>,
  condition: { expression: string; values?: Record<string, unknown> },
  remove: readonly string[] = [],
): Promise<ImportRecord | undefined> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ...condition.values };
  const sets = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      return `#f${i} = :f${i}`;
    });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.importRecord(org, importId),
        UpdateExpression: [
          sets.length ? `SET ${sets.join(', ')}` : '',
          removes.length ? `REMOVE ${removes.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes ? recordOf(res.Attributes) : undefined;
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}

/**
 * queued -> running (I4): the one job (or request) that claims it gets the record; not one
 * queued before `staleBefore`, which its client has been told had stopped ("upload again").
 */
export function claimImport(org: string, importId: string, now: Date, staleBefore: Date) {
  const at = now.toISOString();
  return updateRecord(
    org,
    importId,
    {
      status: 'running',
      startedAt: at,
      heartbeatAt: at,
      progress: { phase: 'reading', done: 0, total: 0 },
    },
    {
      // createdAt <= queuedAt: a record queued since the cutoff passes either way.
      expression: '#status = :queued AND (queuedAt > :cutoff OR createdAt > :cutoff)',
      values: { ':queued': 'queued', ':cutoff': staleBefore.toISOString() },
    },
  );
}

/** A running import says how far it is; false when it is no longer running (recovered). */
export async function heartbeat(
  org: string,
  importId: string,
  progress: ImportRecord['progress'],
  now: Date,
  extra: Partial<
    Pick<ImportRecord, 'bank' | 'seq' | 'warnings' | 'warningCount' | 'skipped' | 'skippedCount'>
  > = {},
): Promise<boolean> {
  const out = await updateRecord(
    org,
    importId,
    { progress, heartbeatAt: now.toISOString(), ...extra },
    { expression: '#status = :running', values: { ':running': 'running' } },
  );
  return out !== undefined;
}

/** running (or queued) -> failed, with why; undefined when it had finished already. */
export function failImport(
  org: string,
  importId: string,
  failure: {
    code: ImportFailure;
    detail: string;
    errors?: FieldIssue[];
    errorCount?: number;
  },
  now: Date,
  opts: { heartbeatSeen?: string } = {},
) {
  return updateRecord(
    org,
    importId,
    {
      status: 'failed',
      finishedAt: now.toISOString(),
      progress: { phase: 'failed', done: 0, total: 0 },
      ...failure,
    },
    opts.heartbeatSeen
      ? {
          // Recovery fails a stalled import only if it has not moved since it was seen.
          expression: '#status = :running AND heartbeatAt = :seen',
          values: { ':running': 'running', ':seen': opts.heartbeatSeen },
        }
      : {
          expression: '#status IN (:running, :queued, :receiving)',
          values: { ':running': 'running', ':queued': 'queued', ':receiving': 'receiving' },
        },
  );
}

/**
 * running -> queued, asynchronous: an upload request that ran out of time hands its import to
 * the job (the record keeps `seq`: the job undoes that staging first).
 */
export function deferImport(org: string, importId: string, now: Date) {
  return updateRecord(
    org,
    importId,
    {
      status: 'queued',
      mode: 'async',
      queuedAt: now.toISOString(),
      progress: { phase: 'queued', done: 0, total: 0 },
    },
    { expression: '#status = :running', values: { ':running': 'running' } },
  );
}

// ---------------------------------------------------------------------------------------------
// The uploaded text (I2, I3)

/** How a part's text was sent: its format and, for GIFT, the defaults from the query. */
export interface PartMeta {
  format: string;
  area?: string;
  difficulty?: number;
  /** GIFT and Moodle XML: the query's bank, its title, and whether to skip what is unsupported. */
  bank?: string;
  bankTitle?: string;
  skipUnsupported?: boolean;
  /** `?moveQuestions=true`: questions the file names that another bank holds move to it. */
  moveQuestions?: boolean;
  /** Bytes of text once decompressed. */
  textBytes: number;
}

/** The writes that store a part's text, gzip, in chunks (chunk 0 carries the metadata). */
function bodyWrites(org: string, importId: string, part: number, meta: PartMeta, gz: Buffer) {
  const writes: WriteRequest[] = [];
  const chunks = Math.max(1, Math.ceil(gz.length / CHUNK_BYTES));
  for (let n = 0; n < chunks; n++) {
    writes.push({
      PutRequest: {
        Item: {
          ...keys.importBody(org, importId, part, n),
          data: gz.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES),
          ...(n === 0 ? { meta, chunks } : {}),
        },
      },
    });
  }
  return writes;
}

/** Compress a part's text for storage (a gzip body is stored as it came). */
export const compressText = (text: string) => gzipSync(text, { level: 6 });

/** Store a part's text. */
export async function putBody(
  org: string,
  importId: string,
  part: number,
  meta: PartMeta,
  gz: Buffer,
): Promise<void> {
  await batchWrite(bodyWrites(org, importId, part, meta, gz));
}

/**
 * A part received (I3): its text stored, then `received` on the record. Returns the record as
 * stored after, or undefined when the import no longer receives parts.
 */
export async function receivePart(
  org: string,
  importId: string,
  part: number,
  meta: PartMeta,
  gz: Buffer,
): Promise<ImportRecord | undefined> {
  const rec = await getImport(org, importId);
  if (rec?.status !== 'receiving') return undefined;
  await putBody(org, importId, part, meta, gz);
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.importRecord(org, importId),
        UpdateExpression: 'ADD received :p',
        ConditionExpression: '#status = :receiving',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':p': new Set([part]), ':receiving': 'receiving' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes ? recordOf(res.Attributes) : undefined;
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}

/** receiving -> queued once every part is in; the record after, or undefined if another did it. */
export function markQueued(org: string, importId: string, parts: number, now: Date) {
  return updateRecord(
    org,
    importId,
    {
      status: 'queued',
      queuedAt: now.toISOString(),
      progress: { phase: 'queued', done: 0, total: 0 },
    },
    {
      expression: '#status = :receiving AND size(received) = :parts',
      values: { ':receiving': 'receiving', ':parts': parts },
    },
  );
}

/** Every item of an import's partition whose sort key starts with `prefix`, in order. */
async function queryImportItems(
  org: string,
  importId: string,
  prefix: string,
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': keys.importPartition(org, importId), ':p': prefix },
        ConsistentRead: true,
        ...(projection ? { ProjectionExpression: projection } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The parts of an import: each part's metadata and text (decompressed with a bound). */
export async function readParts(
  org: string,
  importId: string,
  maxTextBytes: number,
): Promise<{ part: number; meta: PartMeta; text: string }[]> {
  const byPart = new Map<number, { meta?: PartMeta; chunks: Buffer[] }>();
  for (const item of await queryImportItems(org, importId, 'BODY#')) {
    const part = Number(String(item.SK).split('#')[1]);
    const entry = byPart.get(part) ?? { chunks: [] };
    if (item.meta) entry.meta = item.meta as PartMeta;
    entry.chunks.push(Buffer.from(item.data as Uint8Array));
    byPart.set(part, entry);
  }
  return [...byPart]
    .sort(([a], [b]) => a - b)
    .map(([part, e]) => ({
      part,
      meta: e.meta ?? { format: 'json', textBytes: 0 },
      text: gunzipSync(Buffer.concat(e.chunks), { maxOutputLength: maxTextBytes }).toString('utf8'),
    }));
}

/** Delete an import's staged list (after its staging was undone). */
export async function deleteStagedList(org: string, importId: string): Promise<void> {
  const items = await queryImportItems(org, importId, 'STAGED#', 'PK, SK');
  await batchWrite(items.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
}

/** Delete an import's body and staged list (the record stays, for its status). */
export async function deleteImportData(org: string, importId: string): Promise<void> {
  const items = [
    ...(await queryImportItems(org, importId, 'BODY#', 'PK, SK')),
    ...(await queryImportItems(org, importId, 'STAGED#', 'PK, SK')),
  ];
  await batchWrite(items.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys

/** A key's record: the import it names and the hash of the request that made it. */
export interface ImportKeyRecord {
  importId: string;
  requestHash: string;
}

const keyOf = (org: string, key: string) =>
  keys.idempotency(org, `import#${createHash('sha256').update(key).digest('base64url')}`);

/**
 * Claim an Idempotency-Key for an import. Undefined when this request claimed it; otherwise the
 * record of the request that did (a retry, or a concurrent twin).
 */
export async function claimImportKey(
  org: string,
  key: string,
  rec: ImportKeyRecord,
  now: Date,
): Promise<ImportKeyRecord | undefined> {
  const k = keyOf(org, key);
  const nowSeconds = epoch(now.toISOString());
  const claimed = await applied(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...k, ...rec, ttl: nowSeconds + KEY_TTL_SECONDS },
        // A record past its TTL is over even if DynamoDB has not deleted it yet.
        ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    ),
  );
  if (claimed) return undefined;
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: k, ConsistentRead: true }),
  );
  return res.Item as ImportKeyRecord | undefined;
}

/** Point a key at a new run of its import (the previous run failed for a fault). */
export function repointImportKey(org: string, key: string, from: string, to: string) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(org, key),
        UpdateExpression: 'SET importId = :to',
        ConditionExpression: 'importId = :from',
        ExpressionAttributeValues: { ':to': to, ':from': from },
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The registry (I1, I5)

/** An open import as the registry lists it. */
export interface OpenImport {
  seq: number;
  importId: string;
  at: string;
  /** Set when recovery rolled it back; the entry stays until its job can no longer write. */
  aborted?: string;
}

/** The organisation's import registry as read: the last number given out and the open imports. */
export interface ImportRegistry {
  seq: number;
  open: OpenImport[];
  exists: boolean;
}

/** The import registry, read strongly consistent. */
export async function readRegistry(org: string): Promise<ImportRegistry> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.importRegistry(org), ConsistentRead: true }),
  );
  const open = (res.Item?.open ?? {}) as Record<string, Omit<OpenImport, 'seq'>>;
  return {
    seq: typeof res.Item?.seq === 'number' ? res.Item.seq : 0,
    open: Object.entries(open).map(([seq, e]) => ({ ...e, seq: Number(seq) })),
    exists: Boolean(res.Item),
  };
}

/**
 * Give this import the next sequence number and open it, in one write (I5): a reader's snapshot
 * either predates it (and ignores its items: their number is above the snapshot's) or lists it
 * open. Returns the number, or undefined when `MAX_OPEN_IMPORTS` are open. `read` is the registry
 * as the caller has just read it (recovery reads it first), which saves reading it again: the
 * write is conditioned on the number read, so a stale read only costs another round.
 */
export async function registerImport(
  org: string,
  importId: string,
  now: Date,
  read?: ImportRegistry,
): Promise<number | undefined> {
  for (let reg = read ?? (await readRegistry(org)); ; reg = await readRegistry(org)) {
    // This import's own entry, from a write whose answer was lost (the SDK's retry of it then
    // fails its condition), or from the request that handed the import to its job: the same
    // registration, never a second entry that nothing would close (it held a slot until
    // recovery, 3 minutes on). An entry recovery rolled back is not reused.
    const mine = reg.open.find((o) => o.importId === importId && !o.aborted);
    if (mine) return mine.seq;
    if (reg.open.length >= MAX_OPEN_IMPORTS) return undefined;
    if (!reg.exists) {
      // The map must exist before an entry can be set in it; a racing creator is fine.
      await applied(() =>
        db().send(
          new PutCommand({
            TableName: tableName(),
            Item: { ...keys.importRegistry(org), seq: 0, open: {} },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
      continue;
    }
    const seq = reg.seq + 1;
    const won = await applied(() =>
      db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.importRegistry(org),
          UpdateExpression: 'SET seq = :seq, #open.#k = :entry',
          ConditionExpression: 'seq = :previous AND size(#open) < :max',
          ExpressionAttributeNames: { '#open': 'open', '#k': String(seq) },
          ExpressionAttributeValues: {
            ':seq': seq,
            ':previous': reg.seq,
            ':max': MAX_OPEN_IMPORTS,
            ':entry': { importId, at: now.toISOString() },
          },
        }),
      ),
    );
    if (won) return seq;
    // Another import registered in between: read again.
  }
}

/** Close an import's entry once nothing of it is left to roll back. */
export function unregisterImport(org: string, seq: number, importId: string) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.importRegistry(org),
        UpdateExpression: 'REMOVE #open.#k',
        ConditionExpression: '#open.#k.importId = :id',
        ExpressionAttributeNames: { '#open': 'open', '#k': String(seq) },
        ExpressionAttributeValues: { ':id': importId },
      }),
    ),
  );
}

/** Mark an open entry rolled back by recovery (its job may still be writing: see docs). */
export function markAborted(org: string, seq: number, importId: string, now: Date) {
  return applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.importRegistry(org),
        UpdateExpression: 'SET #open.#k.aborted = :now',
        ConditionExpression: '#open.#k.importId = :id',
        ExpressionAttributeNames: { '#open': 'open', '#k': String(seq) },
        ExpressionAttributeValues: { ':id': importId, ':now': now.toISOString() },
      }),
    ),
  );
}

/** The registry as a reader would see it right now (strong). */
export async function currentSnapshot(org: string): Promise<BankSnapshot> {
  const reg = await readRegistry(org);
  return snapshotOf({
    seq: reg.seq,
    open: Object.fromEntries(reg.open.map((o) => [String(o.seq), o])),
  });
}

// ---------------------------------------------------------------------------------------------
// Planning and staging (I6-I8)

/** One question of an import that writes something. */
export interface Planned {
  q: QuestionContent;
  hash: string;
  version: number;
  /** `retired` for a retired question's new content: an import never revives one. */
  status: QuestionStatus;
  /** The head it replaces (a changed question), as stored. */
  head?: Record<string, unknown>;
}

export interface ImportPlan {
  changes: Planned[];
  unchanged: number;
  created: number;
  updated: number;
  /** Questions another open import is staging: the import cannot go on. */
  busy: { index: number; id: string }[];
  /** Retired questions the bank holds, which stay retired (docs/state-machines.md). */
  retired: (RetiredInUpload & { index: number })[];
  deltas: AreaDeltas;
  /** The stored heads of the bank's ids, as read (for the derived-id check). */
  heads: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * Compare the bank with the heads (I6, strong): new ids become version 1, changed content
 * version n+1, identical content nothing. A head staged by an import still open is busy. A
 * retired question stays retired: its new content is version n+1 with status `retired`, and
 * the area counts do not move (docs/state-machines.md, "Question versions").
 */
export async function planImport(
  org: string,
  questions: readonly QuestionContent[],
  snap: BankSnapshot,
): Promise<ImportPlan> {
  const heads = new Map<string, Record<string, unknown>>();
  for (const item of await batchGet(
    questions.map((q) => keys.questionHead(org, q.id)),
    { consistent: true },
  )) {
    heads.set(item.id as string, item);
  }
  const plan: ImportPlan = {
    changes: [],
    unchanged: 0,
    created: 0,
    updated: 0,
    busy: [],
    retired: [],
    deltas: new AreaDeltas(),
    heads,
  };
  questions.forEach((q, index) => {
    const head = heads.get(q.id);
    if (head && typeof head.seq === 'number' && !isCommitted(snap, head.seq)) {
      plan.busy.push({ index, id: q.id });
      return;
    }
    const hash = contentHash(q);
    const retired = head?.status === 'retired';
    if (head?.contentHash === hash) {
      plan.unchanged++;
      if (retired)
        plan.retired.push({ index, id: q.id, version: head.version as number, changed: false });
      return;
    }
    const version = head ? (head.version as number) + 1 : 1;
    if (retired) plan.retired.push({ index, id: q.id, version, changed: true });
    else {
      if (head?.status === 'published') plan.deltas.leave(head);
      plan.deltas.enter(q);
    }
    if (head) plan.updated++;
    else plan.created++;
    plan.changes.push({
      q,
      hash,
      version,
      status: retired ? 'retired' : 'published',
      ...(head ? { head } : {}),
    });
  });
  return plan;
}

/** An entry of the staged list: id, version, whether it replaced a head. */
export type StagedEntry = [id: string, version: number, changed: 0 | 1];

/** Record what is about to be staged, before staging it (what a rollback reads back). */
export async function writeStagedList(
  org: string,
  importId: string,
  n: number,
  entries: readonly StagedEntry[],
): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.importStaged(org, importId, n), data: gzipSync(JSON.stringify(entries)) },
    }),
  );
}

/** Everything an import recorded as staged. */
export async function readStagedList(org: string, importId: string): Promise<StagedEntry[]> {
  const out: StagedEntry[] = [];
  for (const item of await queryImportItems(org, importId, 'STAGED#')) {
    out.push(
      ...(JSON.parse(
        gunzipSync(Buffer.from(item.data as Uint8Array)).toString('utf8'),
      ) as StagedEntry[]),
    );
  }
  return out;
}

/** Raised when a question changed between the plan and its staging write. */
export class StagingConflict extends DomainError {
  constructor(readonly questionId: string) {
    super(
      'conflict',
      `Question ${questionId} was changed by someone else (an edit or another import) during this import.`,
    );
  }
}

/**
 * Stage one question (I7, I8): its head, tagged with the import's number, by a conditional
 * write on what the plan read; a replaced head is copied to `PREV#seq` in the same transaction.
 * The version item is returned for the caller to batch.
 */
export async function stageQuestion(
  org: string,
  seq: number,
  p: Planned,
  at: string,
  bankId: string,
): Promise<WriteRequest> {
  const head = headItem(org, p.q, {
    version: p.version,
    status: p.status,
    hash: p.hash,
    createdAt: (p.head?.createdAt as string) ?? at,
    now: at,
    bankId,
    seq,
    ...(p.head ? { previous: p.head } : {}),
  });
  try {
    if (!p.head) {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: head,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } else {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: { ...p.head, ...keys.questionPrev(org, p.q.id, seq), prevOf: seq },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: head,
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': p.head.version },
              },
            },
          ],
        }),
      );
    }
  } catch (err) {
    if (isConditionFailure(err) && !(await stagedAlready(org, seq, p))) {
      throw new StagingConflict(p.q.id);
    }
    if (!isConditionFailure(err)) throw err;
  }
  return { PutRequest: { Item: { ...versionItem(org, p.q, p.version, p.hash, at), seq } } };
}

/**
 * Whether the head is already this import's staging of `p` (its number, version and content):
 * a put whose answer was lost (a paused database, a reset connection) and that the SDK sent
 * again finds its own first copy, and fails its condition. That is no conflict: before, the
 * import failed with "changed by someone else" and its key's retries were answered 409.
 */
async function stagedAlready(org: string, seq: number, p: Planned): Promise<boolean> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.questionHead(org, p.q.id),
      ConsistentRead: true,
    }),
  );
  const head = res.Item;
  return head?.seq === seq && head.version === p.version && head.contentHash === p.hash;
}

/** Write batches of requests with a few in flight. */
export async function batchWriteAll(requests: readonly WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  await pool(
    batches.map((b) => () => batchWrite(b)),
    STAGE_CONCURRENCY,
  );
}

export { STAGE_CONCURRENCY };

// ---------------------------------------------------------------------------------------------
// Commit, roll back, clean up (I9-I11)

/**
 * Publish an import (I9): its registry entry closed, the area counts moved, the bank recorded
 * and the record marked succeeded, in one transaction. Every staged item becomes visible at
 * once. Returns false when the import's entry or record is no longer this run's (recovered).
 * `notices`, when given, replace the record's warnings (the staging found more to say).
 */
export async function commitImport(
  org: string,
  importId: string,
  seq: number,
  deltas: AreaDeltas,
  bank: BankMeta,
  counts: ImportCounts,
  now: Date,
  notices?: { warnings: Notice[]; warningCount: number },
): Promise<boolean> {
  const at = now.toISOString();
  const counted = areaCountsUpdate(org, deltas);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.importRegistry(org),
              UpdateExpression: 'REMOVE #open.#k',
              ConditionExpression:
                '#open.#k.importId = :id AND attribute_not_exists(#open.#k.aborted)',
              ExpressionAttributeNames: { '#open': 'open', '#k': String(seq) },
              ExpressionAttributeValues: { ':id': importId },
            },
          },
          ...(counted ? [counted] : []),
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.bank(org, bank.id),
                ...bank,
                org,
                questionCount: counts.imported,
                updatedAt: at,
                importId,
              },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.importRecord(org, importId),
              UpdateExpression: `SET #status = :succeeded, finishedAt = :at, heartbeatAt = :at, counts = :counts, progress = :progress${notices ? ', warnings = :warnings, warningCount = :warningCount' : ''}`,
              ConditionExpression: '#status = :running AND seq = :seq',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':succeeded': 'succeeded',
                ':running': 'running',
                ':seq': seq,
                ':at': at,
                ':counts': counts,
                ':progress': { phase: 'done', done: counts.imported, total: counts.imported },
                ...(notices
                  ? { ':warnings': notices.warnings, ':warningCount': notices.warningCount }
                  : {}),
              },
            },
          },
        ] as never,
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Undo one staged question (I10), whatever part of its staging happened: a new head tagged
 * `seq` is deleted, a replaced head is restored from its copy (one transaction), and the staged
 * version goes (only if it is this import's). Safe to repeat.
 */
export async function rollbackQuestion(
  org: string,
  seq: number,
  entry: StagedEntry,
): Promise<void> {
  const [id, version, changed] = entry;
  if (changed) {
    const prev = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.questionPrev(org, id, seq),
        ConsistentRead: true,
      }),
    );
    if (prev.Item) {
      const { prevOf: _p, ...old } = prev.Item;
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName(),
                  Item: { ...old, ...keys.questionHead(org, id) },
                  ConditionExpression: 'seq = :seq',
                  ExpressionAttributeValues: { ':seq': seq },
                },
              },
              { Delete: { TableName: tableName(), Key: keys.questionPrev(org, id, seq) } },
            ],
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        // The head is not this import's (its staging never landed): the copy is garbage.
        await db().send(
          new DeleteCommand({ TableName: tableName(), Key: keys.questionPrev(org, id, seq) }),
        );
      }
    }
  } else {
    await applied(() =>
      db().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: keys.questionHead(org, id),
          ConditionExpression: 'seq = :seq',
          ExpressionAttributeValues: { ':seq': seq },
        }),
      ),
    );
  }
  await applied(() =>
    db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.questionVersion(org, id, version),
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':seq': seq },
      }),
    ),
  );
}

/** The copies of replaced heads a committed import no longer needs (I11). */
export async function deletePrevs(org: string, seq: number, ids: readonly string[]): Promise<void> {
  await batchWriteAll(
    ids.map((id) => ({ DeleteRequest: { Key: { ...keys.questionPrev(org, id, seq) } } })),
  );
}

/** Mark a committed import cleaned up. */
export function markCleaned(org: string, importId: string, now: Date) {
  return updateRecord(
    org,
    importId,
    { cleanedAt: now.toISOString() },
    { expression: '#status = :succeeded', values: { ':succeeded': 'succeeded' } },
  );
}
