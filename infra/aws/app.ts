/**
 * The CDK app (`cdk.json` runs it with tsx). Environment-agnostic, so `cdk synth` needs no
 * AWS credentials; cdk-nag checks every template during synthesis.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AssayStack } from './stack.ts';

const app = new App();
new AssayStack(app, 'Assay', {
  description:
    'Assay: serverless skills-assessment backend (HTTP API, Lambda, DynamoDB, Cognito, EventBridge).',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
