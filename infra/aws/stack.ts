import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Aws,
  CfnOutput,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  FilterCriteria,
  FilterRule,
  Runtime,
  StartingPosition,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/data/table.ts';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '../../functions/http/cors.ts';
import { type FunctionGroup, isStaff, routeKey } from '../../functions/http/route-types.ts';
import { handlerEntry, ROUTES } from '../../functions/http/routes.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../../functions/http/timeouts.ts';
import { METRICS_NAMESPACE } from '../../functions/jobs/job-metrics.ts';
import { JOBS, type JobDef, type JobTrigger, jobFunctionEnv } from '../../functions/jobs/jobs.ts';
import { lambdaBundling } from './bundling.ts';
import { Edge } from './edge.ts';
import { Mail } from './mail.ts';
import { Monitoring } from './monitoring.ts';
import {
  checkWebDist,
  type DeploymentOptions,
  deploymentOptionsFrom,
  webDistFrom,
} from './options.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Logs hold request metadata (IPs, ids); a month is enough to investigate and no longer. */
const LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * Stage-wide limits. A cohort of 500 candidates each saving an answer every 30 s or so makes
 * about 20 requests/s; the limits cap the bill and the table's load under abuse.
 */
const THROTTLE = { rateLimit: 200, burstLimit: 400 };

/**
 * Memory and timeout per function. Bank uploads parse and write up to 6 MB documents. The
 * timeouts are declared with the handlers (`FUNCTION_TIMEOUT_SECONDS`), which answer 503 just
 * before them; the local gateway enforces the same ones.
 */
const SIZING: Record<FunctionGroup, { memorySize: number; timeout: Duration }> = {
  public: { memorySize: 1024, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.public) },
  authoring: { memorySize: 1536, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.authoring) },
  employer: { memorySize: 1024, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.employer) },
  'employer-attempts': {
    memorySize: 1024,
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['employer-attempts']),
  },
  candidate: { memorySize: 1024, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.candidate) },
};

/** Which table actions a function's role gets; see READ_ACTIONS and WRITE_ACTIONS below. */
type TableAccess = 'read' | 'read-write' | 'stream-writer';

/**
 * Memory, timeout, table access and publishing per job (`JOBS`), by name; `concurrency` reserves
 * (and caps) its concurrent executions, `metrics` lets it publish Assay's custom metrics.
 *
 * - sweeper: Queries the deadline index, reads attempts and versions, finalises each due attempt
 *   with a transaction; its timeout stays under its one-minute schedule, and one execution at a
 *   time (with no Lambda retries, see scheduleJob) means runs never overlap.
 * - statistics: reads nothing (the completed attempt is in the stream record's new image),
 *   writes marker, norms and item-statistics items with TransactWriteItems (Put and Update),
 *   and publishes AttemptCompleted for each completion. A batch is at most `batchSize` transactions of up to 100 items.
 * - calibration: CPU-bound numerics (EM calibration of each area), so 1,769 MB (one full vCPU);
 *   reads response records and writes parameters; one execution at a time, and a run longer
 *   than one invocation stops between areas and continues on the next tick.
 */
const JOB_SETTINGS: Readonly<
  Record<
    string,
    {
      memorySize: number;
      timeout: Duration;
      table: TableAccess;
      publishes: boolean;
      concurrency?: number;
      metrics?: boolean;
    }
  >
> = {
  sweeper: {
    memorySize: 512,
    timeout: Duration.seconds(50),
    table: 'read-write',
    publishes: false,
    concurrency: 1,
    metrics: true,
  },
  statistics: {
    memorySize: 512,
    timeout: Duration.seconds(60),
    table: 'stream-writer',
    publishes: true,
  },
  // The outbox: reads invitations, assessments and profiles, updates invitations, deletes a
  // deleted assessment's invitations; sends through SES (granted by infra/aws/mail.ts).
  mail: { memorySize: 512, timeout: Duration.seconds(120), table: 'read-write', publishes: false },
  // Queries the reminder index, reads invitations and assessments, updates invitations; one run
  // at a time, as the sweeper (queuing a reminder is a conditional write all the same).
  reminders: {
    memorySize: 512,
    timeout: Duration.seconds(120),
    table: 'read-write',
    publishes: false,
    concurrency: 1,
  },
  calibration: {
    memorySize: 1769,
    timeout: Duration.seconds(60),
    table: 'read-write',
    publishes: false,
    concurrency: 1,
  },
  // One conditional UpdateItem per SES event.
  'mail-events': {
    memorySize: 256,
    timeout: Duration.seconds(30),
    table: 'read-write',
    publishes: false,
  },
  // A large bank import (docs/imports.md): parses up to 32 MiB of text per part, stages up to
  // 100,000 questions and commits; Lambda's longest timeout, the job's own deadline 30 s before.
  import: {
    memorySize: 2048,
    timeout: Duration.minutes(15),
    table: 'read-write',
    publishes: false,
  },
};

/**
 * How the table's stream drives a `table-stream` job. A failing record is retried (the batch is
 * split to isolate it, and the handler reports exactly the records that failed), at most
 * `retryAttempts` times and for at most `maxRecordAge`; then the batch's shard and sequence
 * numbers go to the job's failure queue. The stream keeps records 24 h, so `maxRecordAge`
 * leaves half of that to read a failed record back from the stream.
 */
const STREAM_DELIVERY = {
  retryAttempts: 10,
  maxRecordAge: Duration.hours(12),
  /** SQS's longest: the queue is read by an operator, not by a consumer. */
  failureRetention: Duration.days(14),
};

/**
 * The stream records a `table-stream` job is invoked for, exactly what `completedAttemptOf`
 * (functions/data/stream-records.ts) acts on: an attempt's result item written (INSERT of
 * `ATT#...` / `RESULT`), or an attempt stored in the old layout modified from `active` to
 * `submitted` or `expired` (a completion recorded by the previous code just before a deploy).
 * Lambda drops every other record before invoking the function (the marker items the job writes
 * are `STATS` inserts, so the job never sees its own writes). The infra tests evaluate these
 * patterns against `completedAttemptOf`.
 */
export const COMPLETED_ATTEMPT_FILTERS = [
  {
    eventName: FilterRule.isEqual('INSERT'),
    dynamodb: {
      Keys: { PK: { S: FilterRule.beginsWith('ATT#') }, SK: { S: FilterRule.isEqual('RESULT') } },
    },
  },
  {
    eventName: FilterRule.isEqual('MODIFY'),
    dynamodb: {
      Keys: { PK: { S: FilterRule.beginsWith('ATT#') } },
      OldImage: { status: { S: FilterRule.isEqual('active') } },
      NewImage: { status: { S: FilterRule.or('submitted', 'expired') } },
    },
  },
];

/**
 * The stream records the mail job is invoked for: an invitation whose new image has a queued
 * message (`queuedMailOf` in functions/data/outbox.ts), and an assessment changed or deleted
 * (`assessmentChangeOf`: its reminder setting, its archive, its removal).
 */
export const MAIL_STREAM_FILTERS = [
  {
    eventName: FilterRule.or('INSERT', 'MODIFY'),
    dynamodb: {
      Keys: { PK: { S: FilterRule.beginsWith('INV#') } },
      NewImage: { mailState: { S: FilterRule.isEqual('queued') } },
    },
  },
  {
    eventName: FilterRule.or('MODIFY', 'REMOVE'),
    dynamodb: { Keys: { SK: { S: FilterRule.isEqual('ASSESSMENT') } } },
  },
];

/** Each `table-stream` job's filters (Lambda drops every other record before invoking it). */
export const STREAM_FILTERS: Readonly<Record<string, readonly object[]>> = {
  statistics: COMPLETED_ATTEMPT_FILTERS,
  mail: MAIL_STREAM_FILTERS,
};

/**
 * The HTTP groups that publish to the event bus: none. AttemptCompleted is published by the
 * stream consumer from the committed change (an outbox), whoever finalised the attempt; the
 * jobs that publish say so in JOB_SETTINGS. The bundling tests check this against what each
 * bundle reads.
 */
const PUBLISHING_GROUPS: ReadonlySet<FunctionGroup> = new Set();

/** Reading only; `Scan` is absent on purpose: no request path may scan the table. */
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
/**
 * The stream consumer's transactions: Put (markers) and Update (norms, item statistics). IAM
 * authorises TransactWriteItems per contained action; it needs no read and no delete.
 */
const STREAM_WRITER_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** The groups that only read: everything they serve is public. */
const READ_ONLY_GROUPS: ReadonlySet<FunctionGroup> = new Set(['public']);

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * Browser origins allowed by CORS, from the `corsOrigins` context: a list, or a
 * comma-separated string (`cdk synth -c corsOrigins=https://a.example,https://b.example`).
 */
export function corsOriginsFrom(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  const origins = list.map((o) => String(o).trim()).filter(Boolean);
  const bad = origins.filter((o) => o !== '*' && !ORIGIN.test(o));
  if (bad.length > 0) {
    throw new Error(
      `corsOrigins: ${bad.join(', ')} is not an origin (scheme://host[:port], no path or trailing slash).`,
    );
  }
  return origins;
}

type JobSettings = (typeof JOB_SETTINGS)[string];

/** A job's entry file and settings; throws on a declaration the stack cannot wire. */
function checkJob(job: JobDef): { entry: string; settings: JobSettings } {
  const entry = resolve(REPO_ROOT, job.entry);
  if (!existsSync(entry)) {
    throw new Error(
      `JOBS declares job "${job.name}" with entry ${job.entry}, which does not exist.`,
    );
  }
  const settings = JOB_SETTINGS[job.name];
  if (!settings) {
    throw new Error(
      `Job "${job.name}" has no memory, timeout and table access: add it to JOB_SETTINGS in infra/aws/stack.ts.`,
    );
  }
  const trigger: JobTrigger = job.trigger;
  switch (trigger.kind) {
    case 'schedule': {
      const { everySeconds } = trigger;
      // EventBridge rates are whole minutes, one at least.
      if (!Number.isInteger(everySeconds / 60) || everySeconds < 60) {
        throw new Error(
          `Job "${job.name}": everySeconds ${everySeconds} is not a whole number of minutes (at least 60); EventBridge cannot schedule it.`,
        );
      }
      if (settings.timeout.toSeconds() > everySeconds) {
        throw new Error(
          `Job "${job.name}": its timeout exceeds its interval, so runs would overlap.`,
        );
      }
      break;
    }
    case 'table-stream': {
      // Lambda's bounds for a DynamoDB stream batch.
      if (
        !Number.isInteger(trigger.batchSize) ||
        trigger.batchSize < 1 ||
        trigger.batchSize > 10_000
      ) {
        throw new Error(
          `Job "${job.name}": batchSize ${trigger.batchSize} is not a whole number from 1 to 10000.`,
        );
      }
      break;
    }
    case 'mail-events':
      // Wired by infra/aws/mail.ts when the stack sends mail.
      break;
    case 'invoke':
      // Wired in createJobs once the invoking functions exist.
      break;
    default: {
      const unknown: never = trigger;
      throw new Error(`Job "${job.name}": unknown trigger ${JSON.stringify(unknown)}.`);
    }
  }
  return { entry, settings };
}

const pascal = (s: string) =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

export interface AssayStackProps extends StackProps {
  /** Overrides the `corsOrigins` context. */
  corsOrigins?: string[];
  /** The built web apps; overrides the `webDist` context (default `web/dist`). */
  webDist?: string;
  /** Override the context options (`alarmEmail`, `webAclArn`, `domainName`...). */
  options?: DeploymentOptions;
}

/**
 * Assay on AWS: one table, a Cognito user pool for staff, an HTTP API whose routes, authorizer
 * attachments and Lambda functions are all derived from the route table (`ROUTES`).
 */
export class AssayStack extends Stack {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The Cognito hosted UI's domain, where the console signs staff in. */
  readonly userPoolDomain: UserPoolDomain;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<FunctionGroup, NodejsFunction>;
  /** The job functions (scheduled or stream consumers), by job name (`JOBS`). */
  readonly jobs: ReadonlyMap<string, NodejsFunction>;
  /** Where each `table-stream` job's failed batches are kept, by job name. */
  readonly jobFailureQueues: ReadonlyMap<string, Queue>;
  /** Where AttemptCompleted and future integration events are published. */
  readonly eventBus: EventBus;
  readonly monitoring: Monitoring;
  readonly edge: Edge;
  /** SES, the mail-token key and the events rule; absent when the stack sends no mail. */
  readonly mail?: Mail;

  constructor(scope: Construct, id: string, props: AssayStackProps = {}) {
    super(scope, id, props);
    const context = (key: string) => this.node.tryGetContext(key);
    // Checked first: a missing build or a bad option fails synthesis before any bundling.
    const webDist = props.webDist ?? webDistFrom(context);
    if (props.webDist) checkWebDist(props.webDist);
    const options = props.options ?? deploymentOptionsFrom(context);
    const corsOrigins = props.corsOrigins ?? corsOriginsFrom(context('corsOrigins'));

    this.table = this.createTable();
    const { userPool, client, domain } = this.createUserPool(options);
    this.userPool = userPool;
    this.userPoolClient = client;
    this.userPoolDomain = domain;

    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: this.stackName,
      description: 'Assay integration events (AttemptCompleted).',
    });

    this.functions = this.createFunctions(corsOrigins);
    const { jobs, failureQueues } = this.createJobs();
    this.jobs = jobs;
    this.jobFailureQueues = failureQueues;
    const { api, stage } = this.createApi(corsOrigins, options);
    this.api = api;
    this.stage = stage;

    this.edge = new Edge(this, 'Edge', {
      api,
      stage,
      webDist,
      ...(options.webAclArn ? { webAclArn: options.webAclArn } : {}),
      ...(options.domain ? { domain: options.domain } : {}),
      logRetention: LOG_RETENTION,
      consoleSignIn: { cognitoDomain: domain.baseUrl(), clientId: client.userPoolClientId },
    });

    if (options.mail) {
      this.mail = new Mail(this, 'Mail', {
        options: options.mail,
        siteUrl: this.edge.siteUrl,
        employer: this.functions.get('employer')!,
        mailJob: jobs.get('mail')!,
        eventsJob: jobs.get('mail-events')!,
      });
    }

    const sweeper = jobs.get('sweeper');
    if (!sweeper) throw new Error('The alarms expect a job named "sweeper" in JOBS.');
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: new Map([...this.functions, ...jobs]),
      api,
      candidateRoutes: ROUTES.filter((r) => r.group === 'candidate'),
      table: this.table,
      // Stream consumers only: an invoked job has no iterator age, and its failed runs raise
      // its errors alarm.
      streamJobs: new Map(
        [...failureQueues]
          .filter(([name]) => JOBS.find((j) => j.name === name)?.trigger.kind === 'table-stream')
          .map(([name, failureQueue]) => [name, { fn: jobs.get(name)!, failureQueue }]),
      ),
      sweeper: { fn: sweeper, service: this.stackName, logGroup: sweeper.logGroup },
      ...(this.mail ? { sesEventFailures: this.mail.eventFailures } : {}),
      ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    });

    new CfnOutput(this, 'SiteUrl', {
      value: this.edge.siteUrl,
      description: 'The site: candidate links are <SiteUrl>/take#<token>.',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.edge.distribution.distributionDomainName,
      description: 'Point your domain here (CNAME, or a Route 53 alias) when domainName is set.',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: `${this.edge.siteUrl}/v1`,
      description: 'Base URL of the API, through CloudFront (and the web ACL, if any).',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm notifies this SNS topic; subscribe your pager to it.',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: client.userPoolClientId,
      description: 'App client whose ID tokens staff send as Bearer tokens.',
    });
    new CfnOutput(this, 'JwtIssuer', { value: userPool.userPoolProviderUrl });
    new CfnOutput(this, 'ConsoleUrl', {
      value: this.edge.consoleUrl,
      description: 'The console: staff sign in through the Cognito hosted UI.',
    });
    new CfnOutput(this, 'HostedUiDomain', {
      value: domain.baseUrl(),
      description: 'The Cognito hosted UI where the console signs staff in.',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', {
      value: this.eventBus.eventBusName,
      description: 'EventBridge bus receiving AttemptCompleted (source "assay").',
    });
    for (const [name, queue] of failureQueues) {
      const stream = JOBS.find((j) => j.name === name)?.trigger.kind === 'table-stream';
      new CfnOutput(this, `${pascal(name)}JobFailureQueueUrl`, {
        value: queue.queueUrl,
        description: stream
          ? `Stream batches the ${name} job gave up on (shard and sequence numbers).`
          : `Runs of the ${name} job that failed or timed out (the invocation's request and error).`,
      });
    }
  }

  private createTable(): Table {
    const str = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, 'Table', {
      partitionKey: str(TABLE_SCHEMA.partitionKey),
      sortKey: str(TABLE_SCHEMA.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      deletionProtection: true,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_SCHEMA.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: str(index.partitionKey),
        sortKey: str(index.sortKey),
        projectionType: ProjectionType[index.projection],
      });
    }
    return table;
  }

  private createUserPool(options: DeploymentOptions): {
    userPool: UserPool;
    client: UserPoolClient;
    domain: UserPoolDomain;
  } {
    const userPool = new UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by an administrator, who also sets `custom:org`.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // Mutable so an administrator can correct or move an account; users cannot write it
        // (see the client's writeAttributes). Bounds match principal.ts's ORG_PATTERN.
        org: new StringAttribute({ minLen: 2, maxLen: 63, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Staff accounts see candidates' personal data: block compromised credentials and
      // challenge risky sign-ins with MFA (threat protection needs the Plus plan).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) by product decision; threat protection runs in full-function mode and demands MFA on medium/high-risk sign-ins, and compromised passwords are blocked.',
    });

    userPool.addGroup('AuthorsGroup', {
      groupName: 'authors',
      description: 'Content authors: upload and edit question banks.',
    });
    userPool.addGroup('EmployersGroup', {
      groupName: 'employers',
      description: 'Employers: build assessments, invite candidates, read results.',
    });

    // The hosted UI, for the console's sign-in. A Cognito domain prefix is unique in its region
    // across all accounts: by default the stack's name and the account, else -c authDomainPrefix.
    const domain = userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix:
          options.authDomainPrefix ??
          Fn.join('-', [this.stackName.toLowerCase().replace(/[^a-z0-9-]/g, ''), Aws.ACCOUNT_ID]),
      },
    });
    // The console's page, registered as where the hosted UI may send the browser back (the
    // distribution's name is known only once the edge exists, hence lazy).
    const consolePage = Lazy.string({ produce: () => `${this.edge.consoleUrl}/` });

    const client = userPool.addClient('AppClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // The console: authorization code with PKCE (a public client: no secret), the ID token
      // it sends as a bearer, no implicit flow (tokens never in a URL).
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [consolePage],
        logoutUrls: [consolePage],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('org'),
      // Never `custom:org`: a user who could write it could read another organisation's data.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    return { userPool, client, domain };
  }

  /** Table, indexes; never `Scan` (see READ_ACTIONS). */
  private tableResources(): string[] {
    return [
      this.table.tableArn,
      ...TABLE_SCHEMA.indexes.map((i) => `${this.table.tableArn}/index/${i.name}`),
    ];
  }

  /** The table policy statement for an access level; writes go to the table, never an index. */
  private tableStatement(access: TableAccess): PolicyStatement {
    switch (access) {
      case 'read':
        return new PolicyStatement({ actions: READ_ACTIONS, resources: this.tableResources() });
      case 'read-write':
        return new PolicyStatement({
          actions: [...READ_ACTIONS, ...WRITE_ACTIONS],
          resources: this.tableResources(),
        });
      case 'stream-writer':
        return new PolicyStatement({
          actions: STREAM_WRITER_ACTIONS,
          resources: [this.table.tableArn],
        });
    }
  }

  /**
   * A function as every function here is built: its own log group with retention, its own role
   * that may write only there, nodejs24.x on arm64 with active tracing, the shared bundling.
   * `publishes` adds EVENT_BUS_NAME and events:PutEvents on the bus.
   */
  private createFunction(
    id: string,
    props: {
      description: string;
      roleDescription: string;
      entry: string;
      sizing: { memorySize: number; timeout: Duration };
      environment: Record<string, string>;
      table: TableAccess;
      publishes: boolean;
      reservedConcurrentExecutions?: number;
    },
  ): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: LOG_RETENTION });
    // An explicit role instead of AWSLambdaBasicExecutionRole: write to this log group only.
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(this, id, {
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      ...props.sizing,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        TABLE_NAME: this.table.tableName,
        ...props.environment,
        ...(props.publishes ? { EVENT_BUS_NAME: this.eventBus.eventBusName } : {}),
        // No --enable-source-maps: it costs 40-100 ms per cold start. The bundle's source map
        // ships beside it in the asset; `npm run stack-trace` maps a logged trace offline.
      },
      bundling: lambdaBundling(),
    });
    role.addToPrincipalPolicy(this.tableStatement(props.table));
    // events:PutEvents on this bus only.
    if (props.publishes) this.eventBus.grantPutEventsTo(role);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        props.table === 'stream-writer'
          ? 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords, and the stream event source: dynamodb:ListStreams, support no resource-level permissions, so AWS requires Resource "*"; the stream reads themselves are on the table\'s stream ARN.'
          : 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
    });
    return fn;
  }

  private createFunctions(corsOrigins: string[]): Map<FunctionGroup, NodejsFunction> {
    const groups = [...new Set(ROUTES.map((r) => r.group))];
    const functions = new Map<FunctionGroup, NodejsFunction>();

    for (const group of groups) {
      const entry = resolve(REPO_ROOT, handlerEntry(group));
      if (!existsSync(entry)) {
        const ops = ROUTES.filter((r) => r.group === group).map((r) => r.operationId);
        throw new Error(
          `ROUTES assigns ${ops.join(', ')} to function group "${group}", but ${handlerEntry(group)} does not exist.`,
        );
      }
      const fn = this.createFunction(`${pascal(group)}Function`, {
        description: `Assay ${group} routes`,
        roleDescription: `Assay ${group} function`,
        entry,
        sizing: SIZING[group],
        environment: {
          JWT_ISSUER: this.userPool.userPoolProviderUrl,
          JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
          CORS_ORIGINS: corsOrigins.join(','),
        },
        table: READ_ONLY_GROUPS.has(group) ? 'read' : 'read-write',
        publishes: PUBLISHING_GROUPS.has(group),
      });
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked only synchronously by the HTTP API, which returns the error to the caller; nothing is queued, so a dead-letter queue would never receive an event.',
      });
      functions.set(group, fn);
    }
    return functions;
  }

  /**
   * One function per entry of `JOBS`, invoked by its trigger: an EventBridge schedule, or an
   * event source mapping on the table's stream.
   */
  private createJobs(): {
    jobs: Map<string, NodejsFunction>;
    failureQueues: Map<string, Queue>;
  } {
    const jobs = new Map<string, NodejsFunction>();
    const failureQueues = new Map<string, Queue>();
    for (const job of JOBS) {
      const { entry, settings } = checkJob(job);
      const name = pascal(job.name);
      const fn = this.createFunction(`${name}JobFunction`, {
        description: `Assay ${job.name} job: ${job.description}`.slice(0, 256),
        roleDescription: `Assay ${job.name} job`,
        entry,
        sizing: { memorySize: settings.memorySize, timeout: settings.timeout },
        // Powertools Metrics publishes under Assay's namespace with the stack as `service`.
        environment: settings.metrics
          ? {
              POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
              POWERTOOLS_SERVICE_NAME: this.stackName,
            }
          : {},
        table: settings.table,
        publishes: settings.publishes,
        ...(settings.concurrency !== undefined
          ? { reservedConcurrentExecutions: settings.concurrency }
          : {}),
      });
      const trigger = job.trigger;
      if (trigger.kind === 'schedule') {
        this.scheduleJob(job.name, fn, trigger.everySeconds);
      } else if (trigger.kind === 'table-stream') {
        failureQueues.set(job.name, this.streamJob(job.name, fn, trigger.batchSize));
      } else if (trigger.kind === 'invoke') {
        failureQueues.set(job.name, this.invokedJob(job.name, fn, trigger.invokedBy));
      } else {
        Validations.of(fn).acknowledge({
          id: 'Serverless-LambdaDLQ',
          reason:
            'Invoked only asynchronously by the SES events rule (infra/aws/mail.ts), whose dead-letter queue and the function’s on-failure destination keep every event it gives up on; without mailFrom nothing invokes it.',
        });
      }
      jobs.set(job.name, fn);
    }
    return { jobs, failureQueues };
  }

  /** An EventBridge rule running the job every `everySeconds`. */
  private scheduleJob(jobName: string, fn: NodejsFunction, everySeconds: number): void {
    const rule = new Rule(this, `${pascal(jobName)}JobSchedule`, {
      description: `Runs the ${jobName} job every ${everySeconds} s.`,
      schedule: Schedule.rate(Duration.seconds(everySeconds)),
    });
    rule.addTarget(
      new LambdaFunction(fn, {
        // A delivery later than the next scheduled run is superseded by it.
        maxEventAge: Duration.seconds(everySeconds),
        retryAttempts: 2,
      }),
    );
    // Lambda's own retries of an asynchronous invocation (two, over up to six hours by default)
    // would run beside later scheduled runs; the next run is the retry, so none, and an event
    // older than one interval is dropped.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.seconds(everySeconds) });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: `A failed run is not retried and its event carries nothing (a schedule tick): the next run (every ${everySeconds} s) redoes the work, and a run that keeps failing raises the ${jobName} errors and last-success alarms.`,
    });

    const rerun = `The next scheduled run (every ${everySeconds} s) repeats a failed or lost run: it finds the same due work, and finalising is an idempotent conditional write, so nothing is lost and a queued event would add nothing.`;
    Validations.of(fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason: rerun });
    Validations.of(rule).acknowledge({ id: 'Serverless-EventBusDLQ', reason: rerun });
  }

  /**
   * An event source mapping on the table's stream (see STREAM_DELIVERY and
   * COMPLETED_ATTEMPT_FILTERS), with an encrypted, TLS-only queue keeping the batches it gives
   * up on. Returns that queue.
   */
  /**
   * A job that other functions start with an asynchronous invocation (`invokeJob`,
   * functions/data/invoke.ts): those functions may invoke it and learn its name from
   * `ASSAY_JOB_<NAME>`; Lambda does not retry a failed run (the job records the failure where
   * its client looks, and the client retries with its Idempotency-Key), and the record of a run
   * that failed or timed out goes to an on-failure queue.
   */
  private invokedJob(jobName: string, fn: NodejsFunction, invokedBy: readonly string[]): Queue {
    const name = pascal(jobName);
    const failures = this.failureQueue(
      name,
      `the on-failure destination of the ${jobName} job's asynchronous invocations`,
    );
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      onFailure: new SqsDestination(failures),
    });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Its asynchronous invocations have an on-failure destination (the ${name}JobFailures queue), which records more than a DLQ would (the error and the request).`,
    });
    for (const group of invokedBy) {
      const caller = this.functions.get(group as FunctionGroup);
      if (!caller)
        throw new Error(
          `Job "${jobName}" is invoked by "${group}", which is not a function group.`,
        );
      // This function only (grantInvoke would add its versions, `Arn:*`, which nothing uses).
      caller.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      caller.addEnvironment(jobFunctionEnv(jobName), fn.functionName);
    }
    return failures;
  }

  /**
   * A queue that keeps what a job gave up on, read by an operator (never consumed); `what` says
   * whose failure destination it is, for the cdk-nag acknowledgements.
   */
  private failureQueue(name: string, what: string): Queue {
    const failures = new Queue(this, `${name}JobFailures`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: STREAM_DELIVERY.failureRetention,
      // The only copy of what the job gave up on: it outlives a stack replacement or deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is ${what} (cdk-nag only recognises queues named in a RedrivePolicy or a function's DeadLetterConfig); a dead-letter queue needs no dead-letter queue of its own.`,
    });
    Validations.of(failures).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: `This queue is itself ${what}; no consumer reads it, so nothing could be redriven from it to another dead-letter queue.`,
    });
    return failures;
  }

  private streamJob(jobName: string, fn: NodejsFunction, batchSize: number): Queue {
    const name = pascal(jobName);
    const failures = this.failureQueue(
      name,
      `the failure destination of the ${jobName} job's stream event source mapping`,
    );

    fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STREAM_DELIVERY.retryAttempts,
        maxRecordAge: STREAM_DELIVERY.maxRecordAge,
        filters: STREAM_FILTERS[jobName]!.map((f) =>
          FilterCriteria.filter(f as Record<string, unknown>),
        ),
        onFailure: new SqsDlq(failures),
      }),
    );
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked only synchronously by its stream event source mapping, whose on-failure destination (the ${name}JobFailures queue) keeps every batch it gives up on; a function DLQ only receives asynchronous invocations.`,
    });
    return failures;
  }

  private createApi(
    corsOrigins: string[],
    options: DeploymentOptions,
  ): { api: HttpApi; stage: HttpStage } {
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-api`,
      description: 'Assay HTTP API v1',
      // With a custom domain the API answers only on it (CloudFront's origin, see edge.ts): the
      // execute-api URL, which skips the edge and its web ACL, stops answering.
      disableExecuteApiEndpoint: options.domain !== undefined,
      // Created below with access logging and throttling, which the default stage lacks.
      createDefaultStage: false,
      ...(corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: corsOrigins,
              allowMethods: CORS_ALLOW_METHODS.map((m) => CorsHttpMethod[m]),
              allowHeaders: CORS_ALLOW_HEADERS,
              exposeHeaders: CORS_EXPOSE_HEADERS,
              maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: LOG_RETENTION });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // JSON, one object per request. No headers: they carry bearer tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            subject: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer(
      'StaffJwtAuthorizer',
      this.userPool.userPoolProviderUrl,
      {
        // ID tokens: only they carry custom:org, and their `aud` is the app client id.
        jwtAudience: [this.userPoolClient.userPoolClientId],
        identitySource: ['$request.header.Authorization'],
      },
    );

    const integrations = new Map(
      [...this.functions].map(([group, fn]) => [
        group,
        new HttpLambdaIntegration(`${pascal(group)}Integration`, fn),
      ]),
    );
    const integrationOf = (group: FunctionGroup) => {
      const integration = integrations.get(group);
      if (!integration) throw new Error(`No function for group "${group}"`);
      return integration;
    };

    // First, so the public integration (created under the first route bound to it) keeps its
    // logical id whatever the order of ROUTES.
    const fallback = new HttpRoute(this, 'RouteDefault', {
      httpApi: api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrationOf('public'),
    });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        '$default only answers unknown paths and methods with 404/405 problem+json from the public function; it exposes no data.',
    });

    // Per-route metrics (latency, 4xx, 5xx) for the candidate path's dashboard, only there: each
    // route's metrics are billed as custom metrics.
    const candidateRoutes: HttpRoute[] = [];
    for (const route of ROUTES) {
      const staff = isStaff(route.access);
      const r = new HttpRoute(this, `Route${pascal(route.operationId)}`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrationOf(route.group),
        ...(staff ? { authorizer } : {}),
      });
      if (route.group === 'candidate') candidateRoutes.push(r);
      if (!staff) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.access === 'candidate'
              ? `${route.method} ${route.path} is a candidate route: the opaque attempt token in Authorization is checked by the handler against the stored SHA-256 hash of the attempt it addresses; a JWT authorizer cannot verify it.`
              : `${route.method} ${route.path} is public by the API contract (no credential).`,
        });
      }
    }
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      ROUTES.filter((r) => r.group === 'candidate').map((r) => [
        routeKey(r),
        { DetailedMetricsEnabled: true },
      ]),
    );
    // Route settings name routes that must exist first.
    for (const r of candidateRoutes) stage.node.addDependency(r);
    return { api, stage };
  }
}
