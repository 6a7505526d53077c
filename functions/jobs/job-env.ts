/**
 * The environment variable that names an `invoke` job's function in AWS (set by the stack). A
 * module of its own so that `functions/data/invoke.ts` reads it without the job table.
 */
export const jobFunctionEnv = (job: string) => `ASSAY_JOB_${job.toUpperCase().replace(/-/g, '_')}`;
