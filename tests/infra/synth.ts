import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { defineApp } from '../../infra/aws/define-app.ts';

/** The app's cdk.json: its feature flags are synthesized here exactly as `cdk synth` would. */
export const CDK_JSON = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../cdk.json'), 'utf8'),
) as { context: Record<string, unknown> };

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

/**
 * A small built-apps folder laid out as `npm run build:web` lays out web/dist: the candidate
 * app, the console and a folder of shared files that is not an app. The caller removes it.
 */
export function fixtureWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-web-dist-'));
  for (const [file, text] of [
    ['take/index.html', '<!doctype html><title>Assessment</title><script src="app.js"></script>'],
    ['take/app.js', 'document.title += "!";'],
    ['console/index.html', '<!doctype html><title>Console</title>'],
    ['shared/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ] as const) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/**
 * The app as define-app.ts builds it (cdk-nag included) from cdk.json's context plus `context`,
 * synthesized offline, with the cdk-nag report. Asset bundling is skipped
 * (`aws:cdk:bundling-stacks`); stack.test.ts builds every handler with CDK's esbuild options.
 */
export function synthesize(context: Record<string, unknown>) {
  const app = new App({
    context: {
      ...CDK_JSON.context,
      'aws:cdk:bundling-stacks': [],
      // Keep synthesis going so a test can name every finding instead of one exception.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...context,
    },
  });
  const stacks = defineApp(app);
  const assembly = app.synth();
  const report: ValidationReport = JSON.parse(
    readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8'),
  );
  return { app, ...stacks, report };
}

/** Every cdk-nag finding of a report that was not acknowledged, as `severity rule at path`. */
export function unacknowledged(report: ValidationReport): string[] {
  return report.pluginReports.flatMap((p) =>
    p.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`),
    ),
  );
}
