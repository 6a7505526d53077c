/**
 * Calibration runs: an author's request (`POST /v1/calibrations`, queued: 202 and a status
 * resource), and the calibration job, which on every tick runs queued requests and recalibrates
 * each registered owner whose last run is older than `CALIBRATION_EVERY_HOURS`. A run reads the
 * owner's response records (never attempts), calibrates each area (`domain/calibration.ts`),
 * and stores each calibrated version's parameters with their standard errors and fit, and the
 * area's parameter set that attempts freeze at start. docs/psychometrics.md#the-calibration-job.
 */
import { ulid } from 'ulid';
import {
  type AreaRun,
  type CalibrationRun,
  clearCalibrationCache,
  deleteCalibrations,
  finishRegistryRun,
  getRun,
  listRegistry,
  putCalibrations,
  putRun,
  queueRun,
  readCalibrationSet,
  type SetEntry,
  type StoredCalibration,
  writeCalibrationSet,
} from '../data/calibrations.ts';
import { readResponseRecords, type StoredResponses } from '../data/response-records.ts';
import { exposureEligibility, type PoolItem } from '../domain/adaptive.ts';
import { ADAPTIVE_DEFAULTS } from '../domain/adaptive-defaults.ts';
import { type CalibratedItem, calibrate } from '../domain/calibration.ts';
import { NotFoundError } from '../domain/errors.ts';
import { freeze } from '../domain/frozen-parameters.ts';
import { simulateScore } from '../domain/irt-simulation.ts';
import { areasOf, calibrationInput, parseVersionKey } from '../domain/response-records.ts';
import { PUBLIC_ORG } from '../http/principal.ts';

const setting = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** The job's settings, from the environment (docs/psychometrics.md lists them). */
export function calibrationSettings() {
  return {
    /** Responses a question version needs to be calibrated. */
    minResponses: setting('CALIBRATION_MIN_RESPONSES', 200),
    /** The most recent records a run reads per owner (the rest is older evidence). */
    maxRecords: setting('CALIBRATION_MAX_RECORDS', 20_000),
    /** A registered owner is recalibrated when its last run is older than this. */
    everyHours: setting('CALIBRATION_EVERY_HOURS', 24),
    /** The largest share of candidates an adaptive item should reach (item eligibility). */
    maxExposure: setting('ADAPTIVE_MAX_EXPOSURE', 0.3),
    /** Simulated candidates per round of the eligibility computation. */
    eligibilitySimulees: setting('CALIBRATION_ELIGIBILITY_SIMULEES', 300),
  };
}

/** The status resource of a run. */
export function runView(run: CalibrationRun) {
  return {
    calibrationId: run.runId,
    status: run.status,
    trigger: run.trigger,
    requestedAt: run.requestedAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    minResponses: run.minResponses,
    ...(run.records !== undefined ? { records: run.records } : {}),
    areas: run.areas,
    ...(run.pending?.length ? { pending: run.pending } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

/**
 * `POST /v1/calibrations`: queue a run over the organisation's own questions. One run per
 * organisation is queued or running at a time; asking again while one is returns that one.
 */
export async function requestCalibration(
  org: string,
  requestedBy: string,
  now: Date,
): Promise<CalibrationRun> {
  const runId = ulid(now.getTime());
  const queued = await queueRun(org, runId);
  if (queued !== runId) {
    const existing = await getRun(org, queued);
    if (existing) return existing;
  }
  const run: CalibrationRun = {
    runId: queued,
    org,
    status: 'queued',
    trigger: 'request',
    requestedAt: now.toISOString(),
    requestedBy,
    areas: [],
    minResponses: calibrationSettings().minResponses,
  };
  await putRun(run);
  return run;
}

/** `GET /v1/calibrations/{id}`: a run of this organisation, or 404. */
export async function calibrationRun(org: string, runId: string): Promise<CalibrationRun> {
  const run = await getRun(org, runId);
  if (!run) throw new NotFoundError(`Calibration ${runId}`);
  return run;
}

/**
 * One tick of the calibration job: the shared public bank is always registered; every owner
 * with a queued run, or whose last run is older than `everyHours`, is calibrated until
 * `deadline` (epoch ms). A run that does not finish in time keeps its remaining areas and is
 * continued by the next tick.
 */
export async function runDueCalibrations(
  now: Date,
  deadline: number,
): Promise<{ ran: string[]; continued: string[] }> {
  const settings = calibrationSettings();
  const registry = await listRegistry();
  if (!registry.some((e) => e.org === PUBLIC_ORG)) registry.push({ org: PUBLIC_ORG });
  const ran: string[] = [];
  const continued: string[] = [];
  for (const entry of registry) {
    if (Date.now() > deadline) break;
    let runId = entry.requested;
    if (!runId) {
      const last = entry.lastFinishedAt ? Date.parse(entry.lastFinishedAt) : 0;
      if (now.getTime() - last < settings.everyHours * 3_600_000) continue;
      runId = await queueRun(entry.org, ulid(now.getTime()));
    }
    const outcome = await runCalibration(entry.org, runId, now, deadline);
    (outcome === 'continued' ? continued : ran).push(`${entry.org}/${runId}`);
  }
  return { ran, continued };
}

/**
 * Run (or continue) one calibration of `org`'s questions: read its response records, then per
 * area calibrate, store each calibrated version and the area's parameter set, and drop the
 * calibrations of versions that no longer qualify. Areas are done one at a time and recorded
 * in the run, so a run cut short by `deadline` continues where it stopped.
 */
export async function runCalibration(
  org: string,
  runId: string,
  now: Date,
  deadline: number,
): Promise<'finished' | 'continued'> {
  const settings = calibrationSettings();
  const run: CalibrationRun = (await getRun(org, runId)) ?? {
    runId,
    org,
    status: 'queued',
    trigger: 'schedule',
    requestedAt: now.toISOString(),
    areas: [],
    minResponses: settings.minResponses,
  };
  if (run.status === 'succeeded' || run.status === 'failed') {
    await finishRegistryRun(org, runId, run.finishedAt ?? now.toISOString());
    return 'finished';
  }
  try {
    run.status = 'running';
    run.startedAt ??= new Date().toISOString();
    const records = await readResponseRecords(org, settings.maxRecords, now);
    run.records = records.length;
    const pending = run.pending ?? areasOf(records);
    run.pending = [...pending];
    await putRun(run);
    for (const area of pending) {
      if (Date.now() > deadline) {
        await putRun(run);
        return 'continued';
      }
      run.areas.push(await calibrateArea(org, area, records, run, settings));
      run.pending = run.pending.filter((a) => a !== area);
    }
    run.status = 'succeeded';
  } catch (err) {
    run.status = 'failed';
    run.error = (err as Error).message.slice(0, 500);
  }
  run.finishedAt = new Date().toISOString();
  delete run.pending;
  await putRun(run);
  await finishRegistryRun(org, runId, run.finishedAt);
  clearCalibrationCache();
  return 'finished';
}

async function calibrateArea(
  org: string,
  area: string,
  records: readonly StoredResponses[],
  run: CalibrationRun,
  settings: ReturnType<typeof calibrationSettings>,
): Promise<AreaRun> {
  const started = Date.now();
  const input = calibrationInput(records, area);
  const result = calibrate(input, { minResponses: run.minResponses });
  const calibrated = result.items.filter((i): i is CalibratedItem => i.status === 'calibrated');
  const eligibility = itemEligibility(calibrated, settings, `${run.runId}#${area}`);
  const at = new Date().toISOString();
  const stored: StoredCalibration[] = calibrated.map((c) => {
    const { questionId, version } = parseVersionKey(c.item);
    const e = eligibility.get(c.item);
    return {
      questionId,
      version,
      area,
      model: c.model,
      a: c.a,
      b: c.b,
      steps: c.steps,
      categories: c.categories,
      categoryCounts: c.categoryCounts,
      standardErrors: c.standardErrors,
      fit: c.fit,
      responses: c.responses,
      ...(e !== undefined ? { eligibility: e } : {}),
      calibratedAt: at,
      runId: run.runId,
    };
  });
  const previous = await readCalibrationSet(org, area);
  const set = new Map<string, SetEntry>(
    calibrated.map((c) => {
      const e = eligibility.get(c.item);
      return [c.item, { p: freeze(c), ...(e !== undefined ? { e } : {}) }];
    }),
  );
  await putCalibrations(org, stored);
  await writeCalibrationSet(org, area, set, run.runId);
  await deleteCalibrations(
    org,
    [...previous.keys()].filter((k) => !set.has(k)).map(parseVersionKey),
  );
  return {
    area,
    candidates: result.candidates,
    versions: result.items.length,
    calibrated: calibrated.length,
    insufficient: result.items.filter((i) => i.status === 'insufficient-responses').length,
    noVariation: result.items.filter((i) => i.status === 'no-variation').length,
    converged: result.converged,
    cycles: result.cycles,
    misfitting: calibrated.filter((c) => c.fit.p < 0.01).length,
    ms: Date.now() - started,
  };
}

/**
 * Item eligibility for adaptive sections over the area's calibrated items (Sympson-Hetter by
 * simulation, `exposureEligibility`), with the default stopping rule. Only for an area with at
 * least `maxItems / maxExposure` calibrated versions: a smaller pool cannot keep every item
 * under the cap (each candidate sees up to maxItems of it), and its items stay at 1.
 */
function itemEligibility(
  calibrated: readonly CalibratedItem[],
  settings: ReturnType<typeof calibrationSettings>,
  seed: string,
): Map<string, number> {
  const out = new Map<string, number>();
  if (calibrated.length < ADAPTIVE_DEFAULTS.maxItems / settings.maxExposure) return out;
  const pool: PoolItem[] = calibrated.map((c) => ({
    key: c.item,
    type: c.model,
    tags: [],
    model: { a: c.a, steps: c.steps, categories: c.categories },
  }));
  const { pool: withE } = exposureEligibility(
    pool,
    { ...ADAPTIVE_DEFAULTS, balance: false },
    {
      maxExposure: settings.maxExposure,
      simulees: settings.eligibilitySimulees,
      rounds: 3,
      seed,
      simulate: (item, theta, random) => simulateScore(item.model, theta, random),
    },
  );
  for (const it of withE)
    if (it.eligibility !== undefined && it.eligibility < 1)
      out.set(it.key, Math.round(it.eligibility * 1000) / 1000);
  return out;
}
