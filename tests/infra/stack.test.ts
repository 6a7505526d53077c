import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnResource, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/data/table.ts';
import { type FunctionGroup, isStaff, routeKey } from '../../functions/http/route-types.ts';
import { handlerEntry, ROUTES } from '../../functions/http/routes.ts';
import { JOBS } from '../../functions/jobs/jobs.ts';
import { ESM_REQUIRE_BANNER, esbuildOptions } from '../../infra/aws/bundling.ts';
import { AssayStack, corsOriginsFrom } from '../../infra/aws/stack.ts';

const CORS_ORIGIN = 'https://app.example.com';
const GROUPS = [...new Set(ROUTES.map((r) => r.group))];
/** The groups whose handlers can finalise an attempt (services/attempts.ts) and so publish. */
const PUBLISHING_GROUPS: readonly FunctionGroup[] = ['employer', 'candidate'];

interface ReportViolation {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
}
interface ValidationReport {
  pluginReports: { pluginName: string; violations: ReportViolation[] }[];
}

let app: App;
let stack: AssayStack;
let template: Template;
let report: ValidationReport;

/**
 * One synthesis for the whole file, with cdk-nag registered exactly as in app.ts. Asset
 * bundling is skipped here (`aws:cdk:bundling-stacks`); the bundling tests below build every
 * handler with the same esbuild options CDK uses, so a broken handler fails only its own test.
 */
beforeAll(() => {
  app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      // Keep synthesis going so the test can name every finding instead of one exception.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      corsOrigins: [CORS_ORIGIN],
    },
  });
  stack = new AssayStack(app, 'Assay');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const assembly = app.synth();
  template = Template.fromStack(stack);
  report = JSON.parse(readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8'));
});

const logicalId = (construct: IConstruct) =>
  stack.getLogicalId(construct.node.defaultChild as CfnResource);

function routeResource(key: string): { Properties: Record<string, unknown> } {
  const found = Object.values(
    template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }),
  );
  expect(found, `routes with key ${key}`).toHaveLength(1);
  return found[0] as { Properties: Record<string, unknown> };
}

/** The function logical id behind a route: Route.Target -> Integration.IntegrationUri. */
function functionBehind(key: string): string {
  const target = routeResource(key).Properties.Target as { 'Fn::Join': [string, unknown[]] };
  const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
  const integration = template.toJSON().Resources[integrationId];
  return integration.Properties.IntegrationUri['Fn::GetAtt'][0];
}

describe('the HTTP API', () => {
  it('has one route per entry of the route table, plus $default', () => {
    for (const route of ROUTES) routeResource(routeKey(route));
    routeResource('$default');
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
  });

  it('attaches the JWT authorizer to every staff route and to no public or candidate route', () => {
    const authorizerId = jwtAuthorizerId();
    for (const route of ROUTES) {
      const props = routeResource(routeKey(route)).Properties;
      if (isStaff(route.access)) {
        expect(props.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(props.AuthorizerId, routeKey(route)).toEqual({ Ref: authorizerId });
      } else {
        expect(props.AuthorizationType, routeKey(route)).toBe('NONE');
        expect(props.AuthorizerId, routeKey(route)).toBeUndefined();
      }
    }
    expect(routeResource('$default').Properties.AuthorizationType).toBe('NONE');
  });

  it('accepts staff ID tokens: issuer is the user pool, audience the app client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [logicalId(stack.userPool), 'ProviderURL'] },
        Audience: [{ Ref: logicalId(stack.userPoolClient) }],
      },
    });
  });

  it('sends each route to the function of its group and unknown paths to the public one', () => {
    for (const route of ROUTES) {
      expect(functionBehind(routeKey(route)), routeKey(route)).toBe(
        logicalId(stack.functions.get(route.group)!),
      );
    }
    expect(functionBehind('$default')).toBe(logicalId(stack.functions.get('public')!));
  });

  it('logs every request as JSON to a log group with retention and throttles the stage', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage).toHaveLength(1);
    const props = stage[0]!.Properties;
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: expect.any(Number),
      ThrottlingRateLimit: expect.any(Number),
    });
    const format = JSON.parse(props.AccessLogSettings.Format);
    expect(format.requestId).toBe('$context.requestId');
    const logGroup = props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroup].Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('answers CORS preflights for the origins given in the corsOrigins context', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [CORS_ORIGIN],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'if-match']),
      }),
    });
  });
});

function jwtAuthorizerId(): string {
  const ids = Object.keys(
    template.findResources('AWS::ApiGatewayV2::Authorizer', {
      Properties: { AuthorizerType: 'JWT' },
    }),
  );
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('the functions', () => {
  it('are one per function group of the route table, plus one per job', () => {
    expect([...stack.functions.keys()].sort()).toEqual([...GROUPS].sort());
    expect([...stack.jobs.keys()].sort()).toEqual(JOBS.map((j) => j.name).sort());
    template.resourceCountIs('AWS::Lambda::Function', GROUPS.length + JOBS.length);
  });

  it('all run nodejs24.x on arm64 with active tracing, explicit memory and timeout', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: expect.any(Number),
        Timeout: expect.any(Number),
      });
    }
  });

  it('answer HTTP requests within the HTTP API 30 s integration limit', () => {
    for (const [group, fn] of stack.functions) {
      expect(propsOf(fn).Timeout, group).toBeLessThan(30);
    }
  });

  it('get the table, the JWT settings, the CORS origins and source maps from the environment', () => {
    for (const [group, fn] of stack.functions) {
      expect(propsOf(fn).Environment.Variables, group).toEqual({
        TABLE_NAME: { Ref: logicalId(stack.table) },
        JWT_ISSUER: { 'Fn::GetAtt': [logicalId(stack.userPool), 'ProviderURL'] },
        JWT_AUDIENCE: { Ref: logicalId(stack.userPoolClient) },
        CORS_ORIGINS: CORS_ORIGIN,
        NODE_OPTIONS: '--enable-source-maps',
        ...(PUBLISHING_GROUPS.includes(group) ? { EVENT_BUS_NAME: { Ref: busId() } } : {}),
      });
    }
  });

  it('log to their own log group, and every log group has a retention period', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    for (const fn of allFunctions().values()) {
      const props = template.toJSON().Resources[logicalId(fn)].Properties;
      expect(Object.keys(logGroups)).toContain(props.LoggingConfig.LogGroup.Ref);
    }
    for (const [id, group] of Object.entries(logGroups)) {
      expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it('let the public group only read the table, the others and the jobs read and write, and none scan', () => {
    for (const [group, fn] of allFunctions()) {
      const actions = dynamoActionsOf(fn.role!.node.id);
      expect(actions, group).toContain('dynamodb:Query');
      expect(actions, group).not.toContain('dynamodb:Scan');
      expect(actions.some((a) => a === 'dynamodb:*')).toBe(false);
      if (group === 'public') expect(actions, group).not.toContain('dynamodb:PutItem');
      else expect(actions, group).toContain('dynamodb:PutItem');
    }
  });
});

describe('the jobs', () => {
  it.each(JOBS.map((j) => [j.name, j] as const))(
    '%s has a function scheduled at its rate by an EventBridge rule',
    (name, job) => {
      const fn = stack.jobs.get(name)!;
      expect(fn, name).toBeDefined();
      const props = propsOf(fn);
      expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      // Runs do not overlap: a run ends before the next one starts.
      expect(props.Timeout).toBeLessThanOrEqual(job.everySeconds);

      const rules = Object.values(
        template.findResources('AWS::Events::Rule', {
          Properties: {
            Targets: Match.arrayWith([
              Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] } }),
            ]),
          },
        }),
      );
      expect(rules, `rules targeting ${name}`).toHaveLength(1);
      const rule = rules[0]!.Properties;
      expect(rule.ScheduleExpression).toBe(rateExpression(job.everySeconds));
      expect(rule.State).toBe('ENABLED');
      expect(rule.EventBusName, 'schedules run on the default bus').toBeUndefined();
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
    },
  );

  it('get the table, the event bus and source maps from the environment', () => {
    for (const [name, fn] of stack.jobs) {
      expect(propsOf(fn).Environment.Variables, name).toEqual({
        TABLE_NAME: { Ref: logicalId(stack.table) },
        EVENT_BUS_NAME: { Ref: busId() },
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('schedule nothing else', () => {
    template.resourceCountIs('AWS::Events::Rule', JOBS.length);
  });
});

describe('the event bus', () => {
  it('exists, is named after the stack and its name is an output', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: stack.stackName });
    template.hasOutput('EventBusName', { Value: { Ref: busId() } });
  });

  it('is named in EVENT_BUS_NAME of the employer, candidate and job functions only', () => {
    const expected = [
      ...PUBLISHING_GROUPS.map((g) => logicalId(stack.functions.get(g)!)),
      ...[...stack.jobs.values()].map(logicalId),
    ].sort();
    const withBus = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.EVENT_BUS_NAME !== undefined)
      .map(([id]) => id)
      .sort();
    expect(withBus).toEqual(expected);
    for (const group of ['public', 'authoring'] as const) {
      expect(propsOf(stack.functions.get(group)!).Environment.Variables).not.toHaveProperty(
        'EVENT_BUS_NAME',
      );
    }
  });

  it('grants events:PutEvents only on the bus, and only to the functions that publish', () => {
    const busArn = { 'Fn::GetAtt': [busId(), 'Arn'] };
    const publishingRoles = new Set<string>();
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      const statements = policy.Properties.PolicyDocument.Statement as {
        Action: string | string[];
        Resource: unknown;
      }[];
      for (const st of statements) {
        const actions = [st.Action].flat();
        expect(actions.some((a) => a === 'events:*' || a === '*')).toBe(false);
        if (!actions.some((a) => a.startsWith('events:'))) continue;
        expect(actions).toEqual(['events:PutEvents']);
        expect(st.Resource).toEqual(busArn);
        for (const r of policy.Properties.Roles as { Ref: string }[]) publishingRoles.add(r.Ref);
      }
    }
    const expected = [
      ...PUBLISHING_GROUPS.map((g) => stack.functions.get(g)!),
      ...stack.jobs.values(),
    ].map((fn) => logicalId(fn.role!));
    expect([...publishingRoles].sort()).toEqual(expected.sort());
  });

  it('has no resource policy: no other account may put events on it', () => {
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    const bus = Object.values(template.findResources('AWS::Events::EventBus'))[0]!;
    expect(bus.Properties.Policy).toBeUndefined();
  });
});

/** The EventBridge rate expression for an interval: the largest whole unit, as CDK writes it. */
function rateExpression(seconds: number): string {
  const [n, unit] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3600 === 0
        ? [seconds / 3600, 'hour']
        : [seconds / 60, 'minute'];
  return `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
}

/** The HTTP functions by group and the job functions by job name. */
function allFunctions(): Map<string, NodejsFunction> {
  return new Map<string, NodejsFunction>([...stack.functions, ...stack.jobs]);
}

/** A function's properties in the template. */
function propsOf(fn: NodejsFunction) {
  return template.toJSON().Resources[logicalId(fn)].Properties;
}

const busId = () => logicalId(stack.eventBus);

/** The DynamoDB actions in the default policy of the role with this construct id. */
function dynamoActionsOf(roleConstructId: string): string[] {
  const role = stack.node.findChild(roleConstructId);
  const roleId = logicalId(role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  return policies.flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .flatMap((s) => s.Action)
      .filter((a) => a.startsWith('dynamodb:')),
  );
}

describe('the table', () => {
  it('is on-demand with PITR, TTL, deletion protection and a stream of old and new images', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
      }),
    });
  });

  it('has every index of the table schema, projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });
});

describe('the user pool', () => {
  it('has the groups authors and employers', () => {
    for (const name of ['authors', 'employers']) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: name,
        UserPoolId: { Ref: logicalId(stack.userPool) },
      });
    }
  });

  it('allows no self sign-up and carries the organisation in custom:org', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      Schema: Match.arrayWith([Match.objectLike({ Name: 'org', AttributeDataType: 'String' })]),
    });
  });

  it('has an app client without secret that can read custom:org but never write it', () => {
    const client = template.toJSON().Resources[logicalId(stack.userPoolClient)].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ReadAttributes).toContain('custom:org');
    expect(client.WriteAttributes).toBeDefined();
    expect(client.WriteAttributes).not.toContain('custom:org');
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions or Serverless finding, error or warning', () => {
    const plugins = report.pluginReports.map((p) => p.pluginName);
    const findings = report.pluginReports.flatMap((p) =>
      p.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`),
      ),
    );
    expect(findings, `plugins reporting: ${plugins.join(', ')}`).toEqual([]);
  });

  it('acknowledges only findings that occur, each with a specific reason', () => {
    const raw = rawFindings();
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
      const occurs = raw.some(
        (f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
      );
      expect(occurs, `stale acknowledgement ${ack.id} at ${ack.path}`).toBe(true);
    }
  });
});

/** Every acknowledgement recorded with Validations.of(x).acknowledge() in the app. */
function acknowledgements(): { path: string; id: string; reason: string }[] {
  return app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([key, reason]) => ({
          path: c.node.path,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * What the packs find with acknowledgements ignored. cdk-nag filters acknowledged findings
 * itself (a private `isAcknowledged`); the test turns that off on its own pack instances.
 */
function rawFindings(): { rule: string; path: string }[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks()];
  return packs.flatMap((pack) => {
    const internals = pack as unknown as { isAcknowledged?: unknown };
    expect(typeof internals.isAcknowledged, 'cdk-nag internals changed').toBe('function');
    internals.isAcknowledged = () => false;
    return pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
      );
  });
}

describe('corsOrigins context', () => {
  it('accepts a list or a comma-separated string and defaults to none', () => {
    expect(corsOriginsFrom(undefined)).toEqual([]);
    expect(corsOriginsFrom('https://a.example, http://localhost:5173')).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(corsOriginsFrom(['https://a.example'])).toEqual(['https://a.example']);
  });

  it('rejects an origin with a path or a trailing slash', () => {
    expect(() => corsOriginsFrom('https://a.example/')).toThrow(/not an origin/);
    expect(() => corsOriginsFrom('a.example')).toThrow(/not an origin/);
  });
});

describe('bundling', () => {
  const root = resolve(import.meta.dirname, '../..');
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'assay-bundle-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const bundles = [
    ...GROUPS.map((group) => ({
      name: group,
      entry: handlerEntry(group),
      fn: () => stack.functions.get(group)!,
    })),
    ...JOBS.map((job) => ({
      name: `${job.name} job`,
      entry: job.entry,
      fn: () => stack.jobs.get(job.name)!,
    })),
  ];

  it.each(bundles)(
    'bundles the $name function as CDK does, and the bundle loads on Node',
    async ({ name, entry, fn }) => {
      const outfile = join(outDir, name.replace(/\W+/g, '-'), 'index.mjs');
      await build({
        ...esbuildOptions(resolve(root, entry), outfile),
        logLevel: 'silent',
      });

      const code = readFileSync(outfile, 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code, 'the AWS SDK is bundled, not imported').not.toMatch(
        /\b(from\s*|import\s*\(\s*)["']@aws-sdk\//,
      );
      // The stack sets EVENT_BUS_NAME exactly on the functions whose code reads it: a handler
      // that starts finalising attempts must also be given the bus (and PutEvents on it).
      const env = propsOf(fn()).Environment.Variables;
      expect('EVENT_BUS_NAME' in env, `${name}: EVENT_BUS_NAME set iff the bundle reads it`).toBe(
        code.includes('EVENT_BUS_NAME'),
      );

      const load = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(typeof m.handler);`,
        ],
        { encoding: 'utf8', cwd: outDir, env: { PATH: process.env.PATH ?? '' } },
      );
      expect(load.stderr).toBe('');
      expect(load.stdout).toBe('function');
    },
  );
});
