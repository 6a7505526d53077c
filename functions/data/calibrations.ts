/**
 * Calibrated item parameters and calibration runs. A run (the calibration job) writes, per
 * calibrated question version, its full estimate beside the question (`CAL#<version>`, read by
 * `GET /v1/questions/{id}/stats`) and, per owner and area, a compact set of the parameters in
 * chunks (`ORG#<owner>#CALSET` / `<area>#<nnn>`), which an attempt's start reads (in the batch
 * of its question versions, `versionsWithParameters`; cached for a few minutes) and freezes in
 * its draw. Runs have a status item; the registry (`CALORGS`) lists the owners the job
 * calibrates, with a queued request at most per owner. Patterns 27-33 of
 * docs/access-patterns.md.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FrozenParameters } from '../domain/adaptive-section.ts';
import type { CalibratedItem } from '../domain/calibration.ts';
import { batchWrite } from './batch-write.ts';
import { applied, db, tableName } from './client.ts';
import { isConditionFailure } from './errors.ts';
import { keys } from './keys.ts';

// ---------------------------------------------------------------------------------------------
// Per version.

/** A question version's calibration, as stored and as the stats route shows it. */
export type StoredCalibration = Omit<CalibratedItem, 'item' | 'status'> & {
  questionId: string;
  version: number;
  area: string;
  /** Item eligibility for adaptive sections (exposure control), when computed. */
  eligibility?: number;
  calibratedAt: string;
  runId: string;
};

const CAL_FIELDS = [
  'questionId',
  'version',
  'area',
  'model',
  'a',
  'b',
  'steps',
  'categories',
  'categoryCounts',
  'standardErrors',
  'fit',
  'responses',
  'eligibility',
  'calibratedAt',
  'runId',
] as const;

const calibrationOf = (item: Record<string, unknown>): StoredCalibration =>
  Object.fromEntries(
    CAL_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as StoredCalibration;

/** Store these versions' calibrations (25 a BatchWriteItem), replacing earlier ones. */
export async function putCalibrations(
  owner: string,
  items: readonly StoredCalibration[],
): Promise<void> {
  await batchWrite(
    items.map((c) => ({
      PutRequest: { Item: { ...keys.calibration(owner, c.questionId, c.version), ...c } },
    })),
  );
}

/** Remove calibrations a later run no longer supports (their versions fell below the minimum). */
export async function deleteCalibrations(
  owner: string,
  versions: readonly { questionId: string; version: number }[],
): Promise<void> {
  await batchWrite(
    versions.map((v) => ({
      DeleteRequest: { Key: { ...keys.calibration(owner, v.questionId, v.version) } },
    })),
  );
}

/** Every calibrated version of a question: one Query of its partition's `CAL#` items. */
export async function readCalibrations(
  owner: string,
  questionId: string,
): Promise<Map<number, StoredCalibration>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :cal)',
      ExpressionAttributeValues: {
        ':pk': keys.calibration(owner, questionId, 0).PK,
        ':cal': keys.calibrationPrefix,
      },
    }),
  );
  return new Map((res.Items ?? []).map((i) => [Number(i.version), calibrationOf(i)]));
}

// ---------------------------------------------------------------------------------------------
// Per owner and area: what an attempt's start reads.

/** One calibrated version in an area's set: its parameters and eligibility. */
export interface SetEntry {
  p: FrozenParameters;
  e?: number;
}

/** Versions per chunk: a chunk stays far below DynamoDB's 400 KB item limit (about 30 KB). */
export const SET_CHUNK = 400;

/**
 * Replace an owner's area set with this run's: chunks `0..n-1` are written, then every chunk
 * left from a longer earlier set is deleted. A start reading in between sees a mix of the two
 * runs, each entry whole.
 */
export async function writeCalibrationSet(
  owner: string,
  area: string,
  entries: ReadonlyMap<string, SetEntry>,
  runId: string,
): Promise<void> {
  const all = [...entries];
  const chunks = Math.ceil(all.length / SET_CHUNK);
  for (let c = 0; c < chunks; c++) {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.calibrationSet(owner, area, c),
          runId,
          v: Object.fromEntries(all.slice(c * SET_CHUNK, (c + 1) * SET_CHUNK)),
        },
      }),
    );
  }
  const existing = await querySet(owner, area, true);
  await batchWrite(
    existing
      .filter((i) => Number(String(i.SK).slice(area.length + 1)) >= chunks)
      .map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })),
  );
}

async function querySet(
  owner: string,
  area: string,
  keysOnly = false,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :area)',
        ExpressionAttributeValues: {
          ':pk': keys.calibrationSetPartition(owner),
          ':area': `${area}#`,
        },
        ...(keysOnly ? { ProjectionExpression: 'PK, SK' } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/** An owner's area set: `<questionId>@<version>` -> parameters (one Query, eventually consistent). */
export async function readCalibrationSet(
  owner: string,
  area: string,
): Promise<Map<string, SetEntry>> {
  const out = new Map<string, SetEntry>();
  for (const item of await querySet(owner, area))
    for (const [k, v] of Object.entries((item.v as Record<string, SetEntry>) ?? {})) out.set(k, v);
  return out;
}

/**
 * How long a function keeps an area set in memory: a calibration reaches attempts started
 * this much later at most (`CALIBRATION_CACHE_SECONDS`, default 300).
 */
export const SET_CACHE_MS = Number(process.env.CALIBRATION_CACHE_SECONDS ?? 300) * 1000;
export const setCache = new Map<string, { at: number; set: Map<string, SetEntry> }>();

/**
 * The calibrated parameters of these owners' areas, from memory while fresh (a few minutes),
 * otherwise one Query per owner and area (a start reads them with its question versions
 * instead: `versionsWithParameters`). Keys: `<owner>/<questionId>@<version>`.
 */
export async function calibratedParameters(
  pairs: readonly { owner: string; area: string }[],
  now = Date.now(),
): Promise<Map<string, SetEntry>> {
  const out = new Map<string, SetEntry>();
  const unique = new Map(pairs.map((p) => [`${p.owner}/${p.area}`, p]));
  await Promise.all(
    [...unique].map(async ([k, p]) => {
      let hit = setCache.get(k);
      if (!hit || now - hit.at > SET_CACHE_MS) {
        hit = { at: now, set: await readCalibrationSet(p.owner, p.area) };
        remember(k, now, hit.set);
      }
      for (const [v, entry] of hit.set) out.set(`${p.owner}/${v}`, entry);
    }),
  );
  return out;
}

export function remember(key: string, at: number, set: Map<string, SetEntry>): void {
  if (setCache.size > 1000) setCache.clear();
  setCache.set(key, { at, set });
}

/** Forget cached area sets (tests, and the job after writing new ones in the same process). */
export function clearCalibrationCache(): void {
  setCache.clear();
}

// ---------------------------------------------------------------------------------------------
// Runs and the registry.

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What one run did for one area. */
export interface AreaRun {
  area: string;
  /** Candidates (attempts) with responses in the area. */
  candidates: number;
  /** Question versions seen, calibrated, left with too few responses, without variation. */
  versions: number;
  calibrated: number;
  insufficient: number;
  noVariation: number;
  converged: boolean;
  cycles: number;
  /** Misfitting versions (item fit p < 0.01). */
  misfitting: number;
  ms: number;
}

export interface CalibrationRun {
  runId: string;
  org: string;
  status: RunStatus;
  trigger: 'request' | 'schedule';
  requestedAt: string;
  requestedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Response records read. */
  records?: number;
  areas: AreaRun[];
  /** Areas still to do (a run longer than one job invocation continues in the next). */
  pending?: string[];
  minResponses: number;
  error?: string;
}

export async function putRun(run: CalibrationRun): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.calibrationRun(run.org, run.runId), ...run },
    }),
  );
}

export async function getRun(org: string, runId: string): Promise<CalibrationRun | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.calibrationRun(org, runId),
      ConsistentRead: true,
    }),
  );
  if (!res.Item) return undefined;
  const { PK: _p, SK: _s, ...run } = res.Item;
  return run as CalibrationRun;
}

/** An owner the job calibrates: its queued request, and when it last finished. */
export interface RegistryEntry {
  org: string;
  /** The queued (or running) run, if any: at most one per owner. */
  requested?: string;
  lastRunId?: string;
  lastFinishedAt?: string;
}

/**
 * Queue a run for `org` unless one is queued or running: one conditional write. Returns the
 * run that is queued after the call (this one, or the earlier one).
 */
export async function queueRun(org: string, runId: string): Promise<string> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.calibrationRegistry(org),
        UpdateExpression: 'SET requested = :run, org = :org',
        ConditionExpression: 'attribute_not_exists(requested)',
        ExpressionAttributeValues: { ':run': runId, ':org': org },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return runId;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const raw = (err as { Item?: { requested?: { S?: string } } }).Item;
    return raw?.requested?.S ?? runId;
  }
}

/** Every registered owner (one Query of the registry; the job's read). */
export async function listRegistry(): Promise<RegistryEntry[]> {
  const out: RegistryEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.calibrationRegistryPartition },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const i of res.Items ?? []) {
      const { PK: _p, SK: _s, ...entry } = i;
      out.push(entry as RegistryEntry);
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/** A run finished: the owner's request is cleared (only if it is still this run). */
export async function finishRegistryRun(
  org: string,
  runId: string,
  finishedAt: string,
): Promise<void> {
  await applied(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.calibrationRegistry(org),
        UpdateExpression: 'SET lastRunId = :run, lastFinishedAt = :at REMOVE requested',
        ConditionExpression: 'requested = :run',
        ExpressionAttributeValues: { ':run': runId, ':at': finishedAt },
      }),
    ),
  );
}
