/**
 * The stacks of the CDK app, from its context, with cdk-nag's AwsSolutions and Serverless packs
 * checking every template. app.ts runs it; the infra tests synthesize exactly this.
 *
 *   Assay         the application (needs the built web apps: `npm run build:web`)
 *   AssayEdgeWaf  with `-c waf=true`: the optional WAF web ACL, in us-east-1 as CloudFront
 *                 requires; its WebAclArn output is the Assay stack's `-c webAclArn=...`
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AssayStack } from './stack.ts';
import { EdgeWafStack } from './waf.ts';

export function defineApp(app: App): { assay: AssayStack; waf?: EdgeWafStack } {
  const context = (key: string) => app.node.tryGetContext(key);
  const assay = new AssayStack(app, 'Assay', {
    description:
      'Assay: serverless skills-assessment backend (CloudFront, HTTP API, Lambda, DynamoDB, Cognito, EventBridge).',
  });
  let waf: EdgeWafStack | undefined;
  if (String(context('waf')) === 'true') {
    const rate = context('wafRateLimit');
    waf = new EdgeWafStack(app, 'AssayEdgeWaf', {
      description: 'Assay: the WAF web ACL of its CloudFront distribution (us-east-1).',
      ...(rate !== undefined ? { rateLimit: Number(rate) } : {}),
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { assay, ...(waf ? { waf } : {}) };
}
