import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SES_EVENT_TYPES } from '../../functions/domain/mail-events.ts';
import { deploymentOptionsFrom } from '../../infra/aws/options.ts';
import type { AssayStack } from '../../infra/aws/stack.ts';
import { fixtureWebDist, synthesize, unacknowledged } from './synth.ts';

type Cfn = Record<string, unknown>;

let webDist: string;
let withMail: ReturnType<typeof synthesize>;
let withoutMail: ReturnType<typeof synthesize>;
let t: Template;

beforeAll(() => {
  webDist = fixtureWebDist();
  withMail = synthesize({
    webDist,
    mailFrom: 'assessments@mail.acme.example',
    mailIdentity: 'mail.acme.example',
    mailConfigurationSet: 'assay-mail',
  });
  withoutMail = synthesize({ webDist });
  t = Template.fromStack(withMail.assay);
});
afterAll(() => rmSync(webDist, { recursive: true, force: true }));

const idOf = (stack: Stack, c: IConstruct) =>
  stack.getLogicalId(c.node.defaultChild as CfnResource);
const resources = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, { Properties: Cfn }][];
/** The IAM statements attached to a function's role. */
function statementsOf(stack: AssayStack, template: Template, fn: IConstruct) {
  const role = idOf(stack, (fn as unknown as { role: IConstruct }).role);
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Cfn[] }).Statement);
}
const actionsOf = (s: Cfn) => [s.Action].flat() as string[];

describe('SES mail (mailFrom given)', () => {
  it('creates the sending identity for the domain, with the configuration set as its default, and prints its DKIM records', () => {
    t.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'mail.acme.example',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.anyValue() } },
    });
    const outputs = Object.keys(t.toJSON().Outputs);
    expect(outputs.filter((o) => o.startsWith('MailDkimRecord'))).toHaveLength(3);
    expect(outputs).toContain('MailConfigurationSet');
  });

  it('has a configuration set that requires TLS, suppresses bounced and complaining addresses and keeps reputation metrics', () => {
    t.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'assay-mail',
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  it("sends deliveries, bounces, complaints and rejections to EventBridge's default bus", () => {
    const [[, destination]] = resources(t, 'AWS::SES::ConfigurationSetEventDestination') as [
      [string, { Properties: { EventDestination: Cfn } }],
    ];
    const d = destination.Properties.EventDestination;
    expect(d.Enabled).toBe(true);
    expect([...(d.MatchingEventTypes as string[])].sort()).toEqual(
      ['bounce', 'complaint', 'delivery', 'reject'].sort(),
    );
    expect(JSON.stringify(d.EventBridgeDestination)).toContain(':event-bus/default');
  });

  it('routes those events of this configuration set to the mail-events job, keeping what fails in a queue', () => {
    const fn = withMail.assay.jobs.get('mail-events')!;
    const rules = resources(t, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties.Targets ?? []).includes(idOf(withMail.assay, fn)),
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties;
    expect(rule.EventBusName).toBe('default');
    expect(rule.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': [...SES_EVENT_TYPES],
      detail: {
        mail: {
          tags: {
            'ses:configuration-set': [
              { Ref: idOf(withMail.assay, withMail.assay.mail!.configurationSet) },
            ],
          },
        },
      },
    });
    const [target] = rule.Targets as Cfn[];
    expect(target!.DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': [idOf(withMail.assay, withMail.assay.mail!.eventFailures), 'Arn'] },
    });
    expect(target!.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 8 });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(withMail.assay, fn) },
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [idOf(withMail.assay, withMail.assay.mail!.eventFailures), 'Arn'],
          },
        },
      },
    });
  });

  it('lets only the mail job send, only as mailFrom, only through this identity and configuration set', () => {
    const sending = (fn: IConstruct) =>
      statementsOf(withMail.assay, t, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('ses:')),
      );
    const [statement, ...more] = sending(withMail.assay.jobs.get('mail')!);
    expect(more).toEqual([]);
    expect(actionsOf(statement!)).toEqual(['ses:SendEmail']);
    expect(statement!.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'assessments@mail.acme.example' },
    });
    const mail = withMail.assay.mail!;
    const arn = (kind: string, id: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:${kind}/`,
          { Ref: id },
        ],
      ],
    });
    expect(statement!.Resource).toEqual(
      expect.arrayContaining([
        arn('identity', idOf(withMail.assay, mail.identity as unknown as IConstruct)),
        arn('configuration-set', idOf(withMail.assay, mail.configurationSet)),
      ]),
    );
    expect(statement!.Resource).toHaveLength(2);
    for (const [name, fn] of [...withMail.assay.functions, ...withMail.assay.jobs]) {
      if (name !== 'mail') expect(sending(fn), name).toEqual([]);
    }
  });

  it('gives the mail-token key only to the functions that derive mailed links, and their settings', () => {
    const secret = idOf(withMail.assay, withMail.assay.mail!.mailTokenKey);
    const readers = [...withMail.assay.functions, ...withMail.assay.jobs]
      .filter(([, fn]) =>
        statementsOf(withMail.assay, t, fn).some(
          (s) =>
            actionsOf(s).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(s.Resource).includes(secret),
        ),
      )
      .map(([name]) => name);
    expect(readers.sort()).toEqual(['employer', 'mail']);

    const env = (fn: IConstruct) =>
      (
        t.toJSON().Resources[idOf(withMail.assay, fn)].Properties.Environment as {
          Variables: Cfn;
        }
      ).Variables;
    expect(env(withMail.assay.jobs.get('mail')!)).toMatchObject({
      MAIL_FROM: 'assessments@mail.acme.example',
      SES_CONFIGURATION_SET: { Ref: idOf(withMail.assay, withMail.assay.mail!.configurationSet) },
      MAIL_TOKEN_SECRET_ARN: { Ref: secret },
    });
    // Candidate links point at the site CloudFront serves (as SiteUrl says).
    expect(JSON.stringify(env(withMail.assay.jobs.get('mail')!).SITE_URL)).toContain(
      idOf(withMail.assay, withMail.assay.edge.distribution),
    );
    expect(env(withMail.assay.functions.get('employer')!)).toMatchObject({
      MAIL_FROM: 'assessments@mail.acme.example',
      MAIL_TOKEN_SECRET_ARN: { Ref: secret },
    });
    expect(env(withMail.assay.functions.get('candidate')!).MAIL_FROM).toBeUndefined();
  });

  it('pages when an SES event waits in its failure queue, which is kept, printed and has a runbook', () => {
    const queue = idOf(withMail.assay, withMail.assay.mail!.eventFailures);
    const resource = t.toJSON().Resources[queue];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(t.toJSON().Outputs.SesEventFailureQueueUrl.Value).toEqual({ Ref: queue });
    const [alarm, ...more] = resources(t, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => JSON.stringify(a.Dimensions ?? []).includes(queue));
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({
      AlarmName: 'Assay-mail-events-failure-queue',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const anchor = /docs\/operations\.md#([a-z0-9-]+)$/.exec(String(alarm!.AlarmDescription))?.[1];
    expect(anchor).toBe('ses-events-failure-queue');
    const docs = readFileSync(resolve(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    expect(docs).toContain('\n### SES events failure queue\n');
    expect(docs).toContain('`SesEventFailureQueueUrl`');
    const without = Template.fromStack(withoutMail.assay).findResources('AWS::CloudWatch::Alarm');
    expect(JSON.stringify(without)).not.toContain('mail-events-failure-queue');
  });

  it('stays clean under cdk-nag', () => {
    expect(unacknowledged(withMail.report)).toEqual([]);
  });

  it('hands the mail job only queued messages and assessment changes from the stream', () => {
    const fn = withMail.assay.jobs.get('mail')!;
    const [[, mapping]] = resources(t, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => (m.Properties.FunctionName as { Ref: string }).Ref === idOf(withMail.assay, fn),
    ) as [[string, { Properties: { FilterCriteria: { Filters: { Pattern: string }[] } } }]];
    expect(mapping.Properties.FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: {
          Keys: { PK: { S: [{ prefix: 'INV#' }] } },
          NewImage: { mailState: { S: ['queued'] } },
        },
      },
      { eventName: ['MODIFY', 'REMOVE'], dynamodb: { Keys: { SK: { S: ['ASSESSMENT'] } } } },
    ]);
  });
});

describe('without mailFrom', () => {
  it('creates no SES resource and no mail-token key, and tells no function it can send', () => {
    const w = Template.fromStack(withoutMail.assay);
    w.resourceCountIs('AWS::SES::EmailIdentity', 0);
    w.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    w.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(w.toJSON())).not.toContain('MAIL_FROM');
    expect(unacknowledged(withoutMail.report)).toEqual([]);
  });
});

describe('mail options', () => {
  const read = (ctx: Record<string, unknown>) => () => deploymentOptionsFrom((k) => ctx[k]);
  it('default the identity to the domain of mailFrom', () => {
    expect(read({ mailFrom: 'hr@acme.example' })().mail).toEqual({
      from: 'hr@acme.example',
      identity: 'acme.example',
      identityExists: false,
    });
  });

  it('refuse, all at once, a bad address, an identity that does not cover it and a bad set name', () => {
    expect(
      read({
        mailFrom: 'hr@acme.example',
        mailIdentity: 'other.example',
        mailConfigurationSet: 'no spaces',
        mailIdentityExists: 'yes',
      }),
    ).toThrow(
      /mailIdentity: "other.example" does not cover[\s\S]*mailIdentityExists: "yes"[\s\S]*mailConfigurationSet: "no spaces"/,
    );
    expect(read({ mailFrom: 'not-an-address' })).toThrow(
      'mailFrom: "not-an-address" is not an email address.',
    );
    expect(read({ mailIdentity: 'acme.example' })).toThrow('need mailFrom');
  });
});
