import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions, mapStackTrace } from '../../infra/aws/bundling.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-stack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stack traces of a deployed bundle', () => {
  it('map back to the source line with the source map shipped beside the bundle', async () => {
    // A real function's code path: the domain error thrown by the answer check.
    const entry = join(dir, 'entry.ts');
    const outfile = join(dir, 'index.mjs');
    writeFileSync(
      entry,
      `import { expectedRevision } from '${resolve('functions/services/attempts.ts')}';\nexport const handler = () => expectedRevision('W/"1"');\n`,
    );
    await build(esbuildOptions(entry, outfile));
    // A fresh Node process, as Lambda runs it: no source-map support (the test runner has its own).
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); try { m.handler() } catch (e) { console.log(e.stack) }`,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH } },
    );
    const trace = run.stdout;
    // Without --enable-source-maps the trace points into the minified bundle.
    expect(trace).toMatch(/index\.mjs:\d+:\d+/);
    const mapped = mapStackTrace(trace, JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
    expect(mapped).toMatch(/functions\/services\/attempts\.ts:\d+:\d+/);
  }, 30_000);
});
