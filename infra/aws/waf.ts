/**
 * The optional WAF web ACL for the distribution. A web ACL for CloudFront must be created in
 * us-east-1 whatever region Assay runs in, so it is its own stack, pinned there: deploy it once
 * (`cdk deploy AssayEdgeWaf -c waf=true`), then give its `WebAclArn` output to the Assay stack
 * (`-c webAclArn=...`). docs/operations.md walks through it.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests per IP per five minutes before the rate-based rule blocks it (the `wafRateLimit` context). */
export const DEFAULT_RATE_LIMIT = 2000;

/**
 * Body rules set to count instead of block, with why. Question banks and answers are text
 * about software security and operations: a bank upload is up to 6 MB (the common rule set
 * blocks bodies over 8 KB) and a security question quotes XSS, path traversal, SSRF and
 * Log4Shell payloads by design. Counted matches still show in the web ACL's metrics.
 */
export const COUNTED_BODY_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: [
    'SizeRestrictions_BODY',
    'CrossSiteScripting_BODY',
    'GenericLFI_BODY',
    'GenericRFI_BODY',
    'EC2MetaDataSSRF_BODY',
  ],
  AWSManagedRulesKnownBadInputsRuleSet: ['Log4JRCE_BODY', 'JavaDeserializationRCE_BODY'],
};

export interface EdgeWafStackProps extends StackProps {
  /** Requests per IP per five minutes; see DEFAULT_RATE_LIMIT. */
  rateLimit?: number;
}

export class EdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps = {}) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });
    const rateLimit = props.rateLimit ?? DEFAULT_RATE_LIMIT;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`wafRateLimit: ${rateLimit} is not a whole number from 10 to 2000000000.`);
    }
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: (COUNTED_BODY_RULES[name] ?? []).map((rule) => ({
            name: rule,
            actionToUse: { count: {} },
          })),
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${this.stackName}-edge`,
      description: 'Assay edge: AWS common and known-bad-inputs rules, and a per-IP rate limit',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${this.stackName}-edge`),
      rules: [
        {
          // First, so a flood is cut before the managed groups spend their capacity on it.
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: rateLimit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
        managed('AWSManagedRulesCommonRuleSet', 1),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });

    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: 'Give it to the Assay stack: cdk deploy Assay -c webAclArn=<this>',
    });
  }
}
