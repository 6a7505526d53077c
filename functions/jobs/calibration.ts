/**
 * The calibration job: every minute, runs the calibration requests authors queued
 * (`POST /v1/calibrations`) and recalibrates each registered owner whose last run is older than
 * `CALIBRATION_EVERY_HOURS` (the shared public bank from every organisation's anonymous
 * response records, an organisation's own questions from its own). Scheduled by EventBridge in
 * AWS (one execution at a time) and on an interval by the local runner. A run that needs longer
 * than one invocation stops between areas and is continued by the next tick.
 */
import type { Context } from 'aws-lambda';
import { clock } from '../domain/clock.ts';
import { logger } from '../http/logger.ts';
import { runDueCalibrations } from '../services/calibration.ts';

/** Time kept back from the invocation's timeout to record an unfinished run. */
const MARGIN_MS = 10_000;
/** Without a Lambda context (the local runner): how long one tick may calibrate. */
const LOCAL_BUDGET_MS = 50_000;

export const handler = async (
  _event?: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => {
  const remaining = context?.getRemainingTimeInMillis?.() ?? LOCAL_BUDGET_MS + MARGIN_MS;
  const result = await runDueCalibrations(clock.now(), Date.now() + remaining - MARGIN_MS);
  const runs = [...result.ran, ...result.continued];
  if (runs.length) (await logger()).info('Calibration job', result);
  // Counts first: the local runner prints a tick's result only when something happened.
  return {
    finished: result.ran.length,
    continued: result.continued.length,
    ...(runs.length ? { runs } : {}),
  };
};
