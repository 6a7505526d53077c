/**
 * Issue 10's size goal, held in every test run rather than only when `npm run bench` is run:
 * each function the CDK app deploys, built with the CDK's own esbuild options (minified, as
 * uploaded), is at most 400 KB. A change that grows a bundle past it (a library imported at
 * module load, a question type's import-only code reaching the candidate's bundle) fails here,
 * naming the function and its largest packages; bench/README.md says what each bundle holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_BYTES } from '../../bench/harness.ts';
import { lambdaFunctions } from '../../bench/parts/cold-start.ts';
import { esbuildOptions } from '../../infra/aws/bundling.ts';

const root = resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'assay-bundle-size-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Minified bytes of the output by npm package (or project folder), the largest first. */
function largest(inputs: Record<string, { bytesInOutput: number }>): string {
  const by = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.replace(/\/[^/]+$/, '');
    by.set(name, (by.get(name) ?? 0) + bytesInOutput);
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`)
    .join(', ');
}

describe('every Lambda bundle, minified as deployed', () => {
  it.each(lambdaFunctions().map((f) => [f.name, f.entry] as const))(
    '%s is at most 400 KB',
    async (name, entry) => {
      const out = join(outDir, `${name}.mjs`);
      const result = await build({
        ...esbuildOptions(resolve(root, entry), out),
        sourcemap: false,
        metafile: true,
        logLevel: 'silent',
      });
      const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
      expect(output).toBeDefined();
      const { bytes, inputs } = output!;
      expect(
        bytes,
        `${name}: ${(bytes / 1024).toFixed(1)} KB (${largest(inputs)})`,
      ).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
      // Not vacuous: a bundle holds at least the DynamoDB client.
      expect(bytes).toBeGreaterThan(100 * 1024);
    },
    60_000,
  );
});
