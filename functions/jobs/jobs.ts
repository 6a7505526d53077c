/**
 * The non-HTTP functions, declared once: the CDK stack wires their triggers (an EventBridge
 * schedule, or the table's stream) and the local runner drives the same handlers (an interval,
 * or the local stream poller).
 */
export type JobTrigger =
  /** Every this many seconds (an EventBridge `rate(...)` schedule in AWS). */
  | { kind: 'schedule'; everySeconds: number }
  /** The table's DynamoDB stream (an event source mapping in AWS, with partial-batch failures). */
  | { kind: 'table-stream'; batchSize: number }
  /**
   * SES's events about sent mail (deliveries, bounces, complaints, rejections): in AWS the
   * configuration set's EventBridge destination and a rule on the default bus; locally nothing
   * (maildev reports nothing; tests hand the job SES-shaped events).
   */
  | { kind: 'mail-events' }
  /**
   * Started by another function with an asynchronous invocation (`invokeJob` in
   * functions/data/invoke.ts): in AWS its own function, which those named in `invokedBy` may
   * invoke, with Lambda's retries off and its failed invocations kept by an on-failure
   * destination (a queue); locally a background task in the gateway's process.
   */
  | { kind: 'invoke'; invokedBy: readonly string[] };

export { jobFunctionEnv } from './job-env.ts';

export interface JobDef {
  name: string;
  /** Entry file relative to the repository root; exports `handler`. */
  entry: string;
  description: string;
  trigger: JobTrigger;
  /**
   * A scheduled job's interval on the local runner, when it differs from AWS's, and the
   * environment variable that overrides it there.
   */
  local?: { everySeconds?: number; env?: string };
}

export const JOBS: readonly JobDef[] = [
  {
    name: 'sweeper',
    entry: 'functions/jobs/sweeper.ts',
    description:
      'Finalises attempts whose deadline and grace period have passed (Query on the deadline index).',
    trigger: { kind: 'schedule', everySeconds: 60 },
    local: { env: 'SWEEP_INTERVAL_SECONDS' },
  },
  {
    name: 'statistics',
    entry: 'functions/jobs/stream.ts',
    description:
      "Adds each completed attempt to its assessment norms and to its questions' item statistics.",
    trigger: { kind: 'table-stream', batchSize: 50 },
  },
  {
    name: 'mail',
    entry: 'functions/jobs/mail.ts',
    description:
      "Sends each queued email of the outbox once (invitations, reminders, new links), re-times reminders when an assessment's setting changes, removes a deleted assessment's invitations.",
    trigger: { kind: 'table-stream', batchSize: 25 },
  },
  {
    name: 'reminders',
    entry: 'functions/jobs/reminders.ts',
    description:
      'Queues the one reminder of each pending invitation whose reminder is due (Query on the reminder index).',
    trigger: { kind: 'schedule', everySeconds: 300 },
  },
  {
    name: 'mail-events',
    entry: 'functions/jobs/mail-events.ts',
    description:
      "Records SES's news about each email on its invitation: delivered, bounced, complained, rejected.",
    trigger: { kind: 'mail-events' },
  },
  {
    name: 'calibration',
    entry: 'functions/jobs/calibration.ts',
    description:
      'Runs queued calibration requests and recalibrates item parameters from response records (2PL/GPCM by MML).',
    trigger: { kind: 'schedule', everySeconds: 60 },
    local: { everySeconds: 10, env: 'CALIBRATION_INTERVAL_SECONDS' },
  },
  {
    name: 'import',
    entry: 'functions/jobs/import.ts',
    description:
      'Imports a large question bank (or cleans up after a small one): validates every part, stages the questions and publishes them with one conditional write; see docs/imports.md.',
    trigger: { kind: 'invoke', invokedBy: ['authoring'] },
  },
];
