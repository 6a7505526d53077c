/**
 * Mail through SES v2, present when the `mailFrom` context is set (see options.ts and
 * docs/mail.md): the sending identity (created, or imported with `mailIdentityExists=true`),
 * a configuration set whose event destination sends deliveries, bounces, complaints and
 * rejections to EventBridge's default bus, a rule handing them to the `mail-events` job, the
 * mail-token key in Secrets Manager, and the permissions: only the mail job may send, only as
 * `mailFrom`, only through this identity and configuration set.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  type IEmailIdentity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_EVENT_TYPES } from '../../functions/domain/mail-events.ts';
import type { MailOptions } from './options.ts';

export interface MailProps {
  options: MailOptions;
  /** The site candidates' links point at (`<siteUrl>/take#<token>`). */
  siteUrl: string;
  /** The function that creates invitations and new links (derives mailed tokens). */
  employer: NodejsFunction;
  /** The outbox's stream job: the only sender. */
  mailJob: NodejsFunction;
  /** The job recording SES's events. */
  eventsJob: NodejsFunction;
}

/** The SES events recorded on invitations (sends, opens and delays change nothing there). */
export const RECORDED_EVENTS = [
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
];

export class Mail extends Construct {
  readonly identity: IEmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly mailTokenKey: Secret;
  readonly eventsRule: Rule;
  /** SES events the events job gave up on (its async failures and undeliverable rule targets). */
  readonly eventFailures: Queue;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const { options } = props;
    const stack = Stack.of(this);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      ...(options.configurationSetName
        ? { configurationSetName: options.configurationSetName }
        : {}),
      // Candidates' addresses that bounced or complained are not mailed again by SES.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    const configurationSetName = this.configurationSet.configurationSetName;

    const isAddress = options.identity.includes('@');
    this.identity = options.identityExists
      ? EmailIdentity.fromEmailIdentityName(this, 'Identity', options.identity)
      : new EmailIdentity(this, 'Identity', {
          identity: isAddress
            ? Identity.email(options.identity)
            : Identity.domain(options.identity),
          configurationSet: this.configurationSet,
        });
    if (this.identity instanceof EmailIdentity && !isAddress) {
      // Easy DKIM: the three CNAME records the operator publishes (docs/mail.md).
      this.identity.dkimRecords.forEach((r, i) => {
        new CfnOutput(stack, `MailDkimRecord${i + 1}`, {
          value: `${r.name} CNAME ${r.value}`,
          description: `DKIM record ${i + 1} of 3 for ${options.identity}: publish it in DNS.`,
        });
      });
    }

    // SES publishes to the default bus only.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: RECORDED_EVENTS,
    });

    this.eventFailures = new Queue(this, 'EventFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // The only copy of an event nothing recorded: it outlives a stack replacement or deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(stack, 'SesEventFailureQueueUrl', {
      value: this.eventFailures.queueUrl,
      description:
        'SES events (deliveries, bounces, complaints) the mail-events job could not record on their invitation.',
    });
    Validations.of(this.eventFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the SES events rule target and the events job failure destination; a dead-letter queue needs no dead-letter queue of its own.',
    });
    Validations.of(this.eventFailures).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself where undeliverable SES events end up; an operator reads it, nothing redrives from it.',
    });

    this.eventsRule = new Rule(this, 'SesEvents', {
      description: `SES events of configuration set ${options.configurationSetName ?? '(stack-named)'} to the mail-events job.`,
      eventBus: defaultBus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...SES_EVENT_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
      },
    });
    this.eventsRule.addTarget(
      new LambdaFunction(props.eventsJob, {
        deadLetterQueue: this.eventFailures,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );
    props.eventsJob.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.eventFailures),
    });

    this.mailTokenKey = new Secret(this, 'MailTokenKey', {
      description:
        'Assay mail-token key: HMAC key deriving the secret of every mailed invitation link (docs/mail.md).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.mailTokenKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: links already mailed stay valid after a rotation (only their hash is stored), but a message queued at that moment would derive a link that no longer matches and is failed instead of sent (the employer resends). Rotate by hand between sends; see docs/mail.md.',
    });
    this.mailTokenKey.grantRead(props.employer);
    this.mailTokenKey.grantRead(props.mailJob);

    props.mailJob.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.identity.emailIdentityArn,
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSetName,
          }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': options.from } },
      }),
    );

    for (const fn of [props.employer, props.mailJob]) {
      fn.addEnvironment('MAIL_FROM', options.from);
      fn.addEnvironment('MAIL_TOKEN_SECRET_ARN', this.mailTokenKey.secretArn);
    }
    props.mailJob.addEnvironment('SES_CONFIGURATION_SET', configurationSetName);
    props.mailJob.addEnvironment('SITE_URL', props.siteUrl);

    new CfnOutput(stack, 'MailConfigurationSet', {
      value: configurationSetName,
      description: 'SES configuration set of Assay’s mail (deliveries, bounces, complaints).',
    });
  }
}
