/**
 * Starting a job declared with an `invoke` trigger (`functions/jobs/jobs.ts`): in AWS an
 * asynchronous Lambda invocation of the job's function, whose name the stack gives in
 * `ASSAY_JOB_<NAME>` (Lambda queues the event; the job's own settings say what a failed run
 * does); locally, with no function name, the same handler runs in this process as a background
 * task, outside the request that started it.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Lambda from '@aws-sdk/client-lambda';
import { outsideRequest } from '../domain/deadline.ts';
import { jobFunctionEnv } from '../jobs/job-env.ts';
import type { JobDef } from '../jobs/jobs.ts';

let lambda: Lambda.LambdaClient | undefined;

/**
 * The Lambda client, loaded on first use: only requests that start a job (an upload going
 * asynchronous, the last part of a part-wise import, a synchronous upload that replaced
 * questions and schedules their clean-up) need it, so the authoring function does not load or
 * even compile it for the others. A runtime `require` that bundlers leave alone: Lambda bundles
 * ship it as a module of its own beside the bundle (`SIDE_MODULES` in infra/aws/bundling.ts).
 * The trade: about 6 ms of CPU off every cold start, about 35 ms on a cold request that starts
 * a job (the side module carries its own copy of the SDK core; bench/README.md, round 3).
 */
function lambdaSdk(): typeof Lambda {
  return createRequire(import.meta.url)('@aws-sdk/client-lambda') as typeof Lambda;
}

/**
 * Start a job with this payload and return once it is queued (AWS) or started (locally). The
 * job's outcome is its own: it records it where its callers look (an import's status).
 */
export async function invokeJob(job: string, payload: unknown): Promise<void> {
  const functionName = process.env[jobFunctionEnv(job)];
  if (functionName) {
    const { InvokeCommand, LambdaClient } = lambdaSdk();
    lambda ??= new LambdaClient({});
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    return;
  }
  // The job table is read only here, where no function name is set (locally): a computed
  // import that bundlers leave out, so Lambda bundles do not carry every job's declaration.
  const { JOBS } = (await import(
    pathToFileURL(resolve(import.meta.dirname, '../jobs/jobs.ts')).href
  )) as { JOBS: readonly JobDef[] };
  const declared = JOBS.find((j) => j.name === job && j.trigger.kind === 'invoke');
  if (!declared) throw new Error(`No job "${job}" with an invoke trigger in JOBS.`);
  const mod = (await import(
    pathToFileURL(resolve(import.meta.dirname, '../..', declared.entry)).href
  )) as { handler: (event: unknown) => Promise<unknown> };
  // Detached: a job's errors are its own (it records them); one that escapes is only logged.
  // Outside the request that started it, as the job's own function is in AWS: the job's calls
  // carry no request deadline (whose abort would fail them), use the 30 s per-attempt timeout
  // of work outside a request rather than a request's 1.5 s (5 s locally), and are not refused
  // by the breaker; the job keeps its own deadline (its handler's 15 minutes).
  outsideRequest(() => {
    void Promise.resolve()
      .then(() => mod.handler(payload))
      .catch((err: unknown) => console.error(`local job ${job} failed:`, err));
  });
}
