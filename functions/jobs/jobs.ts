/**
 * The non-HTTP functions, declared once: the CDK stack schedules them with EventBridge and the
 * local runner calls the same handlers on an interval.
 */
export interface JobDef {
  name: string;
  /** Entry file relative to the repository root; exports `handler`. */
  entry: string;
  description: string;
  /** Every this many seconds (an EventBridge `rate(...)` schedule in AWS). */
  everySeconds: number;
}

export const JOBS: readonly JobDef[] = [
  {
    name: 'sweeper',
    entry: 'functions/jobs/sweeper.ts',
    description:
      'Finalises attempts whose deadline and grace period have passed (Query on the deadline index).',
    everySeconds: 60,
  },
];
