import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JOBS } from '../../functions/jobs/jobs.ts';

/**
 * Run every scheduled job on its interval, as EventBridge does in AWS. `SWEEP_INTERVAL_SECONDS`
 * shortens the interval locally (e.g. to watch a 1-minute assessment finalise promptly).
 */
export async function startJobs(log: (line: string) => void = console.log): Promise<() => void> {
  const timers: NodeJS.Timeout[] = [];
  for (const job of JOBS) {
    const mod = (await import(
      pathToFileURL(resolve(import.meta.dirname, '../..', job.entry)).href
    )) as { handler: () => Promise<unknown> };
    const seconds = Number(process.env.SWEEP_INTERVAL_SECONDS ?? job.everySeconds);
    let running = false;
    const run = async () => {
      if (running) return;
      running = true;
      try {
        const out = await mod.handler();
        if (out && typeof out === 'object' && Object.values(out).some((v) => v))
          log(`job ${job.name}: ${JSON.stringify(out)}`);
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
