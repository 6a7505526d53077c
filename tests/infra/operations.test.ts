/**
 * What a team running Assay on AWS needs on day one, read from the synthesized templates:
 * alarms and the dashboard, the sweeper running once at a time, the edge (CloudFront, the
 * private web bucket, the API behind /v1/*), and the deployment options (alarm email, WAF,
 * custom domain). Two syntheses: the default deployment and one with every option set.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, type CfnResource, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../functions/http/route-types.ts';
import { ROUTES } from '../../functions/http/routes.ts';
import { METRICS_NAMESPACE, SWEEPER_RUN_SUCCEEDED } from '../../functions/jobs/job-metrics.ts';
import { JOBS } from '../../functions/jobs/jobs.ts';
import { appRootRewrite, CONSOLE_CONFIG_KEY } from '../../infra/aws/edge.ts';
import { THRESHOLDS } from '../../infra/aws/monitoring.ts';
import { BUILD_WEB_COMMAND, deploymentOptionsFrom } from '../../infra/aws/options.ts';
import { AssayStack } from '../../infra/aws/stack.ts';
import { COUNTED_BODY_RULES, DEFAULT_RATE_LIMIT } from '../../infra/aws/waf.ts';
import { webContentSecurityPolicy } from '../../web/apps.ts';
import { CDK_JSON, fixtureWebDist, synthesize, unacknowledged } from './synth.ts';

const DOCS = readFileSync(resolve(import.meta.dirname, '../../docs/operations.md'), 'utf8');
const GROUPS = [...new Set(ROUTES.map((r) => r.group))];
const CANDIDATE_ROUTES = ROUTES.filter((r) => r.group === 'candidate');
const SCHEDULE_JOBS = JOBS.filter((j) => j.trigger.kind === 'schedule');
const STREAM_JOBS = JOBS.filter((j) => j.trigger.kind === 'table-stream');

/** Template JSON, read loosely: the assertions say what each part must be. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON as Template.toJSON() returns it
type Cfn = any;

const OPTIONS = {
  alarmEmail: 'oncall@example.com',
  webAclArn:
    'arn:aws:wafv2:us-east-1:123456789012:global/webacl/assay-edge/11111111-2222-3333-4444-555555555555',
  domainName: 'assess.example.com',
  certificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  apiCertificateArn:
    'arn:aws:acm:eu-west-1:123456789012:certificate/ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee',
  waf: 'true',
  authDomainPrefix: 'acme-assess',
};

let webDist: string;
let base: ReturnType<typeof synthesize>;
let t: Template;
let withOptions: ReturnType<typeof synthesize>;
let o: Template;

beforeAll(() => {
  webDist = fixtureWebDist();
  base = synthesize({ webDist });
  t = Template.fromStack(base.assay);
  withOptions = synthesize({ webDist, ...OPTIONS });
  o = Template.fromStack(withOptions.assay);
});
afterAll(() => rmSync(webDist, { recursive: true, force: true }));

const idOf = (stack: Stack, c: IConstruct) =>
  stack.getLogicalId(c.node.defaultChild as CfnResource);
const props = (template: Template, id: string) => template.toJSON().Resources[id].Properties;

/** A CloudFormation value as text: `{Ref}` and `{Id.Attr}` for what is known at deployment. */
function flat(value: Cfn): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(flat).join(value['Fn::Join'][0]);
  if (value?.Ref) return `{${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

/** The alarms of a template by name (without the stack-name prefix). */
function alarms(template: Template): Map<string, Record<string, Cfn>> {
  return new Map(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => [
      String(a.Properties.AlarmName).replace(/^Assay-/, ''),
      a.Properties,
    ]),
  );
}

function alarm(name: string): Record<string, Cfn> {
  const found = alarms(t).get(name);
  expect(found, `alarm ${name}`).toBeDefined();
  return found!;
}

/** The metrics (namespace, name, dimensions) inside an alarm, whether single or metric math. */
function metricsOf(
  a: Record<string, Cfn>,
): { ns: string; name: string; dims: Record<string, unknown>; stat?: string }[] {
  const one = (m: Record<string, Cfn>, stat?: string) => ({
    ns: m.Namespace,
    name: m.MetricName,
    dims: Object.fromEntries((m.Dimensions ?? []).map((d: Cfn) => [d.Name, d.Value])),
    ...(stat ? { stat } : {}),
  });
  if (a.MetricName) return [one(a, a.Statistic ?? a.ExtendedStatistic)];
  return (a.Metrics as Cfn[])
    .filter((m) => m.MetricStat)
    .map((m) => one(m.MetricStat.Metric, m.MetricStat.Stat));
}

describe('the alarm topic', () => {
  it('is one SNS topic, encrypted with a rotated key CloudWatch may use, TLS only', () => {
    t.resourceCountIs('AWS::SNS::Topic', 1);
    const topicId = idOf(base.assay, base.assay.monitoring.topic);
    const keyRef = props(t, topicId).KmsMasterKeyId;
    const keyId = keyRef['Fn::GetAtt'][0];
    expect(props(t, keyId).EnableKeyRotation).toBe(true);
    expect(JSON.stringify(props(t, keyId).KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('has no subscription unless alarmEmail is given, then mails it', () => {
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    o.resourceCountIs('AWS::SNS::Subscription', 1);
    o.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: OPTIONS.alarmEmail,
    });
  });

  it('is notified by every alarm, when it fires and when it recovers, and is an output', () => {
    const topicRef = { Ref: idOf(base.assay, base.assay.monitoring.topic) };
    for (const [name, a] of alarms(t)) {
      expect(a.AlarmActions, name).toEqual([topicRef]);
      expect(a.OKActions, name).toEqual([topicRef]);
    }
    t.hasOutput('AlarmTopicArn', { Value: topicRef });
  });
});

describe('the alarms', () => {
  it('cover each function (every route group and job) for errors and throttles', () => {
    const fns = new Map([...base.assay.functions, ...base.assay.jobs]);
    expect(fns.size).toBe(GROUPS.length + JOBS.length);
    for (const [name, fn] of fns) {
      const id = idOf(base.assay, fn);
      for (const [suffix, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        const a = alarm(`${name}-${suffix}`);
        expect(metricsOf(a), `${name}-${suffix}`).toEqual([
          { ns: 'AWS/Lambda', name: metric, dims: { FunctionName: { Ref: id } }, stat: 'Sum' },
        ]);
        expect(a.Threshold).toBe(1);
        expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      }
    }
  });

  it("watch the HTTP API's 5xx rate (over enough requests) and p99 latency", () => {
    const apiRef = { Ref: idOf(base.assay, base.assay.api) };
    const rate = alarm('api-5xx-rate');
    expect(metricsOf(rate)).toEqual([
      { ns: 'AWS/ApiGateway', name: 'Count', dims: { ApiId: apiRef }, stat: 'Sum' },
      { ns: 'AWS/ApiGateway', name: '5xx', dims: { ApiId: apiRef }, stat: 'Sum' },
    ]);
    const expression = rate.Metrics.find((m: Cfn) => m.Expression).Expression as string;
    expect(expression).toMatch(/^IF\(requests >= \d+, 100 \* FILL\(errors, 0\) \/ requests, 0\)$/);
    expect(rate.Threshold).toBe(1);

    const latency = alarm('api-p99-latency');
    expect(metricsOf(latency)).toEqual([
      { ns: 'AWS/ApiGateway', name: 'Latency', dims: { ApiId: apiRef }, stat: 'p99' },
    ]);
    expect(latency.ComparisonOperator).toBe('GreaterThanThreshold');
  });

  it('watch each stream consumer: iterator age, and Cfn batch in its failure queue', () => {
    for (const job of STREAM_JOBS) {
      const fn = base.assay.jobs.get(job.name)!;
      const age = alarm(`${job.name}-iterator-age`);
      expect(metricsOf(age)).toEqual([
        {
          ns: 'AWS/Lambda',
          name: 'IteratorAge',
          dims: { FunctionName: { Ref: idOf(base.assay, fn) } },
          stat: 'Maximum',
        },
      ]);
      const queue = base.assay.jobFailureQueues.get(job.name)!;
      const depth = alarm(`${job.name}-failure-queue`);
      expect(metricsOf(depth)).toEqual([
        {
          ns: 'AWS/SQS',
          name: 'ApproximateNumberOfMessagesVisible',
          dims: { QueueName: { 'Fn::GetAtt': [idOf(base.assay, queue), 'QueueName'] } },
          stat: 'Maximum',
        },
      ]);
      // Depth > 0: a single failed batch pages.
      expect(depth.Threshold).toBe(1);
      expect(depth.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    }
  });

  it('watch DynamoDB throttled requests and system errors on the table', () => {
    const tableRef = { Ref: idOf(base.assay, base.assay.table) };
    for (const [name, metric] of [
      ['table-throttles', 'ThrottledRequests'],
      ['table-system-errors', 'SystemErrors'],
    ] as const) {
      const ms = metricsOf(alarm(name));
      expect(ms.length, name).toBeGreaterThanOrEqual(5);
      for (const m of ms) {
        expect(m).toMatchObject({ ns: 'AWS/DynamoDB', name: metric });
        expect(m.dims.TableName).toEqual(tableRef);
      }
      const operations = ms.map((m) => m.dims.Operation);
      for (const op of ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems']) {
        expect(operations, name).toContain(op);
      }
    }
  });

  it("fire when the sweeper's success metric stops arriving, the metric the sweeper is set up to publish", () => {
    const a = alarm('sweeper-last-success');
    expect(metricsOf(a)).toEqual([
      {
        ns: METRICS_NAMESPACE,
        name: SWEEPER_RUN_SUCCEEDED,
        dims: { service: 'Assay' },
        stat: 'Sum',
      },
    ]);
    expect(a.ComparisonOperator).toBe('LessThanThreshold');
    expect(a.Threshold).toBe(1);
    expect(a.TreatMissingData).toBe('breaching');
    expect(a.EvaluationPeriods * a.Period).toBeLessThanOrEqual(15 * 60);

    const env = props(t, idOf(base.assay, base.assay.jobs.get('sweeper')!)).Environment.Variables;
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('Assay');
  });

  it('fire when the sweeper logs an error (an attempt it could not finalise), counted from its own log', () => {
    const a = alarm('sweeper-logged-errors');
    const [m] = metricsOf(a);
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(1);
    const filter = filters[0]!.Properties;
    expect(filter.FilterPattern).toBe('{ $.level = "ERROR" }');
    const sweeperLogs = props(t, idOf(base.assay, base.assay.jobs.get('sweeper')!)).LoggingConfig
      .LogGroup;
    expect(filter.LogGroupName).toEqual(sweeperLogs);
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: m!.ns, MetricName: m!.name, MetricValue: '1' },
    ]);
    expect(a.Threshold).toBe(1);
  });

  it('are exactly these, and each points to its section of docs/operations.md', () => {
    const names = [...alarms(t).keys()].sort();
    const fnNames = [...GROUPS, ...JOBS.map((j) => j.name)];
    expect(names).toEqual(
      [
        ...fnNames.flatMap((n) => [`${n}-errors`, `${n}-throttles`]),
        ...STREAM_JOBS.flatMap((j) => [`${j.name}-iterator-age`, `${j.name}-failure-queue`]),
        'api-5xx-rate',
        'api-p99-latency',
        'table-throttles',
        'table-system-errors',
        'sweeper-last-success',
        'sweeper-logged-errors',
      ].sort(),
    );
    const anchors = new Set(
      [...DOCS.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const [name, a] of alarms(t)) {
      const anchor = /docs\/operations\.md#([a-z0-9-]+)$/.exec(a.AlarmDescription)?.[1];
      expect(anchor, `${name}: description names its runbook`).toBeDefined();
      expect(anchors.has(anchor!), `${name}: docs/operations.md has a "${anchor}" section`).toBe(
        true,
      );
    }
  });
});

/** The dashboard body with CloudFormation references replaced by their logical ids. */
function dashboardBody(template: Template): { widgets: { properties: Record<string, Cfn> }[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const [, parts] = dashboards[0]!.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = parts
    .map((p) =>
      typeof p === 'string'
        ? p
        : ((p as { Ref?: string }).Ref ?? JSON.stringify(p).replace(/"/g, "'")),
    )
    .join('');
  return JSON.parse(text);
}

describe('the dashboard', () => {
  it('shows the p99 latency and 5xx rate of every candidate route', () => {
    const body = dashboardBody(t);
    const apiId = idOf(base.assay, base.assay.api);
    const titled = (prefix: string) =>
      body.widgets.find((w) => String(w.properties.title).startsWith(prefix))!.properties;
    const latency = titled('Candidate path: p99 latency');
    const errors = titled('Candidate path: 5xx');
    for (const r of CANDIDATE_ROUTES) {
      const dims = ['ApiId', apiId, 'Method', r.method, 'Resource', r.path, 'Stage', '$default'];
      expect(latency.metrics, routeKey(r)).toContainEqual([
        'AWS/ApiGateway',
        'Latency',
        ...dims,
        expect.objectContaining({ stat: 'p99' }),
      ]);
      for (const name of ['5xx', 'Count']) {
        expect(errors.metrics, `${routeKey(r)} ${name}`).toContainEqual([
          'AWS/ApiGateway',
          name,
          ...dims,
          expect.objectContaining({ stat: 'Sum', visible: false }),
        ]);
      }
    }
  });

  it('rests on per-route metrics the stage publishes for the candidate routes only', () => {
    const stage = props(t, idOf(base.assay, base.assay.stage));
    expect(Object.keys(stage.RouteSettings).sort()).toEqual(CANDIDATE_ROUTES.map(routeKey).sort());
    for (const setting of Object.values(stage.RouteSettings)) {
      expect(setting).toEqual({ DetailedMetricsEnabled: true });
    }
  });

  it('shows the alarms, and its name is an output', () => {
    const body = dashboardBody(t);
    const status = body.widgets.find((w) => w.properties.title === 'Alarms')!.properties;
    expect(status.alarms).toHaveLength(alarms(t).size);
    t.hasOutput('DashboardName', {});
  });
});

describe('the sweeper', () => {
  it.each(SCHEDULE_JOBS.map((j) => j.name))(
    '%s runs once at a time: reserved concurrency 1, no Lambda retries, events older than its interval dropped',
    (name) => {
      const job = SCHEDULE_JOBS.find((j) => j.name === name)!;
      const id = idOf(base.assay, base.assay.jobs.get(name)!);
      expect(props(t, id).ReservedConcurrentExecutions).toBe(1);
      const configs = Object.values(
        t.findResources('AWS::Lambda::EventInvokeConfig', {
          Properties: { FunctionName: { Ref: id } },
        }),
      );
      expect(configs).toHaveLength(1);
      const config = configs[0]!.Properties;
      expect(config.MaximumRetryAttempts).toBe(0);
      expect(config.Qualifier).toBe('$LATEST');
      expect(config.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(config.MaximumEventAgeInSeconds).toBeLessThanOrEqual(
        (job.trigger as { everySeconds: number }).everySeconds,
      );
    },
  );

  it('and the other scheduled jobs are the only functions with reserved concurrency, and with the invoked jobs the only ones with an async invoke configuration', () => {
    const scheduled = SCHEDULE_JOBS.map((j) => idOf(base.assay, base.assay.jobs.get(j.name)!));
    const reserved = Object.entries(t.findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([id]) => id);
    expect(reserved.sort()).toEqual(scheduled.sort());
    const invoked = JOBS.filter((j) => j.trigger.kind === 'invoke');
    t.resourceCountIs('AWS::Lambda::EventInvokeConfig', SCHEDULE_JOBS.length + invoked.length);
  });
});

describe('the failure queues', () => {
  it('are retained when the stack is deleted or replaced', () => {
    for (const [name, queue] of base.assay.jobFailureQueues) {
      const resource = t.toJSON().Resources[idOf(base.assay, queue)];
      expect(resource.DeletionPolicy, name).toBe('Retain');
      expect(resource.UpdateReplacePolicy, name).toBe('Retain');
    }
  });

  it('are each an output saying what it holds: a stream batch, or an invoked job’s failed run', () => {
    const outputs = t.toJSON().Outputs as Record<string, { Description: string }>;
    for (const job of JOBS.filter((j) => base.assay.jobFailureQueues.has(j.name))) {
      const output = Object.entries(outputs).find(([key]) =>
        key.toLowerCase().startsWith(`${job.name.replace(/-/g, '')}jobfailurequeueurl`),
      );
      expect(output, job.name).toBeDefined();
      expect(output![1].Description, job.name).toMatch(
        job.trigger.kind === 'table-stream' ? /^Stream batches/ : /^Runs of .* failed or timed out/,
      );
    }
  });
});

/**
 * The part of docs/operations.md under a heading, up to the next heading of its level or above,
 * with its line breaks as spaces (a phrase may wrap anywhere).
 */
function section(heading: string): string {
  const start = DOCS.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = /^#+/.exec(heading)![0].length;
  const rest = DOCS.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\n#{1,${level}} `));
  return (end === -1 ? rest : rest.slice(0, end)).replace(/\s+/g, ' ');
}

describe('docs/operations.md is true to the template', () => {
  it('names every output of every stack, with and without the options', () => {
    const keys = new Set(
      [t, o, Template.fromStack(withOptions.waf!)].flatMap((x) => Object.keys(x.toJSON().Outputs)),
    );
    const missing = [...keys].filter((key) => !DOCS.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('says what to do about the errors of every function the alarms watch', () => {
    const text = section('### Function errors');
    const named = [...GROUPS, ...JOBS.map((j) => j.name)].filter(
      (name) => !text.includes(`\`${name}\``),
    );
    expect(named).toEqual([]);
  });

  it('names each stream consumer under iterator age and failure queue', () => {
    for (const heading of ['### Stream iterator age', '### Stream failure queue'])
      for (const job of STREAM_JOBS)
        expect(section(heading), `${heading}: ${job.name}`).toContain(`\`${job.name}\``);
  });

  it('names every job that runs once at a time (reserved concurrency 1, no retries)', () => {
    const text = section('### The sweeper runs once at a time');
    for (const job of SCHEDULE_JOBS) expect(text, job.name).toContain(`\`${job.name}\``);
  });

  it('states the thresholds the alarms use', () => {
    expect(section('### API 5xx rate')).toContain(`more than ${THRESHOLDS.api5xxPercent}%`);
    expect(section('### API 5xx rate')).toContain(`at least ${THRESHOLDS.minRequests} requests`);
    expect(section('### API p99 latency')).toContain(
      `over ${THRESHOLDS.apiP99LatencyMs / 1000} seconds`,
    );
    expect(section('### Stream iterator age')).toContain(
      `more than ${THRESHOLDS.iteratorAgeMs / 60_000} minutes behind`,
    );
    expect(section('### Sweeper last success')).toContain(
      `for ${THRESHOLDS.sweeperSilenceMinutes} minutes`,
    );
  });
});

/** The distribution's config: the one distribution of a template. */
function distribution(template: Template): Record<string, Cfn> {
  const found = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  expect(found).toHaveLength(1);
  return found[0]!.Properties.DistributionConfig;
}

function behaviour(config: Record<string, Cfn>, pattern: string): Record<string, Cfn> {
  const found = (config.CacheBehaviors as Cfn[]).filter((b) => b.PathPattern === pattern);
  expect(found, `behaviour ${pattern}`).toHaveLength(1);
  return found[0];
}

const originById = (config: Record<string, Cfn>, id: string) =>
  (config.Origins as Cfn[]).find((origin) => origin.Id === id);

describe('the edge', () => {
  it('is one CloudFront distribution whose /v1/* behaviour reaches the HTTP API uncached, with every method and the viewer headers', () => {
    const config = distribution(t);
    // In this order: CloudFront takes the first match, and anything under /v1/ is the API's.
    expect(config.CacheBehaviors.map((b: Cfn) => b.PathPattern)).toEqual(['/v1/*', '/*/assets/*']);
    const api = behaviour(config, '/v1/*');
    expect(api.AllowedMethods.sort()).toEqual(
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
    );
    expect(api.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    // All viewer headers (Authorization included), cookies and query strings; not Host, which
    // API Gateway needs to be its own execute-api name.
    expect(api.OriginRequestPolicyId).toBe(
      OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    );
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    const origin = originById(config, api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain(idOf(base.assay, base.assay.api));
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('serves everything else from the private site bucket through origin access control', () => {
    const config = distribution(t);
    const site = config.DefaultCacheBehavior;
    expect(site.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(site.AllowedMethods).toEqual(['GET', 'HEAD']);
    const origin = originById(config, site.TargetOriginId);
    const bucketId = idOf(base.assay, base.assay.edge.bucket);
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origin.OriginAccessControlId).toBeDefined();
    t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });

    const bucket = props(t, bucketId);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    // Only CloudFront, and only for this distribution, may read it.
    const distributionId = idOf(base.assay, base.assay.edge.distribution);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': Match.arrayWith([
                    Match.arrayWith([Match.objectLike({ Ref: distributionId })]),
                  ]),
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it("sends the web apps' security headers: their CSP, HSTS, no framing; pages revalidated, hashed assets kept", () => {
    const config = distribution(t);
    const policy = (behaviourConfig: Cfn) =>
      props(t, behaviourConfig.ResponseHeadersPolicyId.Ref).ResponseHeadersPolicyConfig;
    const page = policy(config.DefaultCacheBehavior);
    const asset = policy(behaviour(config, '/*/assets/*'));
    for (const p of [page, asset]) {
      expect(p.SecurityHeadersConfig).toMatchObject({
        ContentSecurityPolicy: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        ContentTypeOptions: { Override: true },
        StrictTransportSecurity: expect.objectContaining({ AccessControlMaxAgeSec: 31_536_000 }),
      });
    }
    // Their own origin, plus the hosted UI's, where the console exchanges its sign-in code.
    const hostedUi = `https://{${idOf(base.assay, base.assay.userPoolDomain)}}.auth.{AWS::Region}.amazoncognito.com`;
    for (const p of [page, asset]) {
      expect(flat(p.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(
        webContentSecurityPolicy([hostedUi]),
      );
    }
    const cacheControl = (p: Cfn) =>
      p.CustomHeadersConfig.Items.find((h: Cfn) => h.Header === 'Cache-Control').Value;
    expect(cacheControl(page)).toBe('no-cache');
    expect(cacheControl(asset)).toBe('public, max-age=31536000, immutable');
    expect(behaviour(config, '/*/assets/*').TargetOriginId).toBe(
      config.DefaultCacheBehavior.TargetOriginId,
    );
  });

  it('serves /take and /take/ (and every built app root) from the app folder index.html', () => {
    const config = distribution(t);
    const [association] = config.DefaultCacheBehavior.FunctionAssociations;
    expect(association.EventType).toBe('viewer-request');
    const fn = Object.values(t.findResources('AWS::CloudFront::Function'))[0]!.Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.FunctionCode).toBe(appRootRewrite(['console', 'take']));

    // The function as CloudFront runs it: a viewer request in, the request to the origin out.
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: unknown) => {
      uri: string;
    };
    const uri = (u: string) => handler({ request: { uri: u } }).uri;
    expect(uri('/take')).toBe('/take/index.html');
    expect(uri('/take/')).toBe('/take/index.html');
    expect(uri('/console')).toBe('/console/index.html');
    expect(uri('/take/app.js')).toBe('/take/app.js');
    expect(uri('/shared/')).toBe('/shared/');
    expect(uri('/v1/health')).toBe('/v1/health');
  });

  it('deploys the built apps to the bucket and invalidates the distribution', () => {
    t.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: idOf(base.assay, base.assay.edge.bucket) },
      DistributionId: { Ref: idOf(base.assay, base.assay.edge.distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
    });
  });

  it('logs to a bucket, has no web ACL and keeps execute-api by default', () => {
    const config = distribution(t);
    expect(config.Logging.Bucket).toBeDefined();
    expect(config.WebACLId).toBeUndefined();
    expect(config.Aliases).toBeUndefined();
    expect(props(t, idOf(base.assay, base.assay.api)).DisableExecuteApiEndpoint).not.toBe(true);
    t.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('prints the site URL (the candidate link base) and the API URL under it', () => {
    const site = {
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [idOf(base.assay, base.assay.edge.distribution), 'DomainName'] },
        ],
      ],
    };
    t.hasOutput('SiteUrl', { Value: site });
    t.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { 'Fn::GetAtt': [idOf(base.assay, base.assay.edge.distribution), 'DomainName'] },
            '/v1',
          ],
        ],
      },
    });
  });
});

describe("the console's sign-in (Cognito hosted UI)", () => {
  const site = (stack: AssayStack) =>
    `https://{${idOf(stack, stack.edge.distribution)}.DomainName}`;

  it('has a hosted UI domain named after the stack and the account, or -c authDomainPrefix', () => {
    const domain = (template: Template) =>
      Object.values(template.findResources('AWS::Cognito::UserPoolDomain'))[0]!.Properties;
    expect(flat(domain(t).Domain)).toBe('assay-{AWS::AccountId}');
    expect(domain(o).Domain).toBe('acme-assess');
    t.hasOutput('HostedUiDomain', Match.anyValue());
  });

  it('lets the app client sign in with the authorization code (PKCE, no secret, no implicit flow), back to the console only', () => {
    const client = props(t, idOf(base.assay, base.assay.userPoolClient));
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client.CallbackURLs.map(flat)).toEqual([`${site(base.assay)}/console/`]);
    expect(client.LogoutURLs.map(flat)).toEqual([`${site(base.assay)}/console/`]);
    const custom = props(o, idOf(withOptions.assay, withOptions.assay.userPoolClient));
    expect(custom.CallbackURLs).toEqual([`https://${OPTIONS.domainName}/console/`]);
    o.hasOutput('ConsoleUrl', { Value: `https://${OPTIONS.domainName}/console` });
  });

  it(`writes the console's settings into the bucket as ${CONSOLE_CONFIG_KEY}: hosted UI, client, the console as redirect`, () => {
    const deployment = Object.values(t.findResources('Custom::CDKBucketDeployment'))[0]!.Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    // Source.jsonData stages the file with markers that the deployment replaces by its values.
    const staged = readdirSync(base.app.outdir)
      .map((d) => join(base.app.outdir, d, CONSOLE_CONFIG_KEY))
      .find((f) => existsSync(f));
    expect(staged, 'the staged console/config.json').toBeDefined();
    const markers = Object.assign({}, ...(deployment.SourceMarkers as Cfn[]));
    const text = readFileSync(staged!, 'utf8').replace(/<<marker:0xbaba:\d+>>/g, (m) =>
      flat(markers[m]),
    );
    expect(JSON.parse(text)).toEqual({
      signIn: 'cognito',
      cognito: {
        domain: `https://{${idOf(base.assay, base.assay.userPoolDomain)}}.auth.{AWS::Region}.amazoncognito.com`,
        clientId: `{${idOf(base.assay, base.assay.userPoolClient)}}`,
        redirectUri: `${site(base.assay)}/console/`,
        logoutUri: `${site(base.assay)}/console/`,
        scopes: ['openid', 'email', 'profile'],
      },
    });
  });
});

describe('with a web ACL, a custom domain and an alarm email', () => {
  it('attaches the given web ACL to the distribution', () => {
    expect(distribution(o).WebACLId).toBe(OPTIONS.webAclArn);
  });

  it('answers on the domain with its us-east-1 certificate and TLS 1.2 at least', () => {
    const config = distribution(o);
    expect(config.Aliases).toEqual([OPTIONS.domainName]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: OPTIONS.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    o.hasOutput('SiteUrl', { Value: `https://${OPTIONS.domainName}` });
    o.hasOutput('ApiUrl', { Value: `https://${OPTIONS.domainName}/v1` });
  });

  it('disables the execute-api endpoint: the API is reached through its custom domain, the origin of /v1/*', () => {
    const api = withOptions.assay.api;
    expect(props(o, idOf(withOptions.assay, api)).DisableExecuteApiEndpoint).toBe(true);
    const domains = o.findResources('AWS::ApiGatewayV2::DomainName');
    const [domainId, domain] = Object.entries(domains)[0]!;
    expect(Object.keys(domains)).toHaveLength(1);
    expect(domain.Properties).toEqual({
      DomainName: OPTIONS.domainName,
      DomainNameConfigurations: [
        { CertificateArn: OPTIONS.apiCertificateArn, EndpointType: 'REGIONAL' },
      ],
    });
    o.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: idOf(withOptions.assay, api) },
      DomainName: { Ref: domainId },
    });

    const config = distribution(o);
    const behaviourApi = behaviour(config, '/v1/*');
    // The viewer's Host (the domain) is how API Gateway finds the API behind its domain.
    expect(behaviourApi.OriginRequestPolicyId).toBe(
      OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022.originRequestPolicyId,
    );
    expect(originById(config, behaviourApi.TargetOriginId).DomainName).toEqual({
      'Fn::GetAtt': [domainId, 'RegionalDomainName'],
    });
  });

  it('creates the web ACL in its own us-east-1 stack: common and known-bad-inputs rules plus a rate limit per IP', () => {
    const waf = withOptions.waf!;
    expect(waf).toBeDefined();
    expect(waf.region).toBe('us-east-1');
    expect(base.waf).toBeUndefined();
    const w = Template.fromStack(waf);
    w.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const acl = Object.values(w.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const rules = acl.Rules as Cfn[];
    expect(rules.map((r) => r.Name)).toEqual([
      'RatePerIp',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    expect(rules[0].Action).toEqual({ Block: {} });
    expect(rules[0].Statement.RateBasedStatement).toMatchObject({
      Limit: DEFAULT_RATE_LIMIT,
      AggregateKeyType: 'IP',
    });
    for (const rule of rules.slice(1)) {
      const group = rule.Statement.ManagedRuleGroupStatement;
      expect(group.VendorName).toBe('AWS');
      // Body rules count instead of block: banks and answers quote attacks by design.
      expect(group.RuleActionOverrides).toEqual(
        COUNTED_BODY_RULES[rule.Name]!.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
      );
      expect(rule.OverrideAction).toEqual({ None: {} });
    }
    expect(COUNTED_BODY_RULES.AWSManagedRulesCommonRuleSet).toContain('SizeRestrictions_BODY');
    w.hasOutput('WebAclArn', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
  });

  it('stays clean under cdk-nag', () => {
    expect(unacknowledged(withOptions.report)).toEqual([]);
  });
});

describe('deployment options', () => {
  const read = (values: Record<string, unknown>) => (key: string) => values[key];

  it('default to none', () => {
    expect(deploymentOptionsFrom(read({}))).toEqual({});
  });

  it('default the API certificate to the CloudFront one (right for a stack in us-east-1)', () => {
    const { domainName, certificateArn } = OPTIONS;
    expect(deploymentOptionsFrom(read({ domainName, certificateArn })).domain).toEqual({
      name: domainName,
      certificateArn,
      apiCertificateArn: certificateArn,
    });
  });

  it('reject, all at once, a bad email, a regional web ACL, a certificate outside us-east-1 and a domain without one', () => {
    expect(() =>
      deploymentOptionsFrom(
        read({
          alarmEmail: 'oncall',
          webAclArn: OPTIONS.webAclArn
            .replace('us-east-1', 'eu-west-1')
            .replace('global', 'regional'),
          domainName: 'assess.example.com',
          certificateArn: OPTIONS.apiCertificateArn,
        }),
      ),
    ).toThrow(
      /alarmEmail: "oncall" is not an email address\.\n.*webAclArn: .* is not a CloudFront web ACL ARN.*\n.*certificateArn: .* is not an ACM certificate ARN in us-east-1/,
    );
    expect(() => deploymentOptionsFrom(read({ domainName: 'assess.example.com' }))).toThrow(
      /domainName needs certificateArn/,
    );
    expect(() => deploymentOptionsFrom(read({ certificateArn: OPTIONS.certificateArn }))).toThrow(
      /need domainName/,
    );
    for (const prefix of ['Acme', '-acme', 'my-cognito', 'a'.repeat(64)]) {
      expect(() => deploymentOptionsFrom(read({ authDomainPrefix: prefix }))).toThrow(
        /authDomainPrefix: .* is not a Cognito domain prefix/,
      );
    }
  });

  it(`fail synthesis without the web build, naming \`${BUILD_WEB_COMMAND}\``, () => {
    const empty = join(webDist, 'shared');
    expect(() => new AssayStack(new App(), 'Assay', { webDist: empty })).toThrow(
      /The web apps are not built: .*take\/index\.html is missing\. Run `npm run build:web` first/,
    );
  });
});

describe('cdk.json', () => {
  it('sets every feature flag aws-cdk-lib currently recommends, at its recommended value', () => {
    for (const [flag, value] of Object.entries(cxapi.CURRENTLY_RECOMMENDED_FLAGS)) {
      expect(CDK_JSON.context[flag], flag).toEqual(value);
    }
  });
});
