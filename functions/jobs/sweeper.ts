/**
 * The deadline sweeper: finalises every active attempt whose grace period has ended, with the
 * answers saved so far and the deadline as its finish time. Runs every minute (EventBridge
 * schedule in AWS; an interval in the local gateway). Idempotent: a second run finds nothing,
 * and finalising is a conditional write that only one caller wins.
 */
import { dueAttempts } from '../data/attempts.ts';
import { clock } from '../domain/clock.ts';
import { logger } from '../http/logger.ts';
import { finishDue } from '../services/attempts.ts';
import { recordSweeperRun } from './job-metrics.ts';

/** Hours of deadline buckets each run looks back over (attempts due earlier were swept then). */
export const LOOKBACK_HOURS = 6;

export async function sweep(now = clock.now()): Promise<{ finalised: number }> {
  let finalised = 0;
  for (const entry of await dueAttempts(now, LOOKBACK_HOURS)) {
    // One attempt that cannot be finalised must not hold up the others behind it.
    try {
      if (await finishDue(entry, now)) finalised++;
    } catch (err) {
      (await logger()).error('Could not finalise a due attempt', {
        attemptId: entry.attemptId,
        error: err as Error,
      });
    }
  }
  if (finalised) (await logger()).info('Sweeper finalised attempts', { finalised });
  return { finalised };
}

export const handler = async () => {
  const result = await sweep();
  // The stack alarms when this stops arriving: a run that throws, hangs or never starts.
  await recordSweeperRun(result);
  return result;
};
