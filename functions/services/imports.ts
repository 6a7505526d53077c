/**
 * Bank imports as use cases: an upload answered `201` (imported in the request) or `202` (by
 * the import job), part-wise imports, the job's run and clean-up, recovery of imports whose job
 * stopped, and the status a client polls. Design: docs/imports.md.
 */
import { createHash } from 'node:crypto';
import type { WriteRequest } from '../data/batch-write.ts';
import {
  batchWriteAll,
  claimImport,
  claimImportKey,
  commitImport,
  compressText,
  createImport,
  currentSnapshot,
  deferImport,
  deleteImportData,
  deletePrevs,
  deleteStagedList,
  failImport,
  getImport,
  heartbeat,
  type ImportCounts,
  type ImportFailure,
  type ImportRecord,
  type ImportRegistry,
  markAborted,
  markCleaned,
  markQueued,
  type PartMeta,
  planImport,
  putBody,
  readParts,
  readRegistry,
  readStagedList,
  receivePart,
  registerImport,
  repointImportKey,
  rollbackQuestion,
  STAGE_CONCURRENCY,
  STAGED_PER_ITEM,
  type StagedEntry,
  StagingConflict,
  stageQuestion,
  unregisterImport,
  writeStagedList,
} from '../data/imports.ts';
import { invokeJob } from '../data/invoke.ts';
import type { Bank, BankMeta } from '../domain/bank.ts';
import {
  type BankImport,
  checkIdOwnership,
  type Notice,
  type QuestionOrigin,
  retiredNotice,
  type SkippedQuestion,
  type StoredHead,
} from '../domain/bank-import.ts';
import {
  DomainError,
  type FieldIssue,
  UnavailableError,
  ValidationError,
} from '../domain/errors.ts';
import { newUlid } from '../domain/ids.ts';
import type { QuestionContent } from '../domain/question.ts';
import {
  MAX_UPLOAD_TEXT_BYTES,
  parseUpload,
  readableInRequest,
  type UploadFormat,
  type UploadSpec,
} from '../domain/upload.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../http/timeouts.ts';

/** The largest bank imported inside the request (`201`); larger ones go to the job (`202`). */
export const SYNC_MAX_QUESTIONS = 1000;
/** The most text the request parses itself; more goes to the job unparsed. */
export const SYNC_MAX_TEXT_BYTES = 2 * 1024 * 1024;
/** Questions in one import, over all its parts. */
export const MAX_IMPORT_QUESTIONS = 100_000;
/** Parts of one part-wise import. */
export const MAX_PARTS = 200;
/** At most this many errors are kept on an import's record (`errorCount` says how many). */
export const MAX_KEPT_ERRORS = 1000;
/**
 * At most this many warnings, and as many skipped questions, are kept on an import's record
 * (`warningCount`, `skippedCount` say how many): the record stays well inside an item's 400 KB.
 */
export const MAX_KEPT_NOTICES = 500;
/** A running import that has not reported for this long has stopped. */
export const STALE_MS = 3 * 60_000;
/** After this long, nothing an import's job started can still be writing (Lambda's 15 minutes). */
export const ZOMBIE_MS = 20 * 60_000;
/**
 * An import run in its upload's request (mode `sync`) sends no heartbeat: nothing of it runs
 * once that request's function has timed out (29 s; 10 s more for clocks and the answer's way).
 * A request that failed for a fault records its failure, unless the database is down then too:
 * past this, its record reads `stopped` and recovery rolls it back, instead of 3 minutes on.
 */
export const SYNC_LIFETIME_MS = (FUNCTION_TIMEOUT_SECONDS.authoring + 10) * 1000;
/**
 * Whether an import ran in an upload's request (a small bank, imported before the answer): a
 * synchronous record with the request's hash. `importBankNow` (the shipped bank at start-up,
 * the bench) is synchronous too, but no request bounds it.
 */
const ranInRequest = (rec: ImportRecord) => rec.mode === 'sync' && rec.requestHash !== undefined;
/** Whether the upload request that ran this import can no longer be running (nor writing). */
const requestEnded = (rec: ImportRecord, now: Date) =>
  ranInRequest(rec) &&
  now.getTime() - Date.parse(rec.startedAt ?? rec.createdAt) > SYNC_LIFETIME_MS;
/**
 * A queued import no job claimed for this long (since it was queued) reads `stopped`, and the
 * job no longer claims it: Lambda may still deliver its event later (an asynchronous event
 * waits up to 6 hours), after its client was told to upload again.
 */
const QUEUED_STALE_MS = 20 * 60_000;
/** How often a running import reports. */
const HEARTBEAT_MS = 2000;
/** How long a job waits for one of the organisation's import slots. */
const SLOT_WAIT_MS = 5 * 60_000;
/** The job's own deadline: Lambda's longest timeout. */
export const JOB_DEADLINE_MS = 15 * 60_000;

/** How long the copies of replaced heads are kept after a commit (readers' snapshots). */
const cleanupDelayMs = () => Number(process.env.IMPORT_CLEANUP_DELAY_MS ?? 60_000);
/**
 * How long the import waits between its last staging write and its commit, for the listing
 * index to catch up: about a second in AWS; DynamoDB Local updates its indexes synchronously.
 */
const indexSettleMs = () =>
  Number(process.env.IMPORT_INDEX_SETTLE_MS ?? (process.env.DYNAMODB_ENDPOINT ? 0 : 1000));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a staff caller is. */
interface Caller {
  org: string;
  subject: string;
}

/** A bank's text as uploaded: the text, and the gzip bytes if it came compressed. */
export interface UploadText {
  text: string;
  gzip?: Buffer;
  spec: UploadSpec;
}

/** What a client reads about an import (`GET /v1/imports/{id}`, the body of a `202`). */
export function importView(rec: ImportRecord, now: Date) {
  const derived = derivedFailure(rec, now);
  const status = derived ? 'failed' : rec.status;
  return {
    importId: rec.importId,
    status,
    ...(rec.bank ? { bankId: rec.bank.id } : {}),
    parts: rec.parts,
    received: [...rec.received].sort((a, b) => a - b),
    ...(rec.counts ?? {}),
    progress: derived ? { phase: 'failed', done: 0, total: 0 } : rec.progress,
    errors: rec.errors ?? [],
    errorCount: rec.errorCount ?? rec.errors?.length ?? 0,
    warnings: rec.warnings ?? [],
    ...(rec.warningCount !== undefined && rec.warningCount > (rec.warnings?.length ?? 0)
      ? { warningCount: rec.warningCount }
      : {}),
    skipped: rec.skipped ?? [],
    ...(rec.skippedCount !== undefined && rec.skippedCount > (rec.skipped?.length ?? 0)
      ? { skippedCount: rec.skippedCount }
      : {}),
    ...(derived ? derived : rec.detail ? { detail: rec.detail } : {}),
    ...(!derived && rec.code ? { code: rec.code } : {}),
    createdAt: rec.createdAt,
    ...(rec.startedAt ? { startedAt: rec.startedAt } : {}),
    ...(rec.finishedAt ? { finishedAt: rec.finishedAt } : {}),
  };
}

export type ImportView = ReturnType<typeof importView>;

/**
 * An import whose job stopped reads as failed before recovery records it (derived on read, as
 * an invitation's expiry is): nothing of it is visible, and the client should upload again.
 */
function derivedFailure(rec: ImportRecord, now: Date) {
  const quiet = (at: string | undefined, ms: number) =>
    at !== undefined && now.getTime() - Date.parse(at) > ms;
  if (rec.status === 'running' && (quiet(rec.heartbeatAt, STALE_MS) || requestEnded(rec, now))) {
    return {
      code: 'stopped' as const,
      detail:
        'The import stopped responding before it finished (its job ended). Nothing of it is visible; upload the bank again (with the same Idempotency-Key, if you sent one).',
    };
  }
  if (rec.status === 'queued' && quiet(rec.queuedAt ?? rec.createdAt, QUEUED_STALE_MS)) {
    return {
      code: 'stopped' as const,
      detail: 'The import was never started. Nothing of it is stored; upload the bank again.',
    };
  }
  return undefined;
}

const hashRequest = (parts: readonly unknown[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

/**
 * Bytes (as JSON) of errors, and of warnings and of skipped questions, that one import record
 * keeps: together well inside DynamoDB's 400 KB item. A count alone is not enough: a thousand
 * errors of the longest message (`MAX_ISSUE_TEXT`) took more than the item can hold, and the job
 * could not record its failure.
 */
const KEPT_ERROR_BYTES = 150_000;
const KEPT_NOTICE_BYTES = 80_000;

/** The first of `items`, at most `count` of them and `bytes` of JSON. */
function firstWithin<T>(items: readonly T[], count: number, bytes: number): T[] {
  const out: T[] = [];
  let used = 0;
  for (const item of items.slice(0, count)) {
    used += Buffer.byteLength(JSON.stringify(item));
    if (used > bytes) break;
    out.push(item);
  }
  return out;
}

/** Issues as kept on a record: at most MAX_KEPT_ERRORS, and KEPT_ERROR_BYTES of JSON. */
const kept = (issues: readonly FieldIssue[]) =>
  firstWithin(issues, MAX_KEPT_ERRORS, KEPT_ERROR_BYTES);

/** An upload's warnings and skipped questions as its record keeps them. */
const notices = (upload: Pick<BankImport, 'warnings' | 'skipped'>) => ({
  warnings: firstWithin(upload.warnings, MAX_KEPT_NOTICES, KEPT_NOTICE_BYTES),
  warningCount: upload.warnings.length,
  skipped: firstWithin(upload.skipped, MAX_KEPT_NOTICES, KEPT_NOTICE_BYTES),
  skippedCount: upload.skipped.length,
});

/**
 * The check of an upload's ids against the stored heads, run where the import reads them:
 * an id that already belongs to a different question of another bank is a 409 naming both,
 * unless the file wrote it and the upload says the question moves (bank-import.ts).
 */
const ownershipGuard =
  (upload: BankImport) => (heads: ReadonlyMap<string, Record<string, unknown>>) =>
    checkIdOwnership(upload, heads as unknown as ReadonlyMap<string, StoredHead>);

/**
 * Where an upload's question is, for a notice about it: its index (in its part, for a
 * part-wise import), and the line and title a GIFT or Moodle XML file gave it.
 */
function locator(upload: BankImport & { positions?: readonly QuestionPosition[] }) {
  const origins = new Map(upload.origins.map((o) => [o.id, o]));
  const positions = upload.positions ?? [];
  const severalParts = positions.some((p) => p.part !== positions[0]!.part);
  return (index: number, id: string): Partial<Notice> => {
    const at = positions[index];
    const o = origins.get(id);
    return {
      questionIndex: at ? at.index : index,
      ...(at && severalParts ? { part: at.part } : {}),
      ...(o?.line ? { line: o.line } : {}),
      ...(o?.title ? { title: o.title } : {}),
    };
  };
}

/** A question of a part-wise import: its part and its index there. */
interface QuestionPosition {
  part: number;
  index: number;
}

/** An import that could not go on, with what its record (and a request's answer) says. */
export class ImportFailed extends DomainError {
  constructor(
    readonly failure: ImportFailure,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(failure === 'validation-failed' ? 'validation-failed' : 'conflict', message, {
      ...(issues.length ? { errors: kept(issues) } : {}),
    });
  }
}

/** The failure recorded for an error: a domain problem, a conflict, or a fault. */
function failureOf(err: unknown): {
  code: ImportFailure;
  detail: string;
  errors?: FieldIssue[];
  errorCount?: number;
} {
  if (err instanceof ImportFailed) {
    return {
      code: err.failure,
      detail: err.message,
      ...(err.issues.length ? { errors: err.issues } : {}),
    };
  }
  if (err instanceof ValidationError) {
    return { code: 'validation-failed', detail: err.message, errors: err.issues };
  }
  if (err instanceof StagingConflict) {
    return {
      code: 'conflict',
      detail: `${err.message} Nothing of this import is visible; upload the bank again.`,
    };
  }
  // Any other domain error is an answer about the data (with its located problems, such as
  // the derived-id check's); everything else is a fault (the fault map of the HTTP layer
  // answers those 503 in a request). A fault the data layer named (UnavailableError, a
  // DomainError too) is a fault: recorded as a conflict, its Idempotency-Key's retries were
  // answered 409 for good ("temporarily unavailable... Retry in 1 second") instead of rerunning.
  if (err instanceof DomainError && !(err instanceof UnavailableError)) {
    const errors = err.extra.errors as FieldIssue[] | undefined;
    return {
      code: 'conflict',
      detail: err.message,
      ...(errors?.length ? { errors: kept(errors), errorCount: errors.length } : {}),
    };
  }
  return {
    code: 'unavailable',
    detail:
      'The import failed for a fault on our side (the database did not answer); nothing of it is visible. Upload the bank again (with the same Idempotency-Key, if you sent one).',
  };
}

// ---------------------------------------------------------------------------------------------
// Staging and committing: the part every import shares

interface Run {
  org: string;
  importId: string;
  bank: Bank;
  now: () => Date;
  /** Aborts the run (the job's deadline). */
  signal?: AbortSignal;
  /**
   * Stops staging and leaves what was staged for the job (an upload whose request ran out of
   * its time budget): no rollback here; the job undoes it and runs the import whole.
   */
  handOff?: AbortSignal;
  /** Checks the stored heads of the bank's ids before anything is staged (throws to refuse). */
  guard?: (heads: ReadonlyMap<string, Record<string, unknown>>) => void;
  /** The upload's own warnings (the format's notes), which the record keeps. */
  warnings?: readonly Notice[];
  /** Where the bank's question at `index` is in the upload, for a notice about it. */
  locate?: (index: number, id: string) => Partial<Notice>;
}

export interface Committed {
  counts: ImportCounts;
  seq: number;
  /** Questions whose previous head was copied to `PREV#seq` (deleted at clean-up). */
  replaced: string[];
  /**
   * Everything the author should know: a notice for each retired question the bank holds (it
   * stayed retired), then the upload's own warnings.
   */
  warnings: Notice[];
}

/** Call `fn` every `ms` until stopped (one call at a time; a failed call is only logged). */
function every(ms: number, fn: () => Promise<unknown>): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(fn).catch((err: unknown) => {
      console.error('import heartbeat failed:', (err as Error).message);
    });
  }, ms);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Run tasks with at most `limit` in flight; at the first failure no new task starts, and the
 * failure is thrown once every task in flight has settled (so that a rollback that follows
 * sees everything they wrote).
 */
async function runAll(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        await tasks[i]!();
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failed) throw failed.err;
}

/** Wait for one of the organisation's import slots, recovering stopped imports that hold one. */
async function register(run: Run): Promise<number> {
  const started = Date.now();
  for (let round = 0; ; round++) {
    const registry = await recoverStopped(run.org, run.now());
    const seq = await registerImport(run.org, run.importId, run.now(), registry);
    if (seq !== undefined) return seq;
    // An upload request does not wait out its deadline for a slot: the job waits instead.
    if (run.handOff?.aborted) throw new HandOff();
    if (Date.now() - started > SLOT_WAIT_MS || run.signal?.aborted) {
      throw new ImportFailed(
        'conflict',
        'Your organisation has 8 bank imports in progress; try again when one has finished.',
      );
    }
    await sleep(Math.min(5000, 250 * 2 ** round));
  }
}

/**
 * Register, plan, stage and commit a validated bank. On any failure before the commit the
 * staged questions are rolled back and the registry entry closed, then the error is thrown;
 * nothing was ever visible. `progress` hears how far staging is.
 */
export async function stageAndCommit(
  run: Run,
  progress: (done: number, total: number, phase: 'staging' | 'publishing') => Promise<void>,
): Promise<Committed> {
  const { org, importId, bank } = run;
  const seq = await register(run);
  const attempted: StagedEntry[] = [];
  try {
    if (
      !(await heartbeat(org, importId, { phase: 'staging', done: 0, total: 0 }, run.now(), {
        seq,
        bank: bank.bank,
      }))
    ) {
      throw new ImportFailed(
        'stopped',
        'The import was stopped by recovery before it staged anything.',
      );
    }
    const plan = await planImport(org, bank.questions, await currentSnapshot(org));
    if (plan.busy.length) {
      throw new ImportFailed(
        'conflict',
        `${plan.busy.length} question${plan.busy.length === 1 ? ' is' : 's are'} being imported by another upload that has not finished; upload again when it has.`,
        plan.busy.map((b) => ({
          path: `questions[${b.index}].id`,
          message: `Question ${b.id} is being imported by another upload that has not finished.`,
          questionIndex: b.index,
          questionId: b.id,
        })),
      );
    }
    run.guard?.(plan.heads);
    // An import never revives a retired question: the author hears which ones it left retired.
    const retired = plan.retired.map((r) => ({
      ...retiredNotice(r),
      ...(run.locate ? run.locate(r.index, r.id) : { questionIndex: r.index }),
    }));
    const warnings = [...retired, ...(run.warnings ?? [])];
    const entries: StagedEntry[] = plan.changes.map((p) => [p.q.id, p.version, p.head ? 1 : 0]);
    // The staged list first: whatever happens next, a rollback knows what to undo.
    for (let n = 0; n * STAGED_PER_ITEM < entries.length; n++) {
      await writeStagedList(
        org,
        importId,
        n,
        entries.slice(n * STAGED_PER_ITEM, (n + 1) * STAGED_PER_ITEM),
      );
    }
    const at = run.now().toISOString();
    const versions: WriteRequest[] = [];
    let done = 0;
    // The heartbeat runs beside the work, whatever step is slow (staging, versions, settling).
    const beat = every(HEARTBEAT_MS, () => progress(done, plan.changes.length, 'staging'));
    try {
      await runAll(
        plan.changes.map((p, i) => async () => {
          if (run.signal?.aborted) throw new Error('The import job ran out of time.');
          if (run.handOff?.aborted) throw new HandOff(seq);
          attempted.push(entries[i]!);
          versions.push(await stageQuestion(org, seq, p, at, bank.bank.id));
          done++;
        }),
        STAGE_CONCURRENCY,
      );
      await batchWriteAll(versions);
    } finally {
      await beat.stop();
    }
    await progress(done, plan.changes.length, 'publishing');
    await sleep(indexSettleMs());
    const counts: ImportCounts = {
      imported: bank.questions.length,
      created: plan.created,
      updated: plan.updated,
      unchanged: plan.unchanged,
    };
    const kept = retired.length
      ? {
          warnings: firstWithin(warnings, MAX_KEPT_NOTICES, KEPT_NOTICE_BYTES),
          warningCount: warnings.length,
        }
      : undefined;
    if (
      !(await commitImport(org, importId, seq, plan.deltas, bank.bank, counts, run.now(), kept))
    ) {
      throw new ImportFailed(
        'stopped',
        'The import was taken for stopped and rolled back before it could commit; upload again.',
      );
    }
    return {
      counts,
      seq,
      replaced: plan.changes.filter((p) => p.head).map((p) => p.q.id),
      warnings,
    };
  } catch (err) {
    if (!(err instanceof HandOff)) await rollBack(org, importId, seq, attempted);
    throw err;
  }
}

/** Staging stopped to hand the import to the job, which undoes what import `seq` staged. */
class HandOff extends Error {
  /** `seq`: the import's number, if it registered before it stopped. */
  constructor(readonly seq?: number) {
    super('The import was handed to the import job.');
  }
}

/**
 * How long an upload request stages before it hands the import to the job (answering 202):
 * well inside the authoring function's 29 s, for a busy machine (or database) on which 1,000
 * questions take longer than usual.
 */
const syncStageBudgetMs = () => Number(process.env.IMPORT_SYNC_BUDGET_MS ?? 8000);

/**
 * Undo staged questions and close the registry entry; false when that failed, which leaves it
 * to recovery (from the staged list, which must then be kept).
 */
async function rollBack(
  org: string,
  importId: string,
  seq: number,
  entries: readonly StagedEntry[],
): Promise<boolean> {
  try {
    await runAll(
      entries.map((e) => () => rollbackQuestion(org, seq, e)),
      STAGE_CONCURRENCY,
    );
    await unregisterImport(org, seq, importId);
    return true;
  } catch (err) {
    console.error(`import ${importId}: rollback failed, left to recovery:`, (err as Error).message);
    return false;
  }
}

/**
 * Imports of this organisation whose job stopped: roll back what they staged (from their staged
 * list) and record them failed; close their registry entry once their job can no longer write
 * (docs/imports.md, "State machine"). Returns the registry as read when recovery changed nothing
 * in it (registering goes on from that read), undefined when it did.
 */
export async function recoverStopped(org: string, now: Date): Promise<ImportRegistry | undefined> {
  const registry = await readRegistry(org);
  let changed = false;
  for (const entry of registry.open) {
    const rec = await getImport(org, entry.importId);
    // An import that recorded its own failure (after its own rollback attempt) writes nothing
    // more: what it left is rolled back now, not 3 minutes later, so that a retry after a 503
    // is not refused as busy meanwhile. A failure recovery recorded ("stopped") waits below.
    const selfFailed = rec?.status === 'failed' && rec.code !== 'stopped';
    const quiet = now.getTime() - Date.parse(entry.at) > STALE_MS;
    // Its job stopped reporting, or the request that ran it (a small upload) has ended.
    const stalled =
      rec?.status === 'running' &&
      rec.heartbeatAt !== undefined &&
      derivedFailure(rec, now) !== undefined;
    if (!quiet && !entry.aborted && !selfFailed && !stalled) continue;
    const finished =
      !rec ||
      (rec.status !== 'running' && rec.status !== 'queued') ||
      (rec.status === 'queued' && derivedFailure(rec, now) !== undefined);
    // Nothing of it can still write: its job's time is up, or the request that ran it (a small
    // upload) has ended. An entry held past that kept one of the organisation's 8 slots for
    // nothing: a dead small upload's entry stayed (aborted) for 20 minutes.
    const beyondReach =
      now.getTime() - Date.parse(entry.at) > ZOMBIE_MS ||
      (rec !== undefined && requestEnded(rec, now));
    if (!stalled && !finished && !entry.aborted) continue;
    changed = true;
    for (const e of await readStagedList(org, entry.importId)) {
      await rollbackQuestion(org, entry.seq, e);
    }
    if (stalled && rec) {
      await failImport(
        org,
        entry.importId,
        { code: 'stopped', detail: derivedFailure(rec, now)!.detail },
        now,
        { heartbeatSeen: rec.heartbeatAt! },
      );
    }
    if (beyondReach || (finished && !entry.aborted)) {
      await unregisterImport(org, entry.seq, entry.importId);
      await deleteImportData(org, entry.importId);
    } else await markAborted(org, entry.seq, entry.importId, now);
  }
  return changed ? undefined : registry;
}

/**
 * Run `write`, an edit or a retirement of one of `org`'s questions. Refused because an open
 * import has replaced that question (409 `import-in-progress`), it runs once more after
 * recovering the organisation's stopped imports: a dead import was otherwise rolled back only
 * when the next import registered, and until someone uploaded again its questions were answered
 * "being replaced by a bank import... try again within a minute" while `GET /v1/imports/{id}`
 * already said it had stopped. A live import's questions stay refused.
 */
export async function pastStoppedImports<T>(org: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof DomainError) || err.extra.reason !== 'import-in-progress') throw err;
    if (await recoverStopped(org, new Date())) throw err; // nothing stopped: it is live
    return write();
  }
}

// ---------------------------------------------------------------------------------------------
// Uploads

/** The answer to an upload: the counts (imported in the request) or the accepted import. */
export type UploadAnswer =
  | {
      status: 201;
      body: { importId: string; bankId: string } & ImportCounts & {
          warnings: Notice[];
          skipped: SkippedQuestion[];
        };
    }
  | { status: 202; body: ImportView };

/** What an upload asks for beyond its text. */
export interface UploadOptions {
  /** `Prefer: respond-async`: import in the job whatever the size. */
  async?: boolean;
  idempotencyKey?: string;
  now: Date;
}

/**
 * `POST /v1/banks`: a bank of at most 1,000 questions and 2 MiB is validated, staged and
 * committed here (`201`); anything larger, or with `Prefer: respond-async`, is stored and
 * handed to the import job (`202`). With an Idempotency-Key a retry gets the same import.
 */
export async function uploadBank(
  caller: Caller,
  upload: UploadText,
  opts: UploadOptions,
): Promise<UploadAnswer> {
  const requestHash = hashRequest([upload.spec, opts.async ?? false, upload.text]);
  let importId: string = newUlid();
  if (opts.idempotencyKey) {
    const prior = await priorImport(
      caller.org,
      opts.idempotencyKey,
      { importId, requestHash },
      opts.now,
      'This Idempotency-Key was sent with a different upload: use a new key for a new upload.',
    );
    if (prior) {
      const { rec } = prior;
      const failure = rec && derivedFailure(rec, opts.now);
      const faulted =
        rec?.status === 'failed' && (rec.code === 'unavailable' || rec.code === 'stopped');
      if (rec && (faulted || failure)) {
        // The first run failed for a fault: run the import again under the same key.
        if (!(await repointImportKey(caller.org, opts.idempotencyKey, rec.importId, importId))) {
          return uploadBank(caller, upload, opts);
        }
      } else if (rec) return answerFor(rec, opts.now);
      else importId = prior.importId; // the first try died before creating it: create it now
    }
  }

  const textBytes = Buffer.byteLength(upload.text);
  if (
    !opts.async &&
    textBytes <= SYNC_MAX_TEXT_BYTES &&
    readableInRequest(upload.text, upload.spec)
  ) {
    const read = await parseUpload(upload.text, upload.spec);
    if (read.bank.questions.length <= SYNC_MAX_QUESTIONS) {
      return importInRequest(caller, importId, read, upload, requestHash, opts.now);
    }
  }
  return acceptUpload(caller, importId, upload, requestHash, opts.now);
}

/**
 * Claims an Idempotency-Key for a new import. When a request came first with the key, its
 * import id and record are returned (no record: the first try died before creating it); the
 * same key with a different request is a 422 with `mismatch` as its message.
 */
async function priorImport(
  org: string,
  key: string,
  claim: { importId: string; requestHash: string },
  now: Date,
  mismatch: string,
): Promise<{ importId: string; rec: ImportRecord | undefined } | undefined> {
  const prior = await claimImportKey(org, key, claim, now);
  if (!prior) return undefined;
  if (prior.requestHash !== claim.requestHash) throw new DomainError('unprocessable', mismatch);
  return { importId: prior.importId, rec: await getImport(org, prior.importId) };
}

/** The same answer the first request got, for a retry with its Idempotency-Key. */
function answerFor(rec: ImportRecord, now: Date): UploadAnswer {
  if (rec.mode === 'sync' && rec.status === 'succeeded' && rec.counts && rec.bank) {
    return {
      status: 201,
      body: {
        importId: rec.importId,
        bankId: rec.bank.id,
        ...rec.counts,
        warnings: rec.warnings ?? [],
        skipped: rec.skipped ?? [],
      },
    };
  }
  if (rec.mode === 'sync' && rec.status === 'failed') {
    const errors = rec.errors ?? [];
    if (rec.code === 'validation-failed') throw new ValidationError(errors);
    throw new DomainError(
      'conflict',
      rec.detail ?? 'The import failed.',
      errors.length ? { errors } : {},
    );
  }
  return { status: 202, body: importView(rec, now) };
}

/** A small bank, validated already: staged and committed before the answer. */
async function importInRequest(
  caller: Caller,
  importId: string,
  read: BankImport,
  upload: UploadText,
  requestHash: string,
  now: Date,
): Promise<UploadAnswer> {
  const { bank } = read;
  const at = now.toISOString();
  await createImport({
    importId,
    org: caller.org,
    status: 'running',
    mode: 'sync',
    createdAt: at,
    startedAt: at,
    heartbeatAt: at,
    createdBy: caller.subject,
    parts: 1,
    received: [1],
    bank: bank.bank,
    progress: { phase: 'staging', done: 0, total: bank.questions.length },
    requestHash,
    ...notices(read),
  });
  let committed: Committed;
  try {
    committed = await stageAndCommit(
      {
        org: caller.org,
        importId,
        bank,
        now: () => new Date(),
        handOff: AbortSignal.timeout(syncStageBudgetMs()),
        guard: ownershipGuard(read),
        warnings: read.warnings,
        locate: locator(read),
      },
      async () => {},
    );
  } catch (err) {
    if (err instanceof HandOff) return handOff(caller, importId, upload, now);
    const failure = failureOf(err);
    await failImport(
      caller.org,
      importId,
      { ...failure, errors: kept(failure.errors ?? []), errorCount: failure.errors?.length ?? 0 },
      new Date(),
    ).catch(() => undefined);
    throw err;
  }
  await scheduleCleanup(caller.org, importId, committed);
  return {
    status: 201,
    body: {
      importId,
      bankId: bank.bank.id,
      ...committed.counts,
      warnings: committed.warnings,
      skipped: read.skipped,
    },
  };
}

/**
 * After a commit: the copies of replaced heads go a minute later (the job does it), the staged
 * list now. A failure here changes nothing a reader sees; it is logged and left.
 */
async function scheduleCleanup(org: string, importId: string, committed: Committed): Promise<void> {
  try {
    if (committed.replaced.length) {
      await invokeJob('import', {
        task: 'cleanup',
        org,
        importId,
        notBefore: Date.now() + cleanupDelayMs(),
      });
    } else {
      await deleteImportData(org, importId);
      await markCleaned(org, importId, new Date());
    }
  } catch (err) {
    console.error(`import ${importId}: clean-up not scheduled:`, (err as Error).message);
  }
}

/** A large bank (or `Prefer: respond-async`): stored, queued, and handed to the job. */
async function acceptUpload(
  caller: Caller,
  importId: string,
  upload: UploadText,
  requestHash: string,
  now: Date,
): Promise<UploadAnswer> {
  const meta = partMeta(upload);
  await putBody(caller.org, importId, 1, meta, upload.gzip ?? compressText(upload.text));
  const rec: ImportRecord = {
    importId,
    org: caller.org,
    status: 'queued',
    mode: 'async',
    createdAt: now.toISOString(),
    createdBy: caller.subject,
    parts: 1,
    received: [1],
    progress: { phase: 'queued', done: 0, total: 0 },
    requestHash,
  };
  await createImport(rec);
  await startJob(caller.org, importId);
  return { status: 202, body: importView(rec, now) };
}

/**
 * An upload that ran out of its time budget while staging: its text is stored, its record goes
 * back to `queued` (now asynchronous) and the job takes it over; the job first undoes what the
 * request staged (the record keeps its `seq`), then imports the bank whole. Answered `202`.
 */
async function handOff(
  caller: Caller,
  importId: string,
  upload: UploadText,
  now: Date,
): Promise<UploadAnswer> {
  await putBody(
    caller.org,
    importId,
    1,
    partMeta(upload),
    upload.gzip ?? compressText(upload.text),
  );
  const rec = await deferImport(caller.org, importId, new Date());
  if (!rec) throw new Error(`import ${importId}: not running when it was handed to the job`);
  await startJob(caller.org, importId);
  return { status: 202, body: importView(rec, now) };
}

const partMeta = (upload: UploadText): PartMeta => ({
  format: upload.spec.format,
  ...(upload.spec.area ? { area: upload.spec.area } : {}),
  ...(upload.spec.difficulty ? { difficulty: upload.spec.difficulty } : {}),
  ...(upload.spec.bank ? { bank: upload.spec.bank } : {}),
  ...(upload.spec.bankTitle ? { bankTitle: upload.spec.bankTitle } : {}),
  ...(upload.spec.skipUnsupported ? { skipUnsupported: true } : {}),
  ...(upload.spec.moveQuestions ? { moveQuestions: true } : {}),
  textBytes: Buffer.byteLength(upload.text),
});

/** Hand a queued import to the job; if that fails, the import fails (a fault) and so does the request. */
async function startJob(org: string, importId: string): Promise<void> {
  try {
    await invokeJob('import', { task: 'run', org, importId });
  } catch (err) {
    await failImport(org, importId, failureOf(err), new Date()).catch(() => undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Part-wise imports

/** `POST /v1/imports`: an import that waits for `parts` parts. */
export async function createPartwiseImport(
  caller: Caller,
  input: { bank: BankMeta; parts: number },
  opts: { idempotencyKey?: string; now: Date },
): Promise<ImportView> {
  const requestHash = hashRequest([input]);
  const importId = newUlid();
  if (opts.idempotencyKey) {
    const prior = await priorImport(
      caller.org,
      opts.idempotencyKey,
      { importId, requestHash },
      opts.now,
      'This Idempotency-Key was sent with a different request: use a new key for a new import.',
    );
    if (prior) {
      if (prior.rec) return importView(prior.rec, opts.now);
      return createPartwise(caller, prior.importId, input, requestHash, opts.now);
    }
  }
  return createPartwise(caller, importId, input, requestHash, opts.now);
}

async function createPartwise(
  caller: Caller,
  importId: string,
  input: { bank: BankMeta; parts: number },
  requestHash: string,
  now: Date,
): Promise<ImportView> {
  const rec: ImportRecord = {
    importId,
    org: caller.org,
    status: 'receiving',
    mode: 'async',
    createdAt: now.toISOString(),
    createdBy: caller.subject,
    parts: input.parts,
    received: [],
    bank: input.bank,
    progress: { phase: 'receiving', done: 0, total: input.parts },
    requestHash,
  };
  if (!(await createImport(rec))) {
    const existing = await getImport(caller.org, importId);
    if (existing) return importView(existing, now);
  }
  return importView(rec, now);
}

/**
 * `PUT /v1/imports/{id}/parts/{n}`: store a part (replacing an earlier copy of it); the last
 * missing part queues the import (`202`). A part sent again to a queued import that no job
 * claimed starts the job again.
 */
export async function receiveImportPart(
  caller: Caller,
  importId: string,
  part: number,
  upload: UploadText,
  now: Date,
): Promise<{ status: 200 | 202; body: ImportView }> {
  const rec = await getImport(caller.org, importId);
  if (!rec) throw new DomainError('not-found', `Import ${importId} was not found.`);
  if (part > rec.parts) {
    throw new ValidationError([
      {
        path: 'path.part',
        message: `This import has ${rec.parts} parts; part ${part} is not one of them.`,
      },
    ]);
  }
  if (rec.status === 'queued') {
    // A retry of the part that completed the import, whose job may never have started.
    await startJob(caller.org, importId);
    return { status: 202, body: importView(rec, now) };
  }
  if (rec.status !== 'receiving') {
    throw new DomainError(
      'conflict',
      `Import ${importId} is ${rec.status}: it no longer takes parts. Start a new import to send the bank again.`,
    );
  }
  // A part small enough to parse here is validated here (400 with every problem located, as
  // POST /v1/banks answers); a larger one is validated by the job with the others.
  if (
    Buffer.byteLength(upload.text) <= SYNC_MAX_TEXT_BYTES &&
    readableInRequest(upload.text, upload.spec)
  ) {
    const { bank } = await parseUpload(upload.text, upload.spec);
    if (rec.bank && namesItsBank(upload.spec.format) && bank.bank.id !== rec.bank.id) {
      throw new ValidationError([
        {
          path: 'bank.id',
          message: `This part is of bank "${bank.bank.id}"; the import is of bank "${rec.bank.id}".`,
        },
      ]);
    }
  }
  const after = await receivePart(
    caller.org,
    importId,
    part,
    partMeta(upload),
    upload.gzip ?? compressText(upload.text),
  );
  if (!after) return receiveImportPart(caller, importId, part, upload, now);
  if (after.received.length < after.parts) return { status: 200, body: importView(after, now) };
  const queued = await markQueued(caller.org, importId, after.parts, new Date());
  if (queued) await startJob(caller.org, importId);
  return { status: 202, body: importView(queued ?? after, now) };
}

/** `GET /v1/imports/{id}`: the status of an import of the caller's organisation. */
export async function importStatus(org: string, importId: string, now: Date): Promise<ImportView> {
  const rec = await getImport(org, importId);
  if (!rec) throw new DomainError('not-found', `Import ${importId} was not found.`);
  return importView(rec, now);
}

// ---------------------------------------------------------------------------------------------
// The job

/** What the import job is invoked with. */
export type ImportTask =
  | { task: 'run'; org: string; importId: string }
  | { task: 'cleanup'; org: string; importId: string; notBefore?: number };

/** Run an import job's task; every outcome is recorded on the import. */
export async function runImportTask(task: ImportTask, signal?: AbortSignal): Promise<void> {
  if (task.task === 'cleanup') {
    await sleep(Math.max(0, (task.notBefore ?? 0) - Date.now()));
    const rec = await getImport(task.org, task.importId);
    if (rec?.status !== 'succeeded' || rec.seq === undefined || rec.cleanedAt) return;
    await cleanUp(task.org, task.importId, rec.seq);
    return;
  }
  const now = new Date();
  const claimed = await claimImport(
    task.org,
    task.importId,
    now,
    new Date(now.getTime() - QUEUED_STALE_MS),
  );
  // Another run has it, it is over, or it waited so long that its client was told it stopped.
  if (!claimed) return;
  const { org, importId } = task;
  if (claimed.seq !== undefined) {
    // Handed over by a request that ran out of time: undo what it staged, close its entry. If
    // that fails (a fault), the import fails as a fault and its staged list stays for recovery:
    // deleted, what the request staged was left under an entry that recovery would close
    // with nothing to undo, and that staging then became visible.
    if (!(await rollBack(org, importId, claimed.seq, await readStagedList(org, importId)))) {
      await failImport(org, importId, failureOf(undefined), new Date());
      return;
    }
    await deleteStagedList(org, importId);
  }
  const report = (
    phase: 'reading' | 'validating' | 'staging' | 'publishing',
    done: number,
    total: number,
  ) => heartbeat(org, importId, { phase, done, total }, new Date()).then(() => undefined);
  let read: Awaited<ReturnType<typeof readBankOf>>;
  try {
    read = await readBankOf(claimed, report);
  } catch (err) {
    const failure = failureOf(err);
    await failImport(
      org,
      importId,
      { ...failure, errors: kept(failure.errors ?? []), errorCount: failure.errors?.length ?? 0 },
      new Date(),
    );
    await deleteImportData(org, importId);
    return;
  }
  // What the author should know is on the record from here on, whatever happens next.
  await heartbeat(org, importId, { phase: 'staging', done: 0, total: 0 }, new Date(), {
    ...notices(read),
  });
  let committed: Committed;
  try {
    committed = await stageAndCommit(
      {
        org,
        importId,
        bank: read.bank,
        now: () => new Date(),
        guard: ownershipGuard(read),
        warnings: read.warnings,
        locate: locator(read),
        ...(signal ? { signal } : {}),
      },
      (done, total, phase) => report(phase, done, total),
    );
  } catch (err) {
    await failImport(org, importId, failureOf(err), new Date()).catch(() => undefined);
    await deleteImportData(org, importId).catch(() => undefined);
    // A fault is rethrown for the job's own error reporting; the record says it all already.
    if (!(err instanceof DomainError)) throw err;
    return;
  }
  // Readers may hold a snapshot from before the commit for as long as a request lasts.
  await sleep(cleanupDelayMs());
  await cleanUp(org, importId, committed.seq, committed.replaced);
}

/** Delete the copies of replaced heads, the staged list and the body of a committed import. */
async function cleanUp(org: string, importId: string, seq: number, replaced?: readonly string[]) {
  const ids =
    replaced ?? (await readStagedList(org, importId)).filter((e) => e[2]).map((e) => e[0]);
  await deletePrevs(org, seq, ids);
  await deleteImportData(org, importId);
  await markCleaned(org, importId, new Date());
}

/**
 * Whether a format's file says which bank it is (a JSON or YAML envelope); a GIFT or Moodle XML
 * file is the bank the query (or the part-wise import) names.
 */
const namesItsBank = (format: UploadFormat) => format !== 'gift' && format !== 'xml';

/**
 * Every part of an import parsed and validated into one bank, read as the upload request reads
 * it (the spec stored with each part): problems located by part (when there are several),
 * question and line; the same question id twice across parts is one. The parts' warnings,
 * skipped questions and id origins are those of the whole import.
 */
async function readBankOf(
  rec: ImportRecord,
  report: (phase: 'reading' | 'validating', done: number, total: number) => Promise<void>,
): Promise<BankImport & { positions: QuestionPosition[] }> {
  const parts = await readParts(rec.org, rec.importId, MAX_UPLOAD_TEXT_BYTES);
  await report('validating', 0, parts.length);
  const issues: FieldIssue[] = [];
  const questions: QuestionContent[] = [];
  const warnings: Notice[] = [];
  const skipped: SkippedQuestion[] = [];
  const origins: QuestionOrigin[] = [];
  const positions: QuestionPosition[] = [];
  const firstSeen = new Map<string, { part: number; index: number }>();
  let meta: BankMeta | undefined = rec.bank;
  // Banks that parts got by default, not by name (GIFT or XML without ?bank=).
  const defaultBanks = new Set<string>();
  const several = rec.parts > 1;
  for (const [i, p] of parts.entries()) {
    const where = several ? { part: p.part } : {};
    const format = p.meta.format as UploadFormat;
    let read: BankImport;
    try {
      read = await parseUpload(p.text, {
        format,
        ...(p.meta.area ? { area: p.meta.area } : {}),
        ...(p.meta.difficulty ? { difficulty: p.meta.difficulty as 1 | 2 | 3 } : {}),
        ...(p.meta.bank ? { bank: p.meta.bank } : {}),
        ...(p.meta.bankTitle ? { bankTitle: p.meta.bankTitle } : {}),
        ...(p.meta.skipUnsupported ? { skipUnsupported: true } : {}),
        ...(p.meta.moveQuestions ? { moveQuestions: true } : {}),
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.issues.map((x) => ({ ...x, ...where })));
      continue;
    }
    const { bank } = read;
    if (read.defaultBank) defaultBanks.add(bank.bank.id);
    if (rec.bank && namesItsBank(format) && bank.bank.id !== rec.bank.id) {
      issues.push({
        path: 'bank.id',
        message: `This part is of bank "${bank.bank.id}"; the import is of bank "${rec.bank.id}".`,
        ...where,
      });
    }
    meta ??= bank.bank;
    bank.questions.forEach((q, index) => {
      const first = firstSeen.get(q.id);
      if (first) {
        issues.push({
          path: `questions[${index}].id`,
          message: `Duplicate question id "${q.id}" (first in part ${first.part}, at questions[${first.index}]).`,
          questionIndex: index,
          questionId: q.id,
          ...where,
        });
      } else firstSeen.set(q.id, { part: p.part, index });
    });
    questions.push(...bank.questions);
    positions.push(...bank.questions.map((_, index) => ({ part: p.part, index })));
    warnings.push(...read.warnings.map((w) => ({ ...w, ...where })));
    skipped.push(...read.skipped.map((x) => ({ ...x, ...where })));
    origins.push(...read.origins);
    await report('validating', i + 1, parts.length);
  }
  if (questions.length > MAX_IMPORT_QUESTIONS) {
    issues.push({
      path: 'questions',
      message: `The import holds ${questions.length} questions; one import takes at most ${MAX_IMPORT_QUESTIONS}.`,
    });
  }
  if (issues.length) {
    throw new ImportFailed(
      'validation-failed',
      `The bank has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was imported.`,
      issues,
    );
  }
  // Questions move from other banks only when every part was sent with ?moveQuestions=true.
  const moveQuestions = parts.length > 0 && parts.every((p) => p.meta.moveQuestions);
  return {
    bank: { bank: meta!, questions },
    warnings,
    skipped,
    origins,
    positions,
    ...(moveQuestions ? { moveQuestions } : {}),
    ...(defaultBanks.has(meta!.id) ? { defaultBank: true as const } : {}),
  };
}

/**
 * Import a validated bank now, under a record of its own: the shipped bank at start-up, the
 * bench's banks. The same staging and commit as any import; no clean-up delay (no reader
 * depends on copies of replaced heads while the bank is loaded).
 */
export async function importBankNow(org: string, bank: Bank, now: Date): Promise<ImportCounts> {
  const importId = newUlid();
  const at = now.toISOString();
  await createImport({
    importId,
    org,
    status: 'running',
    mode: 'sync',
    createdAt: at,
    startedAt: at,
    heartbeatAt: at,
    parts: 1,
    received: [1],
    bank: bank.bank,
    progress: { phase: 'staging', done: 0, total: bank.questions.length },
  });
  const committed = await stageAndCommit(
    { org, importId, bank, now: () => new Date() },
    async () => {},
  );
  await cleanUp(org, importId, committed.seq, committed.replaced);
  return committed.counts;
}
