import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { JOBS } from '../../functions/jobs/jobs.ts';

/** How often the local runner reads the table's stream (Lambda polls about once a second). */
const STREAM_POLL_MS = 1000;

/**
 * Drive every job as AWS would: scheduled ones on their interval (a job's `local` interval,
 * or its environment variable: `SWEEP_INTERVAL_SECONDS`, `CALIBRATION_INTERVAL_SECONDS`),
 * stream consumers from the local stream poller. SES's mail events have no local source.
 */
export async function startJobs(log: (line: string) => void = console.log): Promise<() => void> {
  const timers: NodeJS.Timeout[] = [];
  for (const job of JOBS) {
    // Nothing locally reports on mail (maildev accepts everything): no source for these events.
    if (job.trigger.kind === 'mail-events') continue;
    // Started by invokeJob (functions/data/invoke.ts), which runs them in this process.
    if (job.trigger.kind === 'invoke') continue;
    const mod = (await import(
      pathToFileURL(resolve(import.meta.dirname, '../..', job.entry)).href
    )) as {
      handler: (event?: DynamoDBStreamEvent) => Promise<unknown>;
    };
    const poller =
      job.trigger.kind === 'table-stream' ? createStreamPoller((e) => mod.handler(e)) : undefined;
    const envInterval = job.local?.env ? process.env[job.local.env] : undefined;
    const seconds =
      job.trigger.kind === 'schedule'
        ? Number(envInterval ?? job.local?.everySeconds ?? job.trigger.everySeconds)
        : STREAM_POLL_MS / 1000;
    let running = false;
    const run = async () => {
      if (running) return;
      running = true;
      try {
        if (poller) await poller.drain();
        else {
          const out = await mod.handler();
          if (out && typeof out === 'object' && Object.values(out).some((v) => v))
            log(`job ${job.name}: ${JSON.stringify(out)}`);
        }
      } catch (err) {
        log(`job ${job.name} failed: ${(err as Error).message}`);
      } finally {
        running = false;
      }
    };
    timers.push(setInterval(run, seconds * 1000));
  }
  return () => timers.forEach(clearInterval);
}
