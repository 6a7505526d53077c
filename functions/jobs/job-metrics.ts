/**
 * Custom metrics of the jobs, written as CloudWatch embedded metric format (EMF) lines by
 * Powertools Metrics; CloudWatch extracts them from the function's log. The stack alarms on
 * their absence (see infra/aws/monitoring.ts), so the names are declared here once.
 */

/** The CloudWatch namespace of Assay's own metrics; the `service` dimension is the stack name. */
export const METRICS_NAMESPACE = 'Assay';

/** 1 per sweeper run that finished (its Query and every finalisation it attempted). */
export const SWEEPER_RUN_SUCCEEDED = 'SweeperRunSucceeded';
/** Attempts a sweeper run finalised. */
export const SWEEPER_ATTEMPTS_FINALISED = 'SweeperAttemptsFinalised';

/**
 * Records a finished sweeper run. Emits only where the namespace is configured
 * (`POWERTOOLS_METRICS_NAMESPACE`, set by the stack), so the local runner prints nothing.
 */
export async function recordSweeperRun(result: { finalised: number }): Promise<void> {
  if (!process.env.POWERTOOLS_METRICS_NAMESPACE) return;
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  const metrics = new Metrics();
  metrics.addMetric(SWEEPER_RUN_SUCCEEDED, MetricUnit.Count, 1);
  metrics.addMetric(SWEEPER_ATTEMPTS_FINALISED, MetricUnit.Count, result.finalised);
  metrics.publishStoredMetrics();
}
