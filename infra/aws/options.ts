/**
 * The deployment options of the CDK app, read from CDK context (`cdk deploy -c name=value` or
 * `cdk.json`) and checked before anything is built, so a mistake is one clear synth error
 * instead of a failed CloudFormation deployment half an hour later. docs/operations.md lists
 * them with examples.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The command that builds `web/dist/` (owned by the web apps; see docs/operations.md). */
export const BUILD_WEB_COMMAND = 'npm run build:web';

/** A custom domain for the site: CloudFront serves it, and the API behind it under `/v1`. */
export interface DomainOptions {
  /** e.g. `assess.example.com`: the site, its candidate links and the API (`/v1`). */
  name: string;
  /** ACM certificate for `name` in us-east-1 (CloudFront only takes certificates from there). */
  certificateArn: string;
  /**
   * ACM certificate for `name` in the stack's own region, for the API's regional custom domain
   * (same name) that CloudFront forwards `/v1/*` to. Defaults to `certificateArn`, which is
   * right when the stack is deployed in us-east-1.
   */
  apiCertificateArn: string;
}

/** Sending mail through SES (invitations, reminders). Without it the stack sends no mail. */
export interface MailOptions {
  /** The sender address, e.g. `assessments@acme.example` (each message shows the organisation's name). */
  from: string;
  /** The SES identity sending it: a domain (recommended) or the address itself. */
  identity: string;
  /** The identity exists already in this account and region: import it instead of creating it. */
  identityExists: boolean;
  /** The configuration set's name (created by the stack). */
  configurationSetName?: string;
}

export interface DeploymentOptions {
  /** Where each alarm notification is mailed (an SNS email subscription); none by default. */
  alarmEmail?: string;
  /** An existing CloudFront (global, us-east-1) WAF web ACL to attach to the distribution. */
  webAclArn?: string;
  domain?: DomainOptions;
  mail?: MailOptions;
  /**
   * The Cognito hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique
   * in the region across all accounts; by default the stack's name and the account id.
   */
  authDomainPrefix?: string;
}

/** Reads a context value; `undefined`, `''` and `null` all mean "not set". */
export type ContextReader = (key: string) => unknown;

const text = (value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : String(value).trim();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const AUTH_DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CLOUDFRONT_WEB_ACL_ARN =
  /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[0-9a-f-]{36}$/;

/**
 * The options from context keys `alarmEmail`, `webAclArn`, `domainName`, `certificateArn`,
 * `apiCertificateArn`, `mailFrom`, `mailIdentity`, `mailIdentityExists`,
 * `mailConfigurationSet` and `authDomainPrefix`. Throws one error naming every invalid or
 * inconsistent value.
 */
export function deploymentOptionsFrom(context: ContextReader): DeploymentOptions {
  const problems: string[] = [];
  const options: DeploymentOptions = {};

  const alarmEmail = text(context('alarmEmail'));
  if (alarmEmail !== undefined) {
    if (EMAIL.test(alarmEmail)) options.alarmEmail = alarmEmail;
    else problems.push(`alarmEmail: "${alarmEmail}" is not an email address.`);
  }

  const webAclArn = text(context('webAclArn'));
  if (webAclArn !== undefined) {
    if (CLOUDFRONT_WEB_ACL_ARN.test(webAclArn)) options.webAclArn = webAclArn;
    else
      problems.push(
        `webAclArn: "${webAclArn}" is not a CloudFront web ACL ARN (arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID); deploy the AssayEdgeWaf stack (-c waf=true) to create one.`,
      );
  }

  const name = text(context('domainName'))?.toLowerCase();
  const certificateArn = text(context('certificateArn'));
  const apiCertificateArn = text(context('apiCertificateArn')) ?? certificateArn;
  if (name === undefined) {
    if (certificateArn !== undefined || text(context('apiCertificateArn')) !== undefined)
      problems.push('certificateArn and apiCertificateArn need domainName.');
  } else {
    if (!DOMAIN.test(name)) problems.push(`domainName: "${name}" is not a domain name.`);
    if (certificateArn === undefined) {
      problems.push(
        'domainName needs certificateArn: an ACM certificate for it in us-east-1 (CloudFront).',
      );
    } else if (CERTIFICATE_ARN.exec(certificateArn)?.[1] !== 'us-east-1') {
      problems.push(
        `certificateArn: "${certificateArn}" is not an ACM certificate ARN in us-east-1, the only region CloudFront takes certificates from.`,
      );
    }
    if (apiCertificateArn !== undefined && !CERTIFICATE_ARN.test(apiCertificateArn)) {
      problems.push(`apiCertificateArn: "${apiCertificateArn}" is not an ACM certificate ARN.`);
    }
    if (certificateArn !== undefined && apiCertificateArn !== undefined) {
      options.domain = { name, certificateArn, apiCertificateArn };
    }
  }

  const mailFrom = text(context('mailFrom'))?.toLowerCase();
  const mailIdentity = text(context('mailIdentity'))?.toLowerCase();
  const mailSet = text(context('mailConfigurationSet'));
  const exists = text(context('mailIdentityExists'));
  if (mailFrom === undefined) {
    if (mailIdentity !== undefined || mailSet !== undefined || exists !== undefined)
      problems.push('mailIdentity, mailIdentityExists and mailConfigurationSet need mailFrom.');
  } else if (!EMAIL.test(mailFrom)) {
    problems.push(`mailFrom: "${mailFrom}" is not an email address.`);
  } else {
    const identity = mailIdentity ?? mailFrom.split('@')[1]!;
    if (identity !== mailFrom && !DOMAIN.test(identity)) {
      problems.push(`mailIdentity: "${identity}" is neither a domain nor the mailFrom address.`);
    } else if (
      identity !== mailFrom &&
      !mailFrom.endsWith(`@${identity}`) &&
      !mailFrom.endsWith(`.${identity}`)
    ) {
      problems.push(
        `mailIdentity: "${identity}" does not cover mailFrom "${mailFrom}" (use its domain, a parent domain, or the address).`,
      );
    }
    if (exists !== undefined && exists !== 'true' && exists !== 'false') {
      problems.push(`mailIdentityExists: "${exists}" is not true or false.`);
    }
    if (mailSet !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(mailSet)) {
      problems.push(
        `mailConfigurationSet: "${mailSet}" is not a configuration set name (letters, digits, _ and -, up to 64).`,
      );
    }
    options.mail = {
      from: mailFrom,
      identity,
      identityExists: exists === 'true',
      ...(mailSet ? { configurationSetName: mailSet } : {}),
    };
  }
  const prefix = text(context('authDomainPrefix'));
  if (prefix !== undefined) {
    if (AUTH_DOMAIN_PREFIX.test(prefix) && !/aws|amazon|cognito/.test(prefix)) {
      options.authDomainPrefix = prefix;
    } else {
      problems.push(
        `authDomainPrefix: "${prefix}" is not a Cognito domain prefix: 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, without "aws", "amazon" or "cognito".`,
      );
    }
  }

  if (problems.length > 0)
    throw new Error(`Invalid deployment options:\n  ${problems.join('\n  ')}`);
  return options;
}

/**
 * The folder of built web apps (`web/dist` unless the `webDist` context names another), checked
 * to hold at least the candidate app. Every sub-folder with an `index.html` is an app served at
 * `/<folder>`.
 */
export function webDistFrom(context: ContextReader): string {
  const dir = resolve(REPO_ROOT, text(context('webDist')) ?? 'web/dist');
  checkWebDist(dir);
  return dir;
}

/** Throws, naming the build command, unless `dir` holds the candidate app (`take/index.html`). */
export function checkWebDist(dir: string): void {
  if (!existsSync(join(dir, 'take', 'index.html'))) {
    const shown = relative(REPO_ROOT, dir) || '.';
    throw new Error(
      `The web apps are not built: ${shown}/take/index.html is missing. Run \`${BUILD_WEB_COMMAND}\` first (it writes web/dist/), or point -c webDist=DIR at a built folder.`,
    );
  }
}
