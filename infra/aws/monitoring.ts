/**
 * Alarms and the dashboard: what a team running Assay is paged for, and where it looks first.
 * Every alarm notifies one SNS topic (in ALARM and back to OK); docs/operations.md says what
 * each one means and what to do, under the anchor named in its description.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Subscription, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  SWEEPER_ATTEMPTS_FINALISED,
  SWEEPER_RUN_SUCCEEDED,
} from '../../functions/jobs/job-metrics.ts';

/** The operations Assay calls (see functions/data/): throttles and system errors are summed over them. */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.GET_RECORDS,
];

/**
 * Thresholds, each with why. The windows are five minutes so that one bad minute on a quiet
 * system does not page anyone, and a real outage does within ten.
 */
export const THRESHOLDS = {
  /** An uncaught error or a timeout is a bug or an outage: every one is worth a look. */
  functionErrors: 1,
  /** A throttle means a request or a job run was refused by Lambda's concurrency limits. */
  functionThrottles: 1,
  /** Percent of requests answered 5xx, over at least `minRequests` requests in the window. */
  api5xxPercent: 1,
  minRequests: 20,
  /** Milliseconds. Warm requests take tens of ms and cold starts well under a second. */
  apiP99LatencyMs: 3000,
  /** Milliseconds a stream record waited: statistics and AttemptCompleted are that late. */
  iteratorAgeMs: 5 * 60_000,
  /** Minutes without a finished sweeper run (it runs every minute). */
  sweeperSilenceMinutes: 10,
  /**
   * Errors the sweeper logged: it finalises each due attempt on its own, so one it cannot
   * finalise is logged (and retried every minute) while the run itself succeeds.
   */
  sweeperLoggedErrors: 1,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

export interface MonitoringProps {
  /** Every function of the stack, by a short name used in alarm names (`candidate`, `sweeper`). */
  functions: ReadonlyMap<string, IFunction>;
  api: HttpApi;
  /** The candidate routes (`METHOD /path`), whose per-route metrics the stage publishes. */
  candidateRoutes: readonly { method: string; path: string }[];
  table: Table;
  /** The stream consumers and the queue each hands the batches it gives up on to. */
  streamJobs: ReadonlyMap<string, { fn: IFunction; failureQueue: Queue }>;
  /**
   * With mail: the queue of SES events the mail-events job could not record (the events rule's
   * dead-letter queue and the job's on-failure destination).
   */
  sesEventFailures?: Queue;
  /** The sweeper, the `service` dimension its success metric is published with, its log. */
  sweeper: { fn: IFunction; service: string; logGroup: ILogGroup };
  /** An address subscribed to the alarm topic, if any. */
  alarmEmail?: string;
}

/** The alarm topic, every alarm and the dashboard. */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.prefix = Stack.of(this).stackName;
    this.topic = this.createTopic(props.alarmEmail);

    for (const [name, fn] of props.functions) {
      this.alarm(`${name}-errors`, 'function-errors', {
        description: `The ${name} function failed (an uncaught error or a timeout).`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: THRESHOLDS.functionErrors,
      });
      this.alarm(`${name}-throttles`, 'function-throttles', {
        description: `Lambda refused to run the ${name} function (concurrency limit).`,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: THRESHOLDS.functionThrottles,
      });
    }

    const requests = props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const api5xxRate = new MathExpression({
      label: 'HTTP API 5xx (% of requests)',
      // A quiet window (a handful of requests) cannot page anyone for a single 503.
      expression: `IF(requests >= ${THRESHOLDS.minRequests}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: FIVE_MINUTES,
    });
    this.alarm('api-5xx-rate', 'api-5xx-rate', {
      description: `More than ${THRESHOLDS.api5xxPercent}% of API requests were answered 5xx.`,
      metric: api5xxRate,
      threshold: THRESHOLDS.api5xxPercent,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });
    const p99 = props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' });
    this.alarm('api-p99-latency', 'api-p99-latency', {
      description: `The API's p99 latency exceeded ${THRESHOLDS.apiP99LatencyMs} ms for 15 minutes.`,
      metric: p99,
      threshold: THRESHOLDS.apiP99LatencyMs,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });

    for (const [name, { fn, failureQueue }] of props.streamJobs) {
      this.alarm(`${name}-iterator-age`, 'stream-iterator-age', {
        description: `The ${name} job is more than ${THRESHOLDS.iteratorAgeMs / 60_000} minutes behind the table's stream.`,
        metric: fn.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: THRESHOLDS.iteratorAgeMs,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
      this.alarm(`${name}-failure-queue`, 'stream-failure-queue', {
        description: `The ${name} job gave up on stream records: their batch is in its failure queue.`,
        metric: failureQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
      });
    }

    if (props.sesEventFailures)
      this.alarm('mail-events-failure-queue', 'ses-events-failure-queue', {
        description:
          'An SES event (a delivery, bounce or complaint) was not recorded on its invitation: it waits in the SES events failure queue.',
        metric: props.sesEventFailures.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
      });

    const throttled = props.table.metricThrottledRequestsForOperations({
      operations: TABLE_OPERATIONS,
      period: FIVE_MINUTES,
    });
    this.alarm('table-throttles', 'table-throttles', {
      description: 'DynamoDB throttled requests to the table or an index.',
      metric: throttled,
      threshold: 1,
    });
    const systemErrors = props.table.metricSystemErrorsForOperations({
      operations: TABLE_OPERATIONS,
      period: FIVE_MINUTES,
    });
    this.alarm('table-system-errors', 'table-system-errors', {
      description: 'DynamoDB answered requests with internal server errors (HTTP 500).',
      metric: systemErrors,
      threshold: 1,
    });

    const sweeperRuns = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: SWEEPER_RUN_SUCCEEDED,
      dimensionsMap: { service: props.sweeper.service },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
    this.alarm('sweeper-last-success', 'sweeper-last-success', {
      description: `No sweeper run has finished for ${THRESHOLDS.sweeperSilenceMinutes} minutes: attempts past their deadline stay open.`,
      metric: sweeperRuns,
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: THRESHOLDS.sweeperSilenceMinutes / 5,
      // No data is exactly the failure this alarm exists for.
      missing: TreatMissingData.BREACHING,
    });

    // Per-attempt failures are logged at ERROR (Powertools JSON lines), not thrown.
    const sweeperErrors = new MetricFilter(this, 'SweeperLoggedErrors', {
      logGroup: props.sweeper.logGroup,
      filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
      metricNamespace: `${METRICS_NAMESPACE}/${this.prefix}`,
      metricName: 'SweeperLoggedErrors',
      metricValue: '1',
    }).metric({ statistic: 'Sum', period: FIVE_MINUTES });
    this.alarm('sweeper-logged-errors', 'sweeper-logged-errors', {
      description: 'The sweeper could not finalise a due attempt (it tries again every minute).',
      metric: sweeperErrors,
      threshold: THRESHOLDS.sweeperLoggedErrors,
    });

    this.dashboard = this.createDashboard(props, {
      requests,
      serverErrors,
      api5xxRate,
      p99,
      throttled,
      systemErrors,
      sweeperRuns,
    });
  }

  /** An encrypted, TLS-only topic; CloudWatch may use its key, and an optional email subscriber. */
  private createTopic(alarmEmail: string | undefined): Topic {
    // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key: it needs a
    // customer managed key whose policy lets it encrypt.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `${this.prefix}: encrypts alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `${this.prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (alarmEmail) {
      topic.addSubscription(new EmailSubscription(alarmEmail));
      for (const subscription of topic.node.children.filter((c) => c instanceof Subscription)) {
        Validations.of(subscription).acknowledge({
          id: 'Serverless-SNSRedrivePolicy',
          reason:
            'An alarm notification that cannot be mailed loses nothing: CloudWatch keeps the alarm in ALARM (visible on the dashboard and in its history) until it recovers.',
        });
      }
    }
    return topic;
  }

  private alarm(
    name: string,
    anchor: string,
    opts: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparison?: ComparisonOperator;
      evaluationPeriods?: number;
      missing?: TreatMissingData;
    },
  ): Alarm {
    const evaluationPeriods = opts.evaluationPeriods ?? 1;
    const alarm = new Alarm(this, `Alarm-${name}`, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: `${opts.description} What to do: docs/operations.md#${anchor}`,
      metric: opts.metric,
      threshold: opts.threshold,
      comparisonOperator: opts.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      treatMissingData: opts.missing ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private createDashboard(
    props: MonitoringProps,
    m: {
      requests: IMetric;
      serverErrors: IMetric;
      api5xxRate: IMetric;
      p99: IMetric;
      throttled: IMetric;
      systemErrors: IMetric;
      sweeperRuns: IMetric;
    },
  ): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.prefix}-operations`,
      defaultInterval: Duration.hours(3),
    });

    // Per-route metrics: the stage publishes them for the candidate routes (see the stack).
    const route = (r: { method: string; path: string }, metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: {
          ApiId: props.api.apiId,
          Stage: '$default',
          Method: r.method,
          Resource: r.path,
        },
        statistic,
        period: Duration.minutes(1),
        label: `${r.method} ${r.path}`,
      });
    const candidateLatency = props.candidateRoutes.map((r) => route(r, 'Latency', 'p99'));
    const candidateErrorRate = props.candidateRoutes.map(
      (r, i) =>
        new MathExpression({
          label: `${r.method} ${r.path}`,
          expression: `100 * FILL(e${i}, 0) / c${i}`,
          usingMetrics: {
            [`e${i}`]: route(r, '5xx', 'Sum'),
            [`c${i}`]: route(r, 'Count', 'Sum'),
          },
          period: Duration.minutes(1),
        }),
    );

    const fns = [...props.functions];
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${this.prefix}\nAlarms notify the SNS topic; what each means and what to do: docs/operations.md.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Candidate path: p99 latency per route (ms)',
        left: candidateLatency,
        width: 12,
      }),
      new GraphWidget({
        title: 'Candidate path: 5xx per route (% of requests)',
        left: candidateErrorRate,
        leftYAxis: { min: 0 },
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API: requests and 5xx',
        left: [m.requests],
        right: [m.serverErrors],
        width: 8,
      }),
      new GraphWidget({ title: 'API: 5xx rate (%)', left: [m.api5xxRate], width: 8 }),
      new GraphWidget({ title: 'API: p99 latency (ms)', left: [m.p99], width: 8 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Functions: errors',
        left: fns.map(([n, fn]) => fn.metricErrors({ label: n, period: FIVE_MINUTES })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Functions: throttles',
        left: fns.map(([n, fn]) => fn.metricThrottles({ label: n, period: FIVE_MINUTES })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Functions: p99 duration (ms)',
        left: fns.map(([n, fn]) =>
          fn.metricDuration({ label: n, period: FIVE_MINUTES, statistic: 'p99' }),
        ),
        width: 8,
      }),
    );
    const streams = [...props.streamJobs];
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Stream: iterator age (ms)',
        left: streams.map(([n, { fn }]) =>
          fn.metric('IteratorAge', { label: n, statistic: 'Maximum', period: FIVE_MINUTES }),
        ),
        width: 6,
      }),
      new GraphWidget({
        title: 'Failure queue depth (stream batches, SES events)',
        left: [
          ...streams.map(([n, { failureQueue }]) => [n, failureQueue] as const),
          ...(props.sesEventFailures ? [['ses-events', props.sesEventFailures] as const] : []),
        ].map(([label, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            label,
            statistic: 'Maximum',
            period: FIVE_MINUTES,
          }),
        ),
        width: 6,
      }),
      // Separate graphs: both sum the same per-operation metrics under the same ids.
      new GraphWidget({ title: 'DynamoDB: throttled requests', left: [m.throttled], width: 6 }),
      new GraphWidget({ title: 'DynamoDB: system errors', left: [m.systemErrors], width: 6 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Sweeper: finished runs and attempts finalised',
        left: [m.sweeperRuns],
        right: [
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: SWEEPER_ATTEMPTS_FINALISED,
            dimensionsMap: { service: props.sweeper.service },
            statistic: 'Sum',
            period: FIVE_MINUTES,
          }),
        ],
        width: 8,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16, height: 8 }),
    );
    return dashboard;
  }
}
