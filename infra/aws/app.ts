/**
 * The CDK app (`cdk.json` runs it with tsx). Environment-agnostic, so `cdk synth` needs no
 * AWS credentials. Options come from context (`-c name=value`): docs/operations.md lists them;
 * define-app.ts says which stacks they make.
 */
import { App } from 'aws-cdk-lib';
import { defineApp } from './define-app.ts';

const app = new App();
try {
  defineApp(app);
} catch (err) {
  // A missing web build or a bad option: one message, no stack trace.
  console.error(`\n${(err as Error).message}\n`);
  process.exit(1);
}
