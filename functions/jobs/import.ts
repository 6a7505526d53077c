/**
 * The import job: runs a queued bank import (validate every part, stage, commit), or the
 * clean-up a minute after a small import committed in its request. Invoked asynchronously by the
 * authoring function (in AWS its own function, Lambda's retries off, failed invocations kept by
 * an on-failure queue; locally a background task). Every outcome is on the import's record,
 * which is what the client polls: docs/imports.md.
 */
import { logger } from '../http/logger.ts';
import { type ImportTask, JOB_DEADLINE_MS, runImportTask } from '../services/imports.ts';

/** Whether an event is a task this job runs. */
function isTask(event: unknown): event is ImportTask {
  const e = event as Partial<ImportTask> | null;
  return (
    (e?.task === 'run' || e?.task === 'cleanup') &&
    typeof e.org === 'string' &&
    typeof e.importId === 'string'
  );
}

export async function handler(
  event: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
) {
  if (!isTask(event)) {
    (await logger()).error('Import job invoked without a task', {
      event: JSON.stringify(event).slice(0, 500),
    });
    return { done: false };
  }
  // Its own deadline, a little before Lambda's (or, locally, the same 15 minutes): staging stops
  // at the next question, and the import is rolled back and recorded failed.
  const remaining = context?.getRemainingTimeInMillis?.() ?? JOB_DEADLINE_MS;
  const signal = AbortSignal.timeout(Math.max(1000, remaining - 30_000));
  try {
    await runImportTask(event, signal);
    return { done: true };
  } catch (err) {
    (await logger()).error('Import job failed', {
      importId: event.importId,
      task: event.task,
      error: err as Error,
    });
    throw err;
  }
}
